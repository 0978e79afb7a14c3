package dev.ioloop.sample.command;

import dev.ioloop.sample.resp.RespFrame;
import java.util.List;

/** MSETNX key value [key value ...]: {@code :1} and every pair set if no key exists, else {@code :0} and nothing set. */
final class MSetNx implements Command {
    @Override
    public RespFrame execute(List<byte[]> args, CommandContext ctx) {
        if (args.size() % 2 == 0) {
            return RespFrame.error(Errors.wrongArity(ctx.commandName()));
        }
        for (int j = 1; j < args.size(); j += 2) {
            if (ctx.store().exists(Args.key(args.get(j)))) {
                return RespFrame.ZERO;
            }
        }
        for (int j = 1; j < args.size(); j += 2) {
            ctx.store().setString(Args.key(args.get(j)), args.get(j + 1), false);
        }
        return RespFrame.ONE;
    }
}
