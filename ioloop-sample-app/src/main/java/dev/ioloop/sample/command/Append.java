package dev.ioloop.sample.command;

import dev.ioloop.sample.resp.RespFrame;
import dev.ioloop.sample.store.Key;
import dev.ioloop.sample.store.KeyValueStore;
import java.util.Arrays;
import java.util.List;

/** APPEND key value: the new length; creates the key if absent; keeps the expiry time. */
final class Append implements Command {
    @Override
    public RespFrame execute(List<byte[]> args, CommandContext ctx) {
        KeyValueStore store = ctx.store();
        Key key = Args.key(args.get(1));
        byte[] suffix = args.get(2);
        byte[] old = store.getString(key);
        if (old == null) {
            store.setString(key, suffix, false);
            return RespFrame.integer(suffix.length);
        }
        if ((long) old.length + suffix.length > Integer.MAX_VALUE - 8) {
            return RespFrame.error("ERR string exceeds maximum allowed size (proto-max-bulk-len)");
        }
        byte[] joined = Arrays.copyOf(old, old.length + suffix.length);
        System.arraycopy(suffix, 0, joined, old.length, suffix.length);
        store.setString(key, joined, true);
        return RespFrame.integer(joined.length);
    }
}
