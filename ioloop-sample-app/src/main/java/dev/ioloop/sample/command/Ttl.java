package dev.ioloop.sample.command;

import dev.ioloop.sample.resp.RespFrame;
import dev.ioloop.sample.store.KeyValueStore;
import java.util.List;

/** TTL key (seconds, rounded) and PTTL key (milliseconds): -2 if absent, -1 without expiry. */
final class Ttl implements Command {

    private final long unitMillis;

    /** @param unitMillis 1000 for TTL, 1 for PTTL */
    Ttl(long unitMillis) {
        this.unitMillis = unitMillis;
    }

    @Override
    public RespFrame execute(List<byte[]> args, CommandContext ctx) {
        KeyValueStore store = ctx.store();
        long at = store.expireTime(Args.key(args.get(1)));
        if (at < 0) {
            return RespFrame.integer(at);
        }
        long ttl = Math.max(0, at - store.nowMillis());
        return RespFrame.integer(unitMillis == 1 ? ttl : (ttl + 500) / 1000);
    }
}
