package dev.ioloop.sample.command;

import dev.ioloop.sample.resp.RespFrame;
import java.util.List;

/** FLUSHDB / FLUSHALL [ASYNC|SYNC]: removes every key (there is one database, and both modes are synchronous). */
final class Flush implements Command {
    @Override
    public RespFrame execute(List<byte[]> args, CommandContext ctx) {
        if (args.size() > 2 || (args.size() == 2 && !Args.is(args.get(1), "sync") && !Args.is(args.get(1), "async"))) {
            return RespFrame.error(Errors.SYNTAX);
        }
        ctx.store().clear();
        return RespFrame.OK;
    }
}
