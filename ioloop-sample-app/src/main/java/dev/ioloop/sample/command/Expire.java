package dev.ioloop.sample.command;

import dev.ioloop.sample.resp.RespFrame;
import dev.ioloop.sample.store.Key;
import dev.ioloop.sample.store.KeyValueStore;
import java.util.List;

/**
 * EXPIRE key seconds [NX | XX | GT | LT], PEXPIRE key milliseconds [...], EXPIREAT key unix-seconds [...] and
 * PEXPIREAT key unix-milliseconds [...]: {@code :1} if the time was set (or the key removed, for a time not in the
 * future), {@code :0} if the key is absent or a condition failed.
 */
final class Expire implements Command {

    private final long unitMillis;
    private final boolean unixTime;

    /** @param unitMillis 1000 for EXPIRE, 1 for PEXPIRE */
    Expire(long unitMillis) {
        this(unitMillis, false);
    }

    /**
     * @param unitMillis 1000 for EXPIRE and EXPIREAT, 1 for PEXPIRE and PEXPIREAT
     * @param unixTime whether the time is a Unix time (EXPIREAT, PEXPIREAT) rather than one from now
     */
    Expire(long unitMillis, boolean unixTime) {
        this.unitMillis = unitMillis;
        this.unixTime = unixTime;
    }

    /**
     * Turns a Unix time in milliseconds into the store's (monotonic) clock: the same distance from the store's now as
     * the Unix time is from the clock's current Unix time, saturating instead of overflowing.
     */
    static long unixToStore(long unixMillis, KeyValueStore store) {
        long offset = store.nowMillis() - store.unixMillis();
        long r = unixMillis + offset;
        if (((unixMillis ^ r) & (offset ^ r)) < 0) { // overflow: both operands had the sign r lacks
            return offset < 0 ? Long.MIN_VALUE : Long.MAX_VALUE;
        }
        return r;
    }

    /** The inverse of {@link #unixToStore}: a time on the store's clock as Unix milliseconds. */
    static long storeToUnix(long storeMillis, KeyValueStore store) {
        return storeMillis - store.nowMillis() + store.unixMillis();
    }

    /**
     * Turns a time relative to now (milliseconds) into the store's absolute time, refusing what Redis refuses: Redis
     * adds it to its Unix-millisecond clock and answers "invalid expire time" when the sum would pass
     * {@code Long.MAX_VALUE}. The store's clock is monotonic (far smaller), so the check is made against the Unix
     * clock as Redis's is, and the sum uses the store's clock.
     *
     * @throws CommandException with Redis's error text when it overflows
     */
    static long absolute(long relativeMillis, KeyValueStore store, String command) {
        if (relativeMillis > Long.MAX_VALUE - Math.max(0, store.unixMillis())) {
            throw new CommandException(Errors.invalidExpire(command));
        }
        try {
            return Math.addExact(relativeMillis, store.nowMillis());
        } catch (ArithmeticException e) {
            throw new CommandException(Errors.invalidExpire(command));
        }
    }

    @Override
    public RespFrame execute(List<byte[]> args, CommandContext ctx) {
        boolean nx = false;
        boolean xx = false;
        boolean gt = false;
        boolean lt = false;
        for (int j = 3; j < args.size(); j++) {
            byte[] opt = args.get(j);
            if (Args.is(opt, "nx")) {
                nx = true;
            } else if (Args.is(opt, "xx")) {
                xx = true;
            } else if (Args.is(opt, "gt")) {
                gt = true;
            } else if (Args.is(opt, "lt")) {
                lt = true;
            } else {
                return RespFrame.error(CommandTable.oneLine("ERR Unsupported option " + Args.text(opt)));
            }
        }
        if (nx && (xx || gt || lt)) {
            return RespFrame.error("ERR NX and XX, GT or LT options at the same time are not compatible");
        }
        if (gt && lt) {
            return RespFrame.error("ERR GT and LT options at the same time are not compatible");
        }
        long when = Args.longValue(args.get(2));
        if (unitMillis == 1000 && (when > Long.MAX_VALUE / 1000 || when < Long.MIN_VALUE / 1000)) {
            return RespFrame.error(Errors.invalidExpire(ctx.commandName()));
        }
        when *= unitMillis;
        KeyValueStore store = ctx.store();
        if (unixTime) {
            when = unixToStore(when, store); // Redis adds no base time, so nothing can overflow
        } else {
            try {
                when = absolute(when, store, ctx.commandName());
            } catch (CommandException e) {
                return RespFrame.error(e.getMessage());
            }
        }
        Key key = Args.key(args.get(1));
        long current = store.expireTime(key);
        if (current == KeyValueStore.NO_KEY) {
            return RespFrame.ZERO;
        }
        boolean persistent = current == KeyValueStore.NO_EXPIRY;
        if ((nx && !persistent) || (xx && persistent) || (gt && (persistent || when <= current))
                || (lt && !persistent && when >= current)) {
            return RespFrame.ZERO;
        }
        store.setExpireTime(key, when);
        return RespFrame.ONE;
    }
}
