#!/usr/bin/env python3
"""Records what a real Redis answers to issue 15's everyday commands, byte for byte, one transcript per command
family (redis-7.0.15-<family>.transcript), which EverydayCommandTranscriptTests and RedisServerTests replay against
our server (so CI needs no Redis). Each family starts with FLUSHALL.

    redis-server --port 16399 --save '' --appendonly no --databases 1 &
    python3 record_everyday.py 16399 ../resources            # every family
    python3 record_everyday.py 16399 ../resources hashes     # one family

Only deterministic replies belong here: no TIME, no TTL after an absolute time (EXPIRETIME is exact), random
commands only where one answer is possible (one member, or a count covering an ordered collection), set replies of
more than one member only through commands whose order is fixed (SINTERCARD, SMISMEMBER, the STORE forms).
"""
import os
import socket
import sys

from record_transcript import escape, read_reply, split

FAMILIES = {}

FAMILIES['strings'] = r"""
FLUSHALL
INCRBYFLOAT f 10.5
INCRBYFLOAT f 0.1
GET f
INCRBYFLOAT f -5.0e3
INCRBYFLOAT f 2.0e2
INCRBYFLOAT g 0.1
INCRBYFLOAT g 0.2
INCRBYFLOAT h 1e15
INCRBYFLOAT h 0.1
INCRBYFLOAT tiny 1.5e-20
INCRBYFLOAT neg -1.5
INCRBYFLOAT neg -1.5
INCRBYFLOAT big 1.18e4932
INCRBYFLOAT big 1.18e4932
INCRBYFLOAT huge 1e4933
INCRBYFLOAT under 1e-5000
INCRBYFLOAT e 0.1
INCRBYFLOAT e 1e19
INCRBYFLOAT e 1
INCRBYFLOAT e 1e20
INCRBYFLOAT e -110000000000000000000
INCRBYFLOAT e 123456789012345678901234567890
INCRBYFLOAT e 0.000000000000000005
INCRBYFLOAT e -123456789012345678901234567890
INCRBYFLOAT f abc
INCRBYFLOAT f " 1"
INCRBYFLOAT f "1 "
INCRBYFLOAT f ""
INCRBYFLOAT f inf
INCRBYFLOAT f -inf
INCRBYFLOAT f nan
INCRBYFLOAT f 1e
INCRBYFLOAT f .5
INCRBYFLOAT f 5.
INCRBYFLOAT f +3
SET i 10
INCRBYFLOAT i 1
INCRBYFLOAT i 1.23456789012345678
SET txt hello
INCRBYFLOAT txt 1
LPUSH lst a
INCRBYFLOAT lst 1
INCRBYFLOAT
INCRBYFLOAT f
INCRBYFLOAT f 1 2
SET ex v EX 100
INCRBYFLOAT ex 1
TTL ex
SET i 10
INCRBY i 1
SET k hello
GETEX k
GETEX nokey
GETEX nokey EX 10
GETEX lst
GETEX k EX 100
TTL k
GETEX k PX 50000
TTL k
GETEX k PERSIST
TTL k
GETEX k EXAT 4000000000
EXPIRETIME k
PEXPIRETIME k
GETEX k PXAT 4000000000123
PEXPIRETIME k
EXPIRETIME k
GETEX k EX 0
GETEX k EX -1
GETEX k EX abc
GETEX k EX 9223372036854775807
GETEX k PX 9223372036854775807
GETEX k EX
GETEX k EX 10 PX 10
GETEX k EX 10 PERSIST
GETEX k PERSIST EX 10
GETEX k KEEPTTL
GETEX k NX
GETEX k FOO
GETEX k EX 10 EX 20
TTL k
GETEX k EXAT 1000
EXISTS k
GETEX
SET k v
GETDEL k
GETDEL k
EXISTS k
GETDEL lst
GETDEL
GETDEL a b
SET k v EXAT 4000000000
EXPIRETIME k
SET k v PXAT 4000000000999
PEXPIRETIME k
EXPIRETIME k
SET k v EXAT 1000
EXISTS k
SET k v EXAT 0
SET k v PXAT -5
SET k v EXAT x
SET k v EXAT 4000000000 EX 10
SET k v EX 10 EXAT 4000000000
SET k v PXAT 4000000000000 KEEPTTL
SET k v KEEPTTL PXAT 4000000000000
SET k v EX 10 EX 20
TTL k
SET k v EX 10 PERSIST
SET k v PERSIST
SET k v EXAT
SET k v EXAT 9223372036854775807
SET k v PXAT 9223372036854775807
PEXPIRETIME k
SET k v GET EXAT 4000000000
EXPIRETIME k
SET k v KEEPTTL
EXPIRETIME k
SET r "Hello World"
SETRANGE r 6 Redis
GET r
SETRANGE r 20 x
GET r
SETRANGE r 0 ""
SETRANGE newr 3 ab
GET newr
SETRANGE empty 5 ""
EXISTS empty
SETRANGE r -1 x
SETRANGE r x x
SETRANGE r 536870912 x
SETRANGE r 9223372036854775807 x
SETRANGE lst 0 x
SETRANGE lst 0 ""
SETRANGE r 0
SET r "This is a string"
GETRANGE r 0 3
GETRANGE r -3 -1
GETRANGE r 0 -1
GETRANGE r 10 100
GETRANGE r 5 3
GETRANGE r -1 -5
GETRANGE r -100 2
GETRANGE r 100 200
GETRANGE r 0 -100
GETRANGE r 9223372036854775807 -9223372036854775808
GETRANGE nokey 0 -1
GETRANGE r a 1
GETRANGE r 0 b
GETRANGE lst 0 1
GETRANGE r 0
SET n 12345
GETRANGE n 1 2
SETBIT b 7 1
GET b
SETBIT b 7 0
SETBIT b 7 1
GETBIT b 7
GETBIT b 0
GETBIT b 100
GETBIT nokey 0
SETBIT b 100 1
STRLEN b
BITCOUNT b
SETBIT b 7 2
SETBIT b 7 -1
SETBIT b 7 x
SETBIT b -1 1
SETBIT b x 1
SETBIT b 4294967296 1
SETBIT b 4294967295 x
GETBIT b -1
GETBIT b 4294967296
GETBIT b x
SETBIT lst 0 1
GETBIT lst 0
SETBIT b 1
GETBIT b
SET foobar foobar
BITCOUNT foobar
BITCOUNT foobar 0 0
BITCOUNT foobar 1 1
BITCOUNT foobar 1 -2
BITCOUNT foobar -1 -3
BITCOUNT foobar 5 30 BIT
BITCOUNT foobar 0 -1 BIT
BITCOUNT foobar 1 1 BYTE
BITCOUNT foobar -5 -1 BIT
BITCOUNT foobar 0 0 bit
BITCOUNT foobar 0 0 FOO
BITCOUNT foobar 0
BITCOUNT foobar 0 1 BIT x
BITCOUNT foobar a 1
BITCOUNT nokey
BITCOUNT nokey 0
BITCOUNT lst
BITCOUNT
SET n 12345
GETBIT n 2
BITCOUNT n
MSET key1 ohmytext key2 mynewtext
LCS key1 key2
LCS key1 key2 LEN
LCS key1 key2 IDX
LCS key1 key2 IDX MINMATCHLEN 4
LCS key1 key2 IDX MINMATCHLEN 4 WITHMATCHLEN
LCS key1 key2 IDX WITHMATCHLEN
LCS key1 key2 IDX MINMATCHLEN -5
LCS key1 key2 LEN IDX
LCS key1 key2 FOO
LCS key1 key2 MINMATCHLEN
LCS key1 key2 MINMATCHLEN x
LCS key1 nokey
LCS key1 nokey IDX
LCS nokey nokey2 LEN
LCS key1 lst
LCS lst key1 LEN
LCS key1
MSET la ABCBDAB lb BDCABA
LCS la lb
LCS la lb IDX WITHMATCHLEN
LCS lb la IDX
MSETNX m1 a m2 b
MGET m1 m2
MSETNX m2 x m3 y
MGET m2 m3
MSETNX m3 y m3 z
GET m3
MSETNX m4 a m5
MSETNX m4
MSETNX lst x
SET src v
RENAMENX src dst
GET dst
EXISTS src
SET src w
RENAMENX src dst
GET dst
RENAMENX nokey dst
RENAMENX dst dst
RENAMENX nokey nokey
RENAMENX src
SET ttlsrc v EXAT 4000000000
RENAMENX ttlsrc ttldst
EXPIRETIME ttldst
DEL dst
SET c1 hello PXAT 4000000000555
COPY c1 c2
GET c2
PEXPIRETIME c2
COPY c1 c2
COPY c1 c2 REPLACE
COPY c1 c2 replace DB 0
COPY c1 c1
COPY c1 c1 REPLACE
COPY nokey c3
COPY c1 c3 DB 1
COPY c1 c3 DB x
COPY c1 c3 DB 99999999999
COPY c1 c3 DB
COPY c1 c3 FOO
COPY c1
RPUSH cl a b c
COPY cl cl2
LRANGE cl2 0 -1
RPUSH cl2 d
LRANGE cl 0 -1
HSET ch f1 v1 f2 v2
COPY ch ch2
HGETALL ch2
SADD cs one
COPY cs cs2
SMEMBERS cs2
ZADD cz 1 a 2 b
COPY cz cz2
ZRANGE cz2 0 -1 WITHSCORES
XADD cx 1-1 f v
COPY cx cx2
XLEN cx2
TYPE cx2
COPY cl ch REPLACE
TYPE ch
LRANGE ch 0 -1
RANDOMKEY x
FLUSHALL
RANDOMKEY
SET only v
RANDOMKEY
EXPIRE only 100
EXPIREAT only 4000000000
EXPIRETIME only
PEXPIRETIME only
PEXPIREAT only 4000000000777
PEXPIRETIME only
EXPIRETIME only
EXPIREAT only 4000000001 NX
EXPIREAT only 4000000001 XX
EXPIRETIME only
EXPIREAT only 3000000000 GT
EXPIREAT only 4500000000 GT
EXPIRETIME only
EXPIREAT only 4600000000 LT
EXPIREAT only 3500000000 LT
EXPIRETIME only
EXPIREAT only 10 NX XX
EXPIREAT only 10 GT LT
EXPIREAT only 10 FOO
EXPIREAT only abc
EXPIREAT only 9223372036854775807
EXPIREAT only 9223372036854775
EXPIREAT only 9223372036854776
PEXPIREAT only 9223372036854775807
PEXPIRETIME only
EXPIRETIME only
EXPIREAT only -9223372036854775808
EXISTS only
EXPIREAT nokey 4000000000
SET only v
PEXPIREAT only 1
EXISTS only
SET only v
EXPIREAT only 0
EXISTS only
SET only v
EXPIRETIME only
PEXPIRETIME only
EXPIRETIME nokey
PEXPIRETIME nokey
EXPIREAT only
EXPIRETIME
PEXPIRETIME a b
TIME x
FLUSHALL
"""


def record(port, cases):
    s = socket.create_connection(('127.0.0.1', port))
    f = s.makefile('rb')
    out = ['# Recorded from a real redis-server 7.0.15 by src/test/tools/record_everyday.py; do not edit by hand.']
    for line in cases.strip().splitlines():
        args = split(line)
        req = b'*%d\r\n' % len(args) + b''.join(b'$%d\r\n%s\r\n' % (len(a), a) for a in args)
        s.sendall(req)
        reply = read_reply(f)
        out.append('> ' + ' '.join(escape(a) for a in args))
        out.append('< ' + escape(reply))
    s.close()
    return '\n'.join(out) + '\n'


def main():
    port = int(sys.argv[1])
    directory = sys.argv[2]
    names = sys.argv[3:] or list(FAMILIES)
    for name in names:
        path = os.path.join(directory, 'redis-7.0.15-%s.transcript' % name)
        with open(path, 'w') as out:
            out.write(record(port, FAMILIES[name]))
        print('wrote', path)


if __name__ == '__main__':
    main()
