package dev.ioloop.sample.command;

import dev.ioloop.sample.resp.RespFrame;
import dev.ioloop.sample.store.Key;
import dev.ioloop.sample.store.KeyValueStore;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * SET key value [NX | XX] [GET] [EX s | PX ms | EXAT unix-s | PXAT unix-ms | KEEPTTL], with Redis 7's option rules:
 * options in any order, conflicting ones a syntax error, a non-positive time "invalid expire time", NX with GET
 * allowed. EXAT and PXAT are Unix times: the store keeps times on its monotonic clock, so they are converted with
 * the clock's current Unix time (see {@link Expire#unixToStore}); a time already past removes the key at once.
 */
final class Set implements Command {

    @Override
    public RespFrame execute(List<byte[]> args, CommandContext ctx) {
        Options o = args.size() == 3 ? Options.NONE : Options.parse(args, 3, false); // plain SET: nothing to parse
        // the key is looked up with, not copied unless it is new; the value is the store's own copy
        return apply(ctx, Args.lookupKey(args, 1, ctx), args.get(2), o);
    }

    /** Shared with SETEX/PSETEX, SETNX and GETSET, which are SET with fixed options. */
    static RespFrame apply(CommandContext ctx, Key key, byte[] value, Options o) {
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
        if (o.nx || o.xx) { // a second lookup only when a condition needs it
            boolean found = store.exists(key);
            if ((o.nx && found) || (o.xx && !found)) {
                return o.get ? old : RespFrame.NULL_BULK;
            }
        }
        store.setString(key, value, o.keepTtl || o.expire != null);
        if (o.expire != null) {
            store.setExpireTime(key, expireAt);
        }
        return o.get ? old : RespFrame.OK;
    }

    /**
     * SET's and GETEX's parsed options, after Redis's {@code parseExtendedStringArgumentsOrReply}: each option is
     * refused (syntax error) only when an option it conflicts with came before it, so a repeated EX is accepted and
     * the last time wins.
     */
    static final class Options {
        /** No option given (never changed: {@link #apply} only reads options). */
        static final Options NONE = new Options();

        boolean nx;
        boolean xx;
        boolean get;
        boolean keepTtl;
        boolean persist;
        boolean ex;
        boolean px;
        boolean exat;
        boolean pxat;
        byte @Nullable [] expire;
        long unitMillis = 1000;
        /** Whether {@link #expire} is a Unix time (EXAT, PXAT) rather than a time from now. */
        boolean absolute;

        /**
         * Parses the options from {@code from} on.
         *
         * @param forGetEx GETEX's options (the times and PERSIST) instead of SET's (the times, NX, XX, GET, KEEPTTL)
         */
        static Options parse(List<byte[]> args, int from, boolean forGetEx) {
            Options o = new Options();
            for (int j = from; j < args.size(); j++) {
                byte[] opt = args.get(j);
                byte @Nullable [] next = j + 1 < args.size() ? args.get(j + 1) : null;
                boolean set = !forGetEx;
                if (Args.is(opt, "nx") && !o.xx && set) {
                    o.nx = true;
                } else if (Args.is(opt, "xx") && !o.nx && set) {
                    o.xx = true;
                } else if (Args.is(opt, "get") && set) {
                    o.get = true;
                } else if (Args.is(opt, "keepttl") && !o.persist && !o.ex && !o.exat && !o.px && !o.pxat && set) {
                    o.keepTtl = true;
                } else if (Args.is(opt, "persist") && forGetEx && !o.ex && !o.exat && !o.px && !o.pxat && !o.keepTtl) {
                    o.persist = true;
                } else if (Args.is(opt, "ex") && !o.keepTtl && !o.persist && !o.exat && !o.px && !o.pxat && next != null) {
                    o.ex = true;
                    o.time(next, 1000, false);
                    j++;
                } else if (Args.is(opt, "px") && !o.keepTtl && !o.persist && !o.ex && !o.exat && !o.pxat && next != null) {
                    o.px = true;
                    o.time(next, 1, false);
                    j++;
                } else if (Args.is(opt, "exat") && !o.keepTtl && !o.persist && !o.ex && !o.px && !o.pxat && next != null) {
                    o.exat = true;
                    o.time(next, 1000, true);
                    j++;
                } else if (Args.is(opt, "pxat") && !o.keepTtl && !o.persist && !o.ex && !o.exat && !o.px && next != null) {
                    o.pxat = true;
                    o.time(next, 1, true);
                    j++;
                } else {
                    throw new CommandException(Errors.SYNTAX);
                }
            }
            return o;
        }

        private void time(byte[] value, long unit, boolean isAbsolute) {
            expire = value;
            unitMillis = unit;
            absolute = isAbsolute;
        }

        /**
         * Redis's getExpireMillisecondsOrReply: positive, and no overflow once added to now; returns the time on the
         * store's clock.
         */
        long expireAt(KeyValueStore store, String command) {
            byte[] text = expire;
            long t = Args.longValue(text == null ? new byte[0] : text);
            if (t <= 0 || (unitMillis == 1000 && t > Long.MAX_VALUE / 1000)) {
                throw new CommandException(Errors.invalidExpire(command));
            }
            if (absolute) {
                return Expire.unixToStore(t * unitMillis, store);
            }
            return Expire.absolute(t * unitMillis, store, command);
        }
    }
}
