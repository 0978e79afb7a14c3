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
        deadline = time.time() + IDLE
        while time.time() < deadline:
            ready, _, _ = select.select(list(clients.values()), [], [], max(0.0, deadline - time.time()))
            for sock in ready:
                who = next(k for k, v in clients.items() if v is sock)
                data = sock.recv(1 << 20)
                if not data:
                    data = b''
                    clients_closed = True
                buffers[who] += data
                deadline = time.time() + IDLE
                if not data:
                    ready.remove(sock)
                    break
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


if __name__ == '__main__':
    main()
