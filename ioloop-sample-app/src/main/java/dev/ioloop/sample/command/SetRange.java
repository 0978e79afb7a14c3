package dev.ioloop.sample.command;

import dev.ioloop.sample.resp.RespFrame;
import dev.ioloop.sample.store.Key;
import dev.ioloop.sample.store.KeyValueStore;
import java.util.Arrays;
import java.util.List;

/**
 * SETRANGE key offset value: overwrites from {@code offset}, zero-padding a shorter string; the new length. Nothing
 * is created or changed for an empty value. The result may not pass Redis's default proto-max-bulk-len (512 MiB).
 * Strings are immutable in the store, so each call copies the string: O(length), where Redis writes in place.
 */
final class SetRange implements Command {

    /** Redis's default {@code proto-max-bulk-len}: the longest string SETRANGE, SETBIT and APPEND may make. */
    static final long MAX_STRING = 512L * 1024 * 1024;
    static final String TOO_LONG = "ERR string exceeds maximum allowed size (proto-max-bulk-len)";

    @Override
    public RespFrame execute(List<byte[]> args, CommandContext ctx) {
        long offset = Args.longValue(args.get(2));
        if (offset < 0) {
            return RespFrame.error("ERR offset is out of range");
        }
        byte[] value = args.get(3);
        KeyValueStore store = ctx.store();
        Key key = Args.key(args.get(1));
        byte[] old = store.getString(key);
        if (value.length == 0) {
            return RespFrame.integer(old == null ? 0 : old.length);
        }
        if (offset > MAX_STRING - value.length) {
            return RespFrame.error(TOO_LONG);
        }
        int end = (int) offset + value.length;
        byte[] updated = Arrays.copyOf(old == null ? new byte[0] : old, Math.max(end, old == null ? 0 : old.length));
        System.arraycopy(value, 0, updated, (int) offset, value.length);
        store.setString(key, updated, true);
        return RespFrame.integer(updated.length);
    }
}
