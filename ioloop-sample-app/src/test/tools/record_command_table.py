#!/usr/bin/env python3
"""Records what a real Redis 7.0.15 answers to COMMAND INFO and COMMAND DOCS for every command this server
implements, keeping only the subcommands it implements, into src/main/resources/redis-7.0.15-commands.resp, which
COMMAND serves (so tools that discover commands see what is really there, in Redis's own words).

    redis-server --port 16399 --save '' --appendonly no --databases 1 &
    python3 record_command_table.py 16399 > ../../main/resources/redis-7.0.15-commands.resp

CommandIntrospectionTests fails when IMPLEMENTED and the command table disagree.
"""
import socket
import sys

from record_transcript import escape

# command -> implemented subcommands (None: not a container)
IMPLEMENTED = {
    'ping': None, 'echo': None, 'quit': None, 'auth': None, 'select': None, 'hello': None,
    'client': ['setname', 'getname', 'id', 'setinfo', 'unblock'],
    'command': ['count', 'info', 'docs', 'list'],
    'info': None, 'dbsize': None, 'flushdb': None, 'flushall': None,
    'config': ['get', 'set', 'resetstat'],
    'object': ['encoding', 'freq'],
    'memory': ['usage'],
    'subscribe': None, 'unsubscribe': None, 'psubscribe': None, 'punsubscribe': None, 'publish': None,
    'pubsub': ['channels', 'numsub', 'numpat'],
    'multi': None, 'exec': None, 'discard': None, 'watch': None, 'unwatch': None,
    'get': None, 'set': None, 'getset': None, 'mget': None, 'mset': None, 'setnx': None, 'setex': None,
    'psetex': None, 'append': None, 'strlen': None, 'incr': None, 'incrby': None, 'decr': None, 'decrby': None,
    'del': None, 'unlink': None, 'exists': None, 'expire': None, 'pexpire': None, 'ttl': None, 'pttl': None,
    'persist': None, 'type': None, 'keys': None, 'scan': None, 'rename': None,
    'lpush': None, 'rpush': None, 'lpop': None, 'rpop': None, 'lrange': None, 'llen': None, 'lmove': None,
    'rpoplpush': None,
    'blpop': None, 'brpop': None, 'blmove': None, 'brpoplpush': None, 'blmpop': None, 'bzpopmin': None,
    'bzpopmax': None,
    'sadd': None, 'srem': None, 'spop': None, 'scard': None, 'smembers': None, 'sismember': None,
    'hset': None, 'hget': None, 'hdel': None, 'hlen': None, 'hgetall': None, 'hexists': None,
    'zadd': None, 'zpopmin': None, 'zcard': None, 'zscore': None, 'zrange': None,
    'xadd': None, 'xlen': None,
    # issue 15's everyday commands
    'time': None, 'incrbyfloat': None, 'getex': None, 'getdel': None, 'setrange': None, 'getrange': None,
    'setbit': None, 'getbit': None, 'bitcount': None, 'lcs': None, 'msetnx': None, 'renamenx': None, 'copy': None,
    'randomkey': None, 'expireat': None, 'pexpireat': None, 'expiretime': None, 'pexpiretime': None, 'lpushx': None,
    'rpushx': None, 'lindex': None, 'lset': None, 'linsert': None, 'lrem': None, 'ltrim': None, 'lpos': None,
    'lmpop': None, 'smove': None, 'smismember': None, 'srandmember': None, 'sscan': None, 'sinter': None,
    'sunion': None, 'sdiff': None, 'sinterstore': None, 'sunionstore': None, 'sdiffstore': None, 'sintercard': None,
    'hmset': None, 'hsetnx': None, 'hincrby': None, 'hincrbyfloat': None, 'hrandfield': None, 'hscan': None,
    'hkeys': None, 'hvals': None, 'hmget': None, 'hstrlen': None, 'zrangestore': None, 'zrevrange': None,
    'zrangebyscore': None, 'zrevrangebyscore': None, 'zrangebylex': None, 'zrevrangebylex': None, 'zpopmax': None,
    'zrem': None, 'zincrby': None, 'zmscore': None, 'zrandmember': None, 'zscan': None, 'zmpop': None,
    'zcount': None, 'zlexcount': None, 'zrank': None, 'zrevrank': None, 'zunion': None, 'zinter': None,
    'zdiff': None, 'zunionstore': None, 'zinterstore': None, 'zdiffstore': None, 'zintercard': None, 'xrange': None,
    'xrevrange': None, 'xdel': None, 'xtrim': None, 'xsetid': None, 'xread': None, 'xinfo': ['stream'],
}


def parse(buf, i=0):
    """Returns (value, next index); a value is (type char, payload), payload a list for arrays."""
    j = buf.index(b'\r\n', i)
    kind = chr(buf[i])
    head = buf[i + 1:j]
    if kind in '+-:':
        return (kind, head), j + 2
    n = int(head)
    if kind == '$':
        return (kind, None if n < 0 else buf[j + 2:j + 2 + n]), (j + 2 if n < 0 else j + 2 + n + 2)
    items, k = [], j + 2
    for _ in range(max(n, 0)):
        item, k = parse(buf, k)
        items.append(item)
    return (kind, items if n >= 0 else None), k


def encode(value):
    kind, payload = value
    if kind in '+-:':
        return kind.encode() + payload + b'\r\n'
    if kind == '$':
        return b'$-1\r\n' if payload is None else b'$%d\r\n%s\r\n' % (len(payload), payload)
    if payload is None:
        return b'*-1\r\n'
    return b'*%d\r\n' % len(payload) + b''.join(encode(v) for v in payload)


def read_frame(f):
    data = b''
    line = f.readline()
    data += line
    kind = line[:1]
    if kind == b'$':
        n = int(line[1:-2])
        if n >= 0:
            data += f.read(n + 2)
    elif kind == b'*':
        for _ in range(max(int(line[1:-2]), 0)):
            data += read_frame(f)
    return data


def call(sock, f, *args):
    args = [a.encode() for a in args]
    sock.sendall(b'*%d\r\n' % len(args) + b''.join(b'$%d\r\n%s\r\n' % (len(a), a) for a in args))
    return parse(read_frame(f))[0]


def main():
    sock = socket.create_connection(('127.0.0.1', int(sys.argv[1])))
    f = sock.makefile('rb')
    print('# Recorded from a real redis-server 7.0.15 by src/test/tools/record_command_table.py; do not edit by hand.')
    print('# info NAME RESP: its COMMAND INFO entry; docs NAME RESP: its COMMAND DOCS value (implemented subcommands only).')
    for name, subs in IMPLEMENTED.items():
        info = call(sock, f, 'COMMAND', 'INFO', name)[1][0]
        if subs is not None:
            entries = info[1][9][1]
            info[1][9] = ('*', [e for e in entries if e[1][0][1].decode().split('|')[1] in subs])
        print('info %s %s' % (name, escape(encode(info))))
        docs = call(sock, f, 'COMMAND', 'DOCS', name)[1]
        value = docs[1]
        if subs is not None:
            fields = value[1]
            for k in range(0, len(fields), 2):
                if fields[k][1] == b'subcommands':
                    pairs = fields[k + 1][1]
                    kept = []
                    for p in range(0, len(pairs), 2):
                        if pairs[p][1].decode().split('|')[1] in subs:
                            kept += [pairs[p], pairs[p + 1]]
                    fields[k + 1] = ('*', kept)
        print('docs %s %s' % (name, escape(encode(value))))


if __name__ == '__main__':
    main()
