package dev.ioloop.sample.command;

import dev.ioloop.sample.resp.RespFrame;
import dev.ioloop.sample.store.StreamValue;
import java.util.List;

/** XLEN key: the number of entries, 0 if absent. */
final class XLen implements Command {
    @Override
    public RespFrame execute(List<byte[]> args, CommandContext ctx) {
        StreamValue stream = ctx.store().read(Args.key(args.get(1)), StreamValue.KIND);
        return RespFrame.integer(stream == null ? 0 : stream.length());
    }
}
