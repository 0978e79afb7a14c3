#!/usr/bin/env python3
"""Records what a real Redis answers to every command in CASES, byte for byte, into a transcript that
RedisTranscriptTests replays against our server (so CI needs no Redis).

    redis-server --port 16399 --save '' --appendonly no --databases 1 &
    python3 record_transcript.py 16399 7.0.15 > ../resources/redis-7.0.15.transcript
    redis-server --port 16400 --save '' --requirepass secret &
    python3 record_transcript.py 16400 7.0.15 auth > ../resources/redis-7.0.15-auth.transcript
    python3 record_transcript.py 16399 7.0.15 types > ../resources/redis-7.0.15-types.transcript

Only deterministic replies belong here: no INFO, no KEYS/SCAN order, no PTTL of a live key.
"""
import socket
import sys

CASES = r"""
FLUSHALL
PING
PING hello
PING a b
ECHO
ECHO hi
ECHO a b
NOSUCH
NOSUCH a b
nosuch 'x'
GET
SELECT 0
SELECT 1
SELECT x
DBSIZE
DBSIZE x
GET missing
SET k v
GET k
SET k v2 NX
SET k v2 XX
GET k
SET k2 v NX GET
SET k v3 NX GET
SET k v4 XX GET
SET k v EX
SET k v EX 0
SET k v EX -5
SET k v EX abc
SET k v PX 0
SET k v EX 10 PX 10
SET k v NX XX
SET k v FOO
SET k v EX 100
TTL k
SET k v KEEPTTL
TTL k
SET k v
TTL k
SET k
GETSET k new
GETSET nokey val
GETSET
GET nokey
MGET k nokey missing
MGET
MSET a 1 b 2
MSET a 1 b
MSET a
MGET a b
SETNX a 5
SETNX fresh 5
SETNX fresh
SETEX ek 100 val
TTL ek
SETEX ek 0 val
SETEX ek -1 val
SETEX ek x val
PSETEX pk 100000 val
TTL pk
PSETEX pk 0 val
APPEND ap hello
APPEND ap " world"
GET ap
STRLEN ap
STRLEN nothing
STRLEN
SET n 10
INCR n
INCRBY n 5
DECR n
DECRBY n 3
INCRBY n x
INCRBY n 1.5
INCR ap
INCR newcounter
DECR newdecr
SET big 9223372036854775807
INCR big
SET small -9223372036854775808
DECR small
DECRBY n -9223372036854775808
INCRBY n 9223372036854775807
SET lead 010
INCR lead
SET plus +1
INCR plus
SET spaces " 1"
INCR spaces
INCR
INCRBY n
DEL a b nokey
DEL
UNLINK fresh nokey
EXISTS k k nokey
EXISTS
EXPIRE k 100
TTL k
EXPIRE k 100 NX
EXPIRE k 200 XX
TTL k
EXPIRE k 50 GT
EXPIRE k 500 GT
TTL k
EXPIRE k 600 LT
EXPIRE k 5 LT
TTL k
EXPIRE k 5 NX XX
EXPIRE k 5 GT LT
EXPIRE k 5 FOO
EXPIRE k abc
EXPIRE nokey 100
EXPIRE k 9223372036854775807
PEXPIRE k 9223372036854775807
EXPIRE k 9223370399119966
EXPIRE k 9223372036854776
EXPIRE k -9223372036854776
PEXPIRE k 9223370399119966000
SET k v EX 9223370399119966
SET k v PX 9223372036854775807
SETEX k 9223370399119966 v
PSETEX k 9223372036854775807 v
EXPIRE k
PERSIST k
PERSIST k
TTL k
PTTL k
PTTL nokey
TTL nokey
SET gone v
EXPIRE gone 0
EXISTS gone
SET gone v
EXPIRE gone -10
GET gone
PERSIST nokey
TYPE k
TYPE nokey
LPUSH list a b c
TYPE list
RPUSH list d e
LLEN list
LRANGE list 0 -1
LRANGE list 1 2
LRANGE list -2 -1
LRANGE list -100 100
LRANGE list 5 10
LRANGE list 3 1
LRANGE list x 1
LRANGE nolist 0 -1
GET list
SET list v NX GET
SET list v GET
APPEND list x
INCR list
LPUSH k x
LLEN k
LPOP list
RPOP list
LPOP list 2
RPOP list 0
RPOP list -1
RPOP list x
LPOP list 10
LPOP list
LPOP list 2
EXISTS list
LPOP
LPOP a b c
LPUSH
RPUSH q
LRANGE q 0
LLEN
RENAME k k2
GET k2
RENAME nokey x
RENAME k2 k2
SET r1 v
EXPIRE r1 100
RENAME r1 r2
TTL r2
RENAME
TYPE
KEYS
SCAN x
SCAN 0 COUNT 0
SCAN 0 COUNT x
SCAN 0 FOO
SCAN 0 MATCH
SCAN 18446744073709551616
CLIENT GETNAME
CLIENT SETNAME myname
CLIENT GETNAME
CLIENT SETNAME "a b"
CLIENT SETNAME ""
CLIENT GETNAME
CLIENT SETNAME
CLIENT FOO
CLIENT
COMMAND FOO
AUTH x
AUTH a b c
FLUSHDB x
FLUSHDB async
DBSIZE
SET k v
FLUSHALL SYNC
DBSIZE
"""

