package dev.ioloop.sample.command;

import dev.ioloop.sample.resp.RespFrame;
import dev.ioloop.sample.store.ListValue;
import java.util.List;

/** LLEN key: the length, 0 if absent. */
final class LLen implements Command {
    @Override
    public RespFrame execute(List<byte[]> args, CommandContext ctx) {
        ListValue list = ctx.store().read(Args.key(args.get(1)), ListValue.KIND);
        return RespFrame.integer(list == null ? 0 : list.size());
    }
}
