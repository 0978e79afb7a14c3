#!/usr/bin/env python3
"""Records sessions of several clients against a real Redis, byte for byte, into a sessions transcript that
SessionTranscriptTests replays over sockets against our server (so CI needs no Redis).

    redis-server --port 16399 --save '' --appendonly no --databases 1 &
    python3 record_sessions.py 16399 transactions > ../resources/redis-7.0.15-transactions.sessions

Input, one session per block: 'session NAME', then lines 'N COMMAND ARGS...' (client N sends; clients are
connected on first use) and 'sleep SECONDS' (lets server-side time pass: timeouts). After each command every
client's replies are collected until none arrives for IDLE seconds. Output:

    == NAME
    1> COMMAND ARGS        (escaped as in record_transcript.py)
    1< REPLY               (every reply client 1 received after that command, in order)
    ~ SECONDS              (a sleep: the replay does not sleep, it waits for the replies that follow)

Only deterministic replies belong here.
"""
import select
import socket
import sys
import time

from record_transcript import escape, split

IDLE = 0.15
SENDER_WAIT = 1.0

SESSIONS = {}


def session_block(text):
    name = None
    for line in text.strip().splitlines():
        line = line.strip()
        if not line or line.startswith('#'):
            continue
        if line.startswith('session '):
            name = line.split(' ', 1)[1]
            SESSIONS.setdefault(MODE_OF[0], []).append((name, []))
        else:
            SESSIONS[MODE_OF[0]][-1][1].append(line)


MODE_OF = ['']


def mode(name, text):
    MODE_OF[0] = name
    session_block(text)


def frame_end(buf, i=0):
    """Returns the index after the complete RESP frame at buf[i:], or -1."""
    j = buf.find(b'\r\n', i)
    if j < 0:
        return -1
    kind = buf[i:i + 1]
    if kind in (b'+', b'-', b':'):
        return j + 2
    n = int(buf[i + 1:j])
    if kind == b'$':
        if n < 0:
            return j + 2
        end = j + 2 + n + 2
        return end if len(buf) >= end else -1
    if kind == b'*':
        k = j + 2
        for _ in range(max(n, 0)):
            k = frame_end(buf, k)
            if k < 0:
                return -1
        return k
    raise ValueError(buf[i:i + 40])


def run(port, name, lines):
    clients, buffers = {}, {}
    print('== ' + name)
    for line in lines:
        if line.startswith('sleep '):
            seconds = float(line.split()[1])
            time.sleep(seconds)
            print('~ %s' % line.split()[1])
            who_sent = None
        else:
            who, command = line.split(' ', 1)
            if who not in clients:
                clients[who] = socket.create_connection(('127.0.0.1', port))
                buffers[who] = b''
            args = split(command)
            req = b'*%d\r\n' % len(args) + b''.join(b'$%d\r\n%s\r\n' % (len(a), a) for a in args)
            clients[who].sendall(req)
            print('%s> %s' % (who, ' '.join(escape(a) for a in args)))
        # wait for the sender's reply (up to SENDER_WAIT: a blocked command gets none), then until no client
        # received anything for IDLE
        sender = None if line.startswith('sleep ') else line.split(' ', 1)[0]
        sender_deadline = time.time() + SENDER_WAIT
        deadline = time.time() + IDLE
        while True:
            waiting_for_sender = sender is not None and frame_end(buffers[sender]) < 0 and time.time() < sender_deadline
            if not waiting_for_sender and time.time() >= deadline:
                break
            until = sender_deadline if waiting_for_sender else deadline
            ready, _, _ = select.select(list(clients.values()), [], [], max(0.0, until - time.time()))
            for sock in ready:
                who = next(k for k, v in clients.items() if v is sock)
                data = sock.recv(1 << 20)
                buffers[who] += data
                deadline = time.time() + IDLE
        for who in sorted(buffers):
            buf = buffers[who]
            while buf:
                end = frame_end(buf)
                if end < 0:
                    break
                print('%s< %s' % (who, escape(buf[:end])))
                buf = buf[end:]
            buffers[who] = buf
    for sock in clients.values():
        sock.close()


def main():
    port = int(sys.argv[1])
    which = sys.argv[2]
    print('# Recorded from a real redis-server 7.0.15 by src/test/tools/record_sessions.py %s; do not edit by hand.' % which)
    for name, lines in SESSIONS[which]:
        run(port, name, lines)