# Recorded against a server started with --requirepass secret.
AUTH_CASES = r"""
GET k
PING
NOSUCH
GET
AUTH wrong
AUTH default wrong
AUTH nobody secret
AUTH secret
GET k
AUTH default secret
PING
"""

# Sets, hashes, sorted sets and streams. Deterministic only: SMEMBERS and SPOP on sets of one member (Redis 7.0's
# hash-table sets have no stable order), no XADD * (its ID is the clock's).
TYPES_CASES = r"""
FLUSHALL
SADD s a b c a
SADD s c d
SCARD s
SISMEMBER s a
SISMEMBER s zz
SISMEMBER nokey a
SCARD nokey
SMEMBERS nokey
TYPE s
SREM s a zz
SREM s b c d
EXISTS s
SREM nokey a
SADD one only
SMEMBERS one
SPOP one
EXISTS one
SPOP one
SPOP one 2
SADD one only
SPOP one 0
SPOP one 5
EXISTS one
SPOP one -1
SPOP one x
SPOP one 1 2
SADD
SADD s
SREM s
SCARD
SCARD a b
SMEMBERS
SISMEMBER s
SPOP
SET str v
SADD str a
SREM str a
SCARD str
SMEMBERS str
SISMEMBER str a
SPOP str
SPOP str 2
SPOP str 0
SADD s x
GET s
LPUSH s x
INCR s
HSET h f1 v1 f2 v2
HSET h f1 new f3 v3
HGET h f1
HGET h nofield
HGET nokey f
HLEN h
HLEN nokey
HEXISTS h f2
HEXISTS h nofield
HEXISTS nokey f
HGETALL h
HGETALL nokey
TYPE h
HDEL h f2 nofield
HGETALL h
HDEL h f1 f3
EXISTS h
HDEL nokey f
HSET h
HSET h f
HSET h f v x
HSET h f v x y
HGET h
HLEN
HGETALL
HEXISTS h
HDEL h
HSET str f v
HGET str f
HLEN str
HGETALL str
HEXISTS str f
HDEL str f
HSET h "" ""
HGETALL h
SADD h x
ZADD z 1 a 2 b 3 c
ZADD z 1.5 a 2 b
ZCARD z
ZSCORE z a
ZSCORE z nomember
ZSCORE nokey a
ZCARD nokey
ZRANGE z 0 -1
ZRANGE z 0 -1 WITHSCORES
ZRANGE z 0 -1 withscores rev
ZRANGE z 1 1
ZRANGE z -2 -1
ZRANGE z -100 100
ZRANGE z 5 10
ZRANGE z 2 1
ZRANGE z x 1
ZRANGE z 0 1 FOO
ZRANGE z 0 1 LIMIT 0 1
ZRANGE nokey 0 -1
TYPE z
ZADD z 0.1 d
ZSCORE z d
ZADD z 1e20 e -1e-5 f 123456789012345678 g 3.0 h -0 i
ZRANGE z 0 -1 WITHSCORES
ZADD z inf pinf -inf minf +inf pinf2
ZRANGE z 0 -1 WITHSCORES
ZADD z 1 m 1 l 1 k
ZRANGE z 0 -1
ZADD z x a
ZADD z nan a
ZADD z 1e400 a
ZADD z " 1" a
ZADD z 1x a
ZADD z "" a
ZADD z 1 a 2
ZADD z 1
ZADD z NX XX 1 a
ZADD z GT LT 1 a
ZADD z NX GT 1 a
ZADD z INCR 1 a 2 b
ZADD z NX 100 a 50 new
ZSCORE z a
ZADD z XX 100 a 50 new2
ZSCORE z a
ZSCORE z new2
ZADD z XX CH 100 a 7 b
ZADD z CH 100 a 8 b 9 n9
ZADD z GT 1 a 200 b
ZSCORE z a
ZSCORE z b
ZADD z LT CH 1 a 300 b
ZSCORE z a
ZADD z INCR 5 a
ZADD z INCR NX 5 a
ZADD z INCR XX 5 nomember
ZADD z INCR inf a
ZADD z INCR -inf a
ZADD nokey2 XX 1 a
EXISTS nokey2
ZADD nokey2 XX INCR 1 a
ZADD
ZADD z
ZADD z 1
ZCARD
ZSCORE z
ZRANGE z 0
ZPOPMIN
DEL z
ZADD z 3 c 1 a 2 b
ZPOPMIN z
ZPOPMIN z 0
ZPOPMIN z -1
ZPOPMIN z x
ZPOPMIN z 1 2
ZPOPMIN z 10
EXISTS z
ZPOPMIN z
ZPOPMIN z 2
ZADD str 1 a
ZCARD str
ZSCORE str a
ZRANGE str 0 -1
ZPOPMIN str
ZPOPMIN str 0
ZADD z 1 a
INCR z
XADD x 1-1 f v
XADD x 1-1 f v
XADD x 1-0 f v
XADD x 1-2 f v g w
XADD x 1 f v
XADD x 2 f v
XADD x 2-* f v
XADD x 3-* f v
XADD x 1-* f v
XLEN x
TYPE x
XADD x 0-0 f v
XADD new 0-0 f v
XADD new 0-* f v
XADD new2 0 f v
XADD x abc f v
XADD x 1-x f v
XADD x -1 f v
XADD x - f v
XADD x + f v
XADD x 18446744073709551615-18446744073709551614 f v
XADD x 18446744073709551615-* f v
XADD x 18446744073709551615-* f v
XADD x * f v
XADD x 18446744073709551616 f v
XADD x 5-18446744073709551616 f v
XADD x 1-2-3 f v
XADD x "" f v
XADD x f v
XADD x * f
XADD x * f v g
XADD x 1-1 f
XADD
XADD x
XADD x *
XADD gone NOMKSTREAM * f v
EXISTS gone
XADD gone NOMKSTREAM 1-1 f v
XADD nomk nomkstream 5-5 f v
XLEN nomk
XADD nomk NOMKSTREAM 6 f v
XADD nomk NOMKSTREAM
XLEN nokey
XLEN
XLEN x y
XADD str * f v
XADD str 1-1 f v
XLEN str
XADD str NOMKSTREAM 1-1 f v
XADD x2 1-1 "" ""
XLEN x2
SET s2 v
EXPIRE s2 100
SADD s3 a
EXPIRE s3 100
TTL s3
HSET h3 f v
ZADD z3 1 a
XADD x3 1-1 f v
PEXPIRE x3 5000
PTTL x3
TYPE s3
TYPE h3
TYPE z3
TYPE x3
RENAME s3 s4
TTL s4
TYPE s4
SMEMBERS s4
RENAME z3 z4
ZRANGE z4 0 -1 WITHSCORES
RENAME h3 h4
HGETALL h4
RENAME x3 x4
XLEN x4
PERSIST s4
TTL s4
EXISTS s4 h4 z4 x4 s3
DEL s4 h4 z4 x4 s3
EXISTS s4 h4 z4 x4
SADD t1 a
HSET t2 f v
ZADD t3 1 a
XADD t4 1-1 f v
SCAN 0 TYPE set MATCH t* COUNT 1000
SCAN 0 TYPE hash MATCH t* COUNT 1000
SCAN 0 TYPE zset MATCH t* COUNT 1000
SCAN 0 TYPE stream MATCH t* COUNT 1000
SCAN 0 TYPE nosuch COUNT 1000
KEYS t1
MGET t1 t2 t3 t4 str
GET t1
SET t1 v
TYPE t1
XADD t4 2-2 f v
SET t4 v
TYPE t4
DBSIZE
FLUSHALL
"""


