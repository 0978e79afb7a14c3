package dev.ioloop.sample.command;

import dev.ioloop.sample.resp.RespFrame;
import java.util.List;

/** MSET key value [key value ...]: sets every pair, clearing their expiry times. */
final class MSet implements Command {
    @Override
    public RespFrame execute(List<byte[]> args, CommandContext ctx) {
        if (args.size() % 2 == 0) {
            return RespFrame.error(Errors.wrongArity("mset"));
        }
        for (int j = 1; j < args.size(); j += 2) {
            ctx.store().setString(Args.key(args.get(j)), args.get(j + 1), false);
        }
        return RespFrame.OK;
    }
}
