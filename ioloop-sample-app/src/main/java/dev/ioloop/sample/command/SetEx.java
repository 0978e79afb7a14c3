package dev.ioloop.sample.command;

import dev.ioloop.sample.resp.RespFrame;
import java.util.List;

/** SETEX key seconds value and PSETEX key milliseconds value. */
final class SetEx implements Command {

    private final long unitMillis;

    /** @param unitMillis 1000 for SETEX, 1 for PSETEX */
    SetEx(long unitMillis) {
        this.unitMillis = unitMillis;
    }

    @Override
    public RespFrame execute(List<byte[]> args, CommandContext ctx) {
        Set.Options o = new Set.Options();
        o.expire = args.get(2);
        o.unitMillis = unitMillis;
        return Set.apply(ctx, Args.key(args.get(1)), args.get(3), o);
    }
}
