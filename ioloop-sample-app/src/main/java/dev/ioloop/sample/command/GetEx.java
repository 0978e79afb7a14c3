package dev.ioloop.sample.command;

import dev.ioloop.sample.resp.RespFrame;
import dev.ioloop.sample.store.Key;
import dev.ioloop.sample.store.KeyValueStore;
import java.util.List;

/**
 * GETEX key [EX s | PX ms | EXAT unix-s | PXAT unix-ms | PERSIST]: the value, or {@code $-1}; then sets or clears
 * the expiry time. Options are checked first, then the key's type, then the time (Redis's order). A Unix time
 * already past removes the key after its value is answered.
 */
final class GetEx implements Command {
    @Override
    public RespFrame execute(List<byte[]> args, CommandContext ctx) {
        Set.Options o = Set.Options.parse(args, 2, true);
        KeyValueStore store = ctx.store();
        Key key = Args.key(args.get(1));
        byte[] value = store.getString(key);
        if (value == null) {
            return RespFrame.NULL_BULK;
        }
        if (o.expire != null) {
            store.setExpireTime(key, o.expireAt(store, ctx.commandName()));
        } else if (o.persist) {
            store.persist(key);
        }
        return RespFrame.bulk(value);
    }
}
