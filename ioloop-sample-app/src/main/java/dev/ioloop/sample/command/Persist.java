package dev.ioloop.sample.command;

import dev.ioloop.sample.resp.RespFrame;
import java.util.List;

/** PERSIST key: {@code :1} if an expiry time was removed. */
final class Persist implements Command {
    @Override
    public RespFrame execute(List<byte[]> args, CommandContext ctx) {
        return ctx.store().persist(Args.key(args.get(1))) ? RespFrame.ONE : RespFrame.ZERO;
    }
}
