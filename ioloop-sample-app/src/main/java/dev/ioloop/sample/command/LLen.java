package dev.ioloop.sample.command;

import dev.ioloop.sample.resp.RespFrame;
import java.util.ArrayDeque;
import java.util.List;

/** LLEN key: the length, 0 if absent. */
final class LLen implements Command {
    @Override
    public RespFrame execute(List<byte[]> args, CommandContext ctx) {
        ArrayDeque<byte[]> list = ctx.store().getList(Args.key(args.get(1)));
        return RespFrame.integer(list == null ? 0 : list.size());
    }
}