mode('transactions', r"""
session multi-exec
1 FLUSHALL
1 MULTI
1 SET k v
1 INCR n
1 LPUSH k x
1 GET k
1 EXEC
1 GET n
1 EXEC
1 DISCARD
1 MULTI
1 MULTI
1 WATCH k
1 PING
1 DISCARD
1 GET k

session execabort
1 FLUSHALL
1 MULTI
1 SET k v
1 NOSUCH x
1 GET
1 INCR n
1 EXEC
1 GET k
1 MULTI
1 SET a 1
1 INCR
1 EXEC
1 EXISTS a

session queued-errors-run
1 FLUSHALL
1 SET s str
1 MULTI
1 INCR s
1 SET t 1
1 LPUSH s x
1 EXEC
1 GET t

session watch-other-client
1 FLUSHALL
1 SET k 1
1 WATCH k
2 SET k 2
1 MULTI
1 SET k 3
1 EXEC
1 GET k
1 MULTI
1 SET k 4
1 EXEC
1 GET k

session watch-untouched-and-unwatch
1 FLUSHALL
1 WATCH a b
2 SET c 1
1 MULTI
1 SET a 1
1 EXEC
1 WATCH a
1 UNWATCH
2 SET a 2
1 MULTI
1 GET a
1 EXEC
1 WATCH a
1 WATCH
1 UNWATCH x

session watch-own-write-and-missing-key
1 FLUSHALL
1 WATCH nokey
1 SET nokey v
1 MULTI
1 PING
1 EXEC
1 WATCH nokey2
2 DEL nokey2
1 MULTI
1 PING
1 EXEC

session watch-flushall-expire-del
1 FLUSHALL
1 SET k v
1 WATCH k
2 FLUSHALL
1 MULTI
1 PING
1 EXEC
1 WATCH absent
2 FLUSHALL
1 MULTI
1 PING
1 EXEC
1 SET k v
1 WATCH k
2 EXPIRE k 100
1 MULTI
1 PING
1 EXEC
1 SET e v PX 100
1 WATCH e
sleep 0.3
2 GET e
1 MULTI
1 PING
1 EXEC
1 LPUSH l a
1 WATCH l
2 LPOP l
1 MULTI
1 PING
1 EXEC
1 SADD s a
1 WATCH s
2 SREM s nomember
2 SREM s a
1 MULTI
1 PING
1 EXEC

session watch-discard-unwatches
1 FLUSHALL
1 WATCH k
1 MULTI
1 DISCARD
2 SET k 1
1 MULTI
1 GET k
1 EXEC

session watch-arity
1 WATCH
1 MULTI x
1 EXEC x
1 DISCARD x
""")


