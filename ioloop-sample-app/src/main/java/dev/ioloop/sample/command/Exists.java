package dev.ioloop.sample.command;

import dev.ioloop.sample.resp.RespFrame;
import java.util.List;

/** EXISTS key...: how many of the keys exist, a key named twice counting twice. */
final class Exists implements Command {
    @Override
    public RespFrame execute(List<byte[]> args, CommandContext ctx) {
        long count = 0;
        for (int i = 1; i < args.size(); i++) {
            if (ctx.store().exists(Args.key(args.get(i)))) {
                count++;
            }
        }
        return RespFrame.integer(count);
    }
}
