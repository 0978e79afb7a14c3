package dev.ioloop.sample.command;

import dev.ioloop.sample.resp.RespFrame;
import java.util.List;

/** DEL key... and UNLINK key...: the number of keys removed (both free memory at once here). */
final class Del implements Command {
    @Override
    public RespFrame execute(List<byte[]> args, CommandContext ctx) {
        long removed = 0;
        for (int i = 1; i < args.size(); i++) {
            if (ctx.store().delete(Args.key(args.get(i)))) {
                removed++;
            }
        }
        return RespFrame.integer(removed);
    }
}