mode('config', r"""
session config-get-set
1 FLUSHALL
1 CONFIG SET maxmemory 10mb
1 CONFIG GET maxmemory
1 CONFIG GET MAXMEMORY
1 CONFIG SET maxmemory 1gb
1 CONFIG GET maxmemory
1 CONFIG SET maxmemory abc
1 CONFIG SET maxmemory 1.5mb
1 CONFIG SET maxmemory -1
1 CONFIG SET maxmemory 0
1 CONFIG GET maxmemory
1 CONFIG SET maxmemory-policy foo
1 CONFIG SET maxmemory-policy NOEVICTION
1 CONFIG GET maxmemory-policy
1 CONFIG SET maxclients 0
1 CONFIG SET maxclients abc
1 CONFIG SET maxclients 5000
1 CONFIG GET maxclients
1 CONFIG SET maxclients 10000
1 CONFIG SET timeout -1
1 CONFIG SET timeout 1.5
1 CONFIG SET timeout 300
1 CONFIG GET timeout
1 CONFIG SET timeout 0
1 CONFIG SET hz 0
1 CONFIG GET hz
1 CONFIG SET hz 1000
1 CONFIG GET hz
1 CONFIG SET hz -1
1 CONFIG SET hz 10
1 CONFIG GET hz
1 CONFIG SET proto-max-bulk-len 100
1 CONFIG SET proto-max-bulk-len 1mb
1 CONFIG GET proto-max-bulk-len
1 CONFIG SET proto-max-bulk-len 512mb
1 CONFIG SET client-query-buffer-limit 100
1 CONFIG SET client-query-buffer-limit 2mb
1 CONFIG GET client-query-buffer-limit
1 CONFIG SET client-query-buffer-limit 1gb
1 CONFIG SET client-output-buffer-limit "normal 0 0 0 pubsub 1mb 512kb 10"
1 CONFIG GET client-output-buffer-limit
1 CONFIG SET client-output-buffer-limit "foo 1 2 3"
1 CONFIG SET client-output-buffer-limit "normal 1 2"
1 CONFIG SET client-output-buffer-limit "pubsub 1 2 x"
1 CONFIG SET client-output-buffer-limit "pubsub 10 2 3 normal"
1 CONFIG SET client-output-buffer-limit "replica 1 2 3"
1 CONFIG GET client-output-buffer-limit
1 CONFIG SET client-output-buffer-limit "pubsub 32mb 8mb 60 replica 256mb 64mb 60"
1 CONFIG GET client-output-buffer-limit
1 CONFIG GET requirepass
1 CONFIG SET foo bar
1 CONFIG SET maxmemory 1 foo 2
1 CONFIG SET hz 10 hz 20
1 CONFIG SET maxmemory abc foo 2
1 CONFIG SET hash-max-listpack-value 10 maxmemory abc
1 CONFIG GET hash-max-listpack-value
1 CONFIG SET maxmemory 1 hz
1 CONFIG SET databases 2
1 CONFIG GET databases
1 CONFIG GET save
1 CONFIG SET save ""
1 CONFIG GET appendonly
1 CONFIG SET appendonly no
1 CONFIG GET nosuchparam
1 CONFIG GET
1 CONFIG SET maxmemory
1 CONFIG RESETSTAT x
1 CONFIG RESETSTAT
1 CONFIG foo
1 CONFIG

session encoding-knobs
1 CONFIG SET hash-max-ziplist-entries 100
1 CONFIG GET hash-max-listpack-entries
1 CONFIG GET hash-max-ziplist-entries
1 CONFIG SET hash-max-listpack-entries abc
1 CONFIG SET hash-max-listpack-entries 512
1 CONFIG GET hash-max-listpack-value
1 CONFIG GET zset-max-listpack-entries
1 CONFIG GET zset-max-ziplist-value
1 CONFIG GET list-max-listpack-size
1 CONFIG SET list-max-ziplist-size -1
1 CONFIG GET list-max-listpack-size
1 CONFIG SET list-max-listpack-size -2
1 CONFIG SET list-compress-depth -1
1 CONFIG GET list-compress-depth
1 CONFIG GET set-max-intset-entries
1 CONFIG GET stream-node-max-bytes
1 CONFIG GET stream-node-max-entries

session requirepass-at-run-time
1 CONFIG SET requirepass secret
1 PING
2 PING
2 AUTH wrong
2 AUTH secret
2 CONFIG GET requirepass
2 CONFIG SET requirepass ""
3 PING

session object-and-memory
1 FLUSHALL
1 SET i 123
1 SET neg -5
1 SET zero -0
1 SET short hello
1 SET long 01234567890123456789012345678901234567890123456789
1 SET big 123456789012345678901
1 OBJECT ENCODING i
1 OBJECT ENCODING neg
1 OBJECT ENCODING zero
1 OBJECT ENCODING short
1 OBJECT ENCODING long
1 OBJECT ENCODING big
1 RPUSH l a
1 OBJECT ENCODING l
1 XADD st 1-1 f v
1 OBJECT ENCODING st
1 OBJECT ENCODING nokey
1 OBJECT ENCODING
1 OBJECT ENCODING i x
1 OBJECT FREQ i
1 OBJECT FREQ nokey
1 OBJECT foo
1 OBJECT
1 MEMORY USAGE nokey
1 MEMORY USAGE i samples x
1 MEMORY USAGE i samples -1
1 MEMORY USAGE i foo
1 MEMORY USAGE i samples
1 MEMORY USAGE
1 MEMORY foo
1 MEMORY

session command-introspection
1 COMMAND INFO get NOSUCH
1 COMMAND INFO blpop BZPOPMIN
1 COMMAND INFO multi exec watch subscribe publish
1 COMMAND DOCS get
1 COMMAND DOCS nosuch
1 COMMAND DOCS blmove
1 COMMAND LIST x
1 COMMAND LIST FILTERBY foo x
1 COMMAND LIST FILTERBY MODULE x
1 COMMAND LIST FILTERBY PATTERN brpoplpus?
1 COMMAND COUNT x
1 COMMAND FOO
""")