def escape(data: bytes) -> str:
    if not data:
        return '\\e'
    out = []
    for b in data:
        c = chr(b)
        if c == '\\':
            out.append('\\\\')
        elif c == '\r':
            out.append('\\r')
        elif c == '\n':
            out.append('\\n')
        elif c == ' ':
            out.append('\\s')
        elif 33 <= b < 127:
            out.append(c)
        else:
            out.append('\\x%02x' % b)
    return ''.join(out)


def split(line: str):
    # a small sdssplitargs: double quotes group, bare words split on spaces
    args, cur, quoted, i, started = [], [], False, 0, False
    while i < len(line):
        c = line[i]
        if quoted:
            if c == '"':
                quoted = False
            else:
                cur.append(c)
        elif c == '"':
            quoted, started = True, True
        elif c == ' ':
            if started or cur:
                args.append(''.join(cur))
            cur, started = [], False
        else:
            cur.append(c)
        i += 1
    if started or cur:
        args.append(''.join(cur))
    return [a.encode('latin-1') for a in args]


def read_reply(f):
    line = f.readline()
    kind = line[:1]
    if kind in (b'+', b'-', b':'):
        return line
    if kind == b'$':
        n = int(line[1:-2])
        return line if n < 0 else line + f.read(n + 2)
    if kind == b'*':
        n = int(line[1:-2])
        out = line
        for _ in range(max(n, 0)):
            out += read_reply(f)
        return out
    raise ValueError(line)


