package dev.ioloop.sample.command;

import dev.ioloop.sample.resp.RespFrame;
import dev.ioloop.sample.store.HashValue;
import dev.ioloop.sample.store.Key;
import dev.ioloop.sample.store.KeyValueStore;
import dev.ioloop.sample.store.ListValue;
import dev.ioloop.sample.store.SetValue;
import dev.ioloop.sample.store.SortedSetValue;
import dev.ioloop.sample.store.StreamValue;
import dev.ioloop.sample.store.StringValue;
import dev.ioloop.sample.store.Value;
import java.util.List;
import java.util.Map;

/**
 * COPY source destination [DB db] [REPLACE]: {@code :1} if copied (value and expiry time), {@code :0} if the source
 * is absent or the destination exists without REPLACE. One database, so DB accepts only 0. The copy is deep and
 * O(N) in the value's size, as in Redis.
 */
final class Copy implements Command {

    @Override
    public RespFrame execute(List<byte[]> args, CommandContext ctx) {
        boolean replace = false;
        for (int j = 3; j < args.size(); j++) {
            if (Args.is(args.get(j), "replace")) {
                replace = true;
            } else if (Args.is(args.get(j), "db") && j + 1 < args.size()) {
                long db = Args.longValue(args.get(++j));
                if (db < Integer.MIN_VALUE || db > Integer.MAX_VALUE) {
                    return RespFrame.error("ERR value is out of range, value must between -2147483648 and 2147483647");
                }
                if (db != 0) {
                    return RespFrame.error("ERR DB index is out of range");
                }
            } else {
                return RespFrame.error(Errors.SYNTAX);
            }
        }
        Key source = Args.key(args.get(1));
        Key destination = Args.key(args.get(2));
        if (source.equals(destination)) {
            return RespFrame.error("ERR source and destination objects are the same");
        }
        KeyValueStore store = ctx.store();
        Value value = store.value(source);
        if (value == null) {
            return RespFrame.ZERO;
        }
        long expireAt = store.expireTime(source);
        if (store.exists(destination) && !replace) {
            return RespFrame.ZERO;
        }
        store.set(destination, copy(value), false);
        if (expireAt >= 0) {
            store.setExpireTime(destination, expireAt);
        }
        return RespFrame.ONE;
    }

    /** Returns a deep copy of {@code value} (elements are immutable arrays and strings, so they are shared). */
    static Value copy(Value value) {
        if (value instanceof StringValue) {
            return value; // immutable
        }
        if (value instanceof ListValue list) {
            ListValue copy = new ListValue();
            copy.addAll(list);
            return copy;
        }
        if (value instanceof HashValue hash) {
            HashValue copy = new HashValue();
            copy.putAll(hash);
            return copy;
        }
        if (value instanceof SetValue set) {
            SetValue copy = new SetValue();
            for (String member : set.members()) {
                copy.add(member);
            }
            return copy;
        }
        if (value instanceof SortedSetValue zset) {
            SortedSetValue copy = new SortedSetValue();
            for (SortedSetValue.ScoredMember m : zset.range(0, zset.size() - 1, false)) {
                copy.put(m.member(), m.score());
            }
            return copy;
        }
        return ((StreamValue) value).copy();
    }
}