mode('blocking', r"""
session blpop-now-and-later
1 FLUSHALL
1 RPUSH l a b
1 BLPOP l 0
1 BLPOP nokey l 0
1 EXISTS l
2 BLPOP l 0
1 RPUSH l x
1 LLEN l
2 BRPOP l2 l 0.1
2 BLPOP nokey 0.05
2 PING

session fifo-service-order
1 FLUSHALL
2 BLPOP q 0
3 BLPOP q 0
4 BRPOP q 0
1 RPUSH q a b c d
1 LRANGE q 0 -1
2 BLPOP k1 k2 0
3 BLPOP k2 k1 0
1 RPUSH k2 x
1 RPUSH k1 y

session blocking-errors
1 FLUSHALL
1 SET s str
1 BLPOP s 0
1 BLPOP nokey s 0
1 BLPOP l -1
1 BLPOP l abc
1 BLPOP l 1e400
1 BLPOP l inf
1 BLPOP l
1 BRPOP
1 BLMOVE a b LEFT
1 BLMOVE a b UP RIGHT 0
1 BLMOVE a b LEFT RIGHT x
1 BRPOPLPUSH a b
1 BRPOPLPUSH a b -1
1 BLMPOP 0 1 a
1 BLMPOP 0 0 a LEFT
1 BLMPOP 0 x a LEFT
1 BLMPOP 0 2 a LEFT
1 BLMPOP 0 1 a MIDDLE
1 BLMPOP 0 1 a LEFT COUNT 0
1 BLMPOP 0 1 a LEFT COUNT x
1 BLMPOP 0 1 a LEFT COUNT 1 COUNT 2
1 BLMPOP 0 1 a LEFT FOO
1 BLMPOP -1 1 a LEFT
1 BZPOPMIN z
1 BZPOPMIN z -1
1 BZPOPMAX s 0
1 LPUSH s2 x
1 BZPOPMIN s2 0
1 BLMOVE s dst LEFT RIGHT 0
1 RPUSH src x
1 BLMOVE src s LEFT RIGHT 0
1 LRANGE src 0 -1
1 CLIENT UNBLOCK x
1 CLIENT UNBLOCK 999999
1 CLIENT UNBLOCK 999999 foo
1 CLIENT UNBLOCK 999999 timeout x
1 CLIENT UNBLOCK
1 CLIENT UNBLOCK 999999 ERROR

session multi-rename-lmove-wake-blocked
1 FLUSHALL
2 BLPOP m 0
1 MULTI
1 RPUSH m a
1 RPUSH m b
1 EXEC
1 LRANGE m 0 -1
2 BLPOP dst 0
1 RPUSH src a
1 LMOVE src dst LEFT RIGHT
1 EXISTS dst
2 BLPOP ren 0
1 RPUSH tmp a b
1 RENAME tmp ren
1 LRANGE ren 0 -1
1 MULTI
1 BLPOP empty 0
1 BRPOP empty 1
1 EXEC
2 BLPOP d 0
1 MULTI
1 RPUSH d 1
1 DEL d
1 RPUSH d 2
1 EXEC

session blmove-brpoplpush-blmpop
1 FLUSHALL
1 RPUSH src a b c
1 BLMOVE src dst LEFT RIGHT 0
1 BRPOPLPUSH src dst 0
1 LRANGE dst 0 -1
1 LMOVE src src RIGHT LEFT
1 LMOVE nosrc dst LEFT LEFT
1 RPOPLPUSH src dst
1 RPOPLPUSH src dst
1 LRANGE dst 0 -1
2 BLMOVE s2 d2 RIGHT LEFT 0
3 BLPOP d2 0
1 RPUSH s2 x y
1 LRANGE s2 0 -1
1 EXISTS d2
2 BRPOPLPUSH s3 d3 0
1 LPUSH s3 z
1 LRANGE d3 0 -1
1 RPUSH ml a b c
1 BLMPOP 0 2 nokey ml LEFT
1 BLMPOP 0 1 ml RIGHT COUNT 5
2 BLMPOP 0 2 e1 e2 RIGHT COUNT 2
1 RPUSH e2 1 2 3
1 LRANGE e2 0 -1
2 BLMPOP 0.05 1 e1 LEFT
2 BLMOVE e1 e2 LEFT LEFT 0.05
2 BRPOPLPUSH e1 e2 0.05

session bzpop
1 FLUSHALL
1 ZADD z 1 a 2 b 3 c 1.5 d
1 BZPOPMIN z 0
1 BZPOPMAX z 0
1 BZPOPMIN nokey z 0
1 ZRANGE z 0 -1 WITHSCORES
2 BZPOPMAX zz 0
1 ZADD zz 10 m 20 n
1 ZRANGE zz 0 -1
2 BZPOPMIN zz z2 0
3 BZPOPMIN z2 0
1 ZADD z2 -inf lo
1 ZADD z2 1e-3 small
1 ZADD zz 3.25 p
2 BZPOPMIN nothere 0.05
2 BZPOPMAX nothere 0.05

session xread-block
1 FLUSHALL
1 XADD s 1-0 f v
2 XREAD BLOCK 0 STREAMS s $
3 XREAD BLOCK 0 STREAMS nos s 0-0 1-0
1 XADD s 2-0 f w
2 XREAD COUNT 1 BLOCK 0 STREAMS s 0-0
2 XREAD BLOCK 0 STREAMS a b $ $
1 XADD b 7-0 x y
1 MULTI
1 XADD a 1-0 k 1
1 XADD a 2-0 k 2
1 XADD a 3-0 k 3
1 EXEC
2 XREAD COUNT 2 BLOCK 0 STREAMS a 0-0
2 XREAD COUNT 2 BLOCK 0 STREAMS a $
1 MULTI
1 XADD a 4-0 k 4
1 XADD a 5-0 k 5
1 XADD a 6-0 k 6
1 EXEC
2 XREAD BLOCK 100 STREAMS nos $
2 XREAD BLOCK 50 STREAMS s 2-0
1 MULTI
1 XREAD BLOCK 0 STREAMS nos $
1 EXEC
2 XREAD BLOCK 0 STREAMS t $
1 SET t str
1 DEL t
1 XADD t 1-0 f v
1 SET str x
2 XREAD BLOCK 0 STREAMS str $
2 XREAD BLOCK -1 STREAMS s $
2 XREAD BLOCK x STREAMS s $
2 PING
""")


