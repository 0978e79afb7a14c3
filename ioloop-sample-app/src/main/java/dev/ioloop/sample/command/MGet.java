package dev.ioloop.sample.command;

import dev.ioloop.sample.resp.RespFrame;
import dev.ioloop.sample.store.Key;
import dev.ioloop.sample.store.KeyValueStore;
import dev.ioloop.sample.store.ValueType;
import java.util.ArrayList;
import java.util.List;

/** MGET key...: one bulk string per key; absent keys and non-strings are {@code $-1} (never WRONGTYPE). */
final class MGet implements Command {
    @Override
    public RespFrame execute(List<byte[]> args, CommandContext ctx) {
        KeyValueStore store = ctx.store();
        List<RespFrame> values = new ArrayList<>(args.size() - 1);
        for (int i = 1; i < args.size(); i++) {
            Key key = Args.key(args.get(i));
            byte[] value = store.type(key) == ValueType.STRING ? store.getString(key) : null;
            values.add(value == null ? RespFrame.NULL_BULK : RespFrame.bulk(value));
        }
        return new RespFrame.RespArray(values);
    }
}
