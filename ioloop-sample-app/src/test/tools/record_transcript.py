#!/usr/bin/env python3
"""Records what a real Redis answers to every command in CASES, byte for byte, into a transcript that
RedisTranscriptTests replays against our server (so CI needs no Redis).

    redis-server --port 16399 --save '' --appendonly no --databases 1 &
    python3 record_transcript.py 16399 7.0.15 > ../resources/redis-7.0.15.transcript
    redis-server --port 16400 --save '' --requirepass secret &
    python3 record_transcript.py 16400 7.0.15 auth > ../resources/redis-7.0.15-auth.transcript

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
    cases = AUTH_CASES if len(sys.argv) > 3 and sys.argv[3] == 'auth' else CASES
    for line in cases.strip().splitlines():
        args = split(line)
        req = b'*%d\r\n' % len(args) + b''.join(b'$%d\r\n%s\r\n' % (len(a), a) for a in args)
        s.sendall(req)
        reply = read_reply(f)
        print('> ' + ' '.join(escape(a) for a in args))
        print('< ' + escape(reply))




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
        data = unescape(raw)
        s.sendall(data)
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
        print('>' + escape(data))
        print('<' + escape(reply))


if len(sys.argv) > 3 and sys.argv[3] == 'protocol':
    record_protocol(int(sys.argv[1]))
else:
    main()