mode('pubsub', r"""
session subscribe-publish
1 FLUSHALL
2 SUBSCRIBE news sport
3 SUBSCRIBE news
1 PUBLISH news hello
1 PUBLISH sport "two words"
1 PUBLISH nobody x
1 PUBLISH news ""
2 SUBSCRIBE news
2 UNSUBSCRIBE sport
1 PUBLISH sport x
2 UNSUBSCRIBE news
2 PING
2 GET k
3 PING hi
3 GET k
3 SET k v
3 PUBLISH news x
3 PSUBSCRIBE n*
3 UNSUBSCRIBE
3 PUNSUBSCRIBE
3 GET k
3 UNSUBSCRIBE
3 PUNSUBSCRIBE

session patterns
1 FLUSHALL
2 PSUBSCRIBE news.* h?llo
3 PSUBSCRIBE news.*
3 SUBSCRIBE news.tech
1 PUBLISH news.tech t
1 PUBLISH hello h
1 PUBLISH hallo h2
1 PUBLISH news x
1 PUBSUB NUMPAT
2 PUNSUBSCRIBE h?llo
1 PUBLISH hello h3
2 PUNSUBSCRIBE nomatch
2 PUNSUBSCRIBE news.*
1 PUBSUB NUMPAT
3 PUNSUBSCRIBE news.*
3 UNSUBSCRIBE news.tech
1 PUBSUB NUMPAT

session pubsub-introspection
1 FLUSHALL
2 SUBSCRIBE c1
3 SUBSCRIBE c1
1 PUBSUB CHANNELS
1 PUBSUB CHANNELS c*
1 PUBSUB CHANNELS x*
1 PUBSUB NUMSUB c1 c2
1 PUBSUB NUMSUB
1 PUBSUB NUMPAT
1 PUBSUB NUMPAT x
1 PUBSUB CHANNELS a b
1 PUBSUB FOO
1 PUBSUB
1 PUBLISH c1
1 SUBSCRIBE
1 PSUBSCRIBE
1 PUBLISH c1 a b

session subscribe-in-multi
1 FLUSHALL
1 MULTI
1 SUBSCRIBE m
1 EXEC
1 PING
2 PUBLISH m x
""")


if __name__ == '__main__':
    main()
