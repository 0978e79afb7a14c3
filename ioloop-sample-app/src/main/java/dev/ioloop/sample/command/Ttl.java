package dev.ioloop.sample.command;

import dev.ioloop.sample.resp.RespFrame;
import dev.ioloop.sample.store.KeyValueStore;
import java.util.List;

/**
 * TTL key (seconds, rounded) and PTTL key (milliseconds), and EXPIRETIME key (Unix seconds, rounded) and PEXPIRETIME
 * key (Unix milliseconds): -2 if absent, -1 without expiry.
 */
final class Ttl implements Command {

    private final long unitMillis;
    private final boolean unixTime;

    /** @param unitMillis 1000 for TTL, 1 for PTTL */
    Ttl(long unitMillis) {
        this(unitMillis, false);
    }

    /**
     * @param unitMillis 1000 for TTL and EXPIRETIME, 1 for PTTL and PEXPIRETIME
     * @param unixTime whether to answer the Unix time of expiry (EXPIRETIME, PEXPIRETIME) rather than the time left
     */
    Ttl(long unitMillis, boolean unixTime) {
        this.unitMillis = unitMillis;
        this.unixTime = unixTime;
    }

    @Override
    public RespFrame execute(List<byte[]> args, CommandContext ctx) {
        KeyValueStore store = ctx.store();
        long at = store.expireTime(Args.key(args.get(1)));
        if (at < 0) {
            return RespFrame.integer(at);
        }
        long ttl = Math.max(0, unixTime ? Expire.storeToUnix(at, store) : at - store.nowMillis());
        // unsigned, as Redis's compiled (ttl+500)/1000 behaves for a time near the largest long
        return RespFrame.integer(unitMillis == 1 ? ttl : Long.divideUnsigned(ttl + 500, 1000));
    }
}