def main():
    port = int(sys.argv[1])
    s = socket.create_connection(('127.0.0.1', port))
    f = s.makefile('rb')
    print('# Recorded from a real redis-server %s by src/test/tools/record_transcript.py; do not edit by hand.'
          % (sys.argv[2] if len(sys.argv) > 2 else ''))
    mode = sys.argv[3] if len(sys.argv) > 3 else ''
    cases = AUTH_CASES if mode == 'auth' else TYPES_CASES if mode == 'types' else CASES
    for line in cases.strip().splitlines():
        args = split(line)
        req = b'*%d\r\n' % len(args) + b''.join(b'$%d\r\n%s\r\n' % (len(a), a) for a in args)
        s.sendall(req)
        reply = read_reply(f)
        print('> ' + ' '.join(escape(a) for a in args))
        print('< ' + escape(reply))




# Ends a raw case with 70,000 bytes of 'x' (no line end); written this way in the transcript too.
PAD = "<then\\s70000\\sx>"

# Raw request bytes (escaped as in the transcript) whose replies are read until Redis closes the connection.
# Run: python3 record_transcript.py 16399 7.0.15 protocol > ../resources/redis-7.0.15-protocol.transcript
PROTOCOL_CASES = [
    r"*1\r\n$4\r\nPING\r\n*x\r\n",
    r"*2\r\n$3\r\nGET\r\n:1\r\n",
    r"*1\r\n$-5\r\n",
    r"*1\r\n$abc\r\n",
    r"*-1\r\nPING\r\n*0\r\nPING\r\n",
    r"*3000000000\r\n",
    r"PING\r\nECHO\s\"unbalanced\r\n",
    r"ECHO\s\"a\"b\r\n",
    r"ECHO\s'it\\'s'\r\nECHO\s\"\\x41\\x42\\tz\\n\"\s\r\n\r\n\nPING\nQUIT\r\n",
    r"*1\r\n$4\r\nPING\r\n*2\r\n$4\r\nECHO\r\n$3\r\nabc\r\n*1\r\n$4\r\nQUIT\r\n",
    r"*1\r\n$536870913\r\n",
    # NUL hides the end of a header or inline line (Redis finds it with strchr): the request waits for more
    # input, here 70,000 bytes without a line end (PAD), until the 64 KiB line limit refuses it
    r"PING\x00\r\n" + PAD,
    r"ECHO\sa\x00b\r\nPING\r\n" + PAD,
    r"*1\x00\r\n$4\r\nPING\r\n" + PAD,
    r"*1\r\n$4\x00\r\nPING\r\n" + PAD,
    # ... but not a payload, which is read by length; error texts print arguments as C strings
    r"*2\r\n$4\r\nECHO\r\n$3\r\na\x00b\r\n",
    r"*1\r\n$4\r\nPI\x00G\r\n",
    r"*2\r\n$4\r\nNOPE\r\n$3\r\nx\x00y\r\n",
]


def unescape(s):
    out, i = bytearray(), 0
    while i < len(s):
        c = s[i]
        if c != '\\':
            out.append(ord(c)); i += 1; continue
        e = s[i + 1]
        if e == 'x':
            out.append(int(s[i + 2:i + 4], 16)); i += 4; continue
        out.append({'s': 32, 'r': 13, 'n': 10, '\\': 92, 't': 9, '"': 34, "'": 39}[e]); i += 2
    return bytes(out)


def record_protocol(port):
    print('# Recorded from a real redis-server 7.0.15 by src/test/tools/record_transcript.py; do not edit by hand.')
    print('# Each case: raw request bytes, then every byte Redis wrote until it closed the connection.')
    for raw in PROTOCOL_CASES:
        s = socket.create_connection(('127.0.0.1', port))
        s.settimeout(5)
        padded = raw.endswith(PAD)
        data = unescape(raw[:-len(PAD)] if padded else raw)
        s.sendall(data + (b'x' * 70000 if padded else b''))
        reply = b''
        try:
            while True:
                chunk = s.recv(65536)
                if not chunk:
                    break
                reply += chunk
        except socket.timeout:
            reply += b'<still open>'
        s.close()
        print('>' + escape(data) + (PAD if padded else ''))
        print('<' + escape(reply))


if __name__ != '__main__':
    pass  # imported by record_sessions.py for escape() and split()
elif len(sys.argv) > 3 and sys.argv[3] == 'protocol':
    record_protocol(int(sys.argv[1]))
else:
    main()
