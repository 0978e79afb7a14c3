package dev.ioloop.sample.command;

import dev.ioloop.sample.resp.RespFrame;
import dev.ioloop.sample.store.KeyValueStore;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * SET key value [NX | XX] [GET] [EX s | PX ms | KEEPTTL], with Redis 7's option rules: options in any order,
 * conflicting ones a syntax error, a non-positive time "invalid expire time", NX with GET allowed. EXAT and PXAT
 * (absolute Unix times) are not supported: the store's clock is monotonic, so they answer a syntax error.
 */
final class Set implements Command {

    @Override
    public RespFrame execute(List<byte[]> args, CommandContext ctx) {
        Options o = Options.parse(args, 3, ctx.commandName());
        return apply(ctx, Args.key(args.get(1)), args.get(2), o);
    }

    /** Shared with SETEX/PSETEX, SETNX and GETSET, which are SET with fixed options. */
    static RespFrame apply(CommandContext ctx, String key, byte[] value, Options o) {
        KeyValueStore store = ctx.store();
        long expireAt = KeyValueStore.NO_EXPIRY;
        if (o.expire != null) {
            expireAt = o.expireAt(store, ctx.commandName());
        }
        RespFrame old = null;
        if (o.get) {
            byte[] previous = store.getString(key); // WRONGTYPE before any change, as Redis
            old = previous == null ? RespFrame.NULL_BULK : RespFrame.bulk(previous);
        }
        boolean found = store.exists(key);
        if ((o.nx && found) || (o.xx && !found)) {
            return o.get ? old : RespFrame.NULL_BULK;
        }
        store.setString(key, value, o.keepTtl || o.expire != null);
        if (o.expire != null) {
            store.setExpireTime(key, expireAt);
        }
        return o.get ? old : RespFrame.OK;
    }

    /** SET's parsed options. */
    static final class Options {
        boolean nx;
        boolean xx;
        boolean get;
        boolean keepTtl;
        byte @Nullable [] expire;
        long unitMillis = 1000;

        static Options parse(List<byte[]> args, int from, String command) {
            Options o = new Options();
            for (int j = from; j < args.size(); j++) {
                byte[] opt = args.get(j);
                boolean hasNext = j + 1 < args.size();
                boolean anyTime = o.expire != null || o.keepTtl;
                if (Args.is(opt, "nx") && !o.xx) {
                    o.nx = true;
                } else if (Args.is(opt, "xx") && !o.nx) {
                    o.xx = true;
                } else if (Args.is(opt, "get")) {
                    o.get = true;
                } else if (Args.is(opt, "keepttl") && !anyTime) {
                    o.keepTtl = true;
                } else if ((Args.is(opt, "ex") || Args.is(opt, "px")) && !anyTime && hasNext) {
                    o.unitMillis = (opt[0] == 'p' || opt[0] == 'P') ? 1 : 1000;
                    o.expire = args.get(++j);
                } else {
                    throw new CommandException(Errors.SYNTAX);
                }
            }
            return o;
        }

        /** Redis's getExpireMillisecondsOrReply: positive, and no overflow once added to now. */
        long expireAt(KeyValueStore store, String command) {
            byte[] text = expire;
            long t = Args.longValue(text == null ? new byte[0] : text);
            if (t <= 0 || (unitMillis == 1000 && t > Long.MAX_VALUE / 1000)) {
                throw new CommandException(Errors.invalidExpire(command));
            }
            return Expire.absolute(t * unitMillis, store, command);
        }
    }
}
