package dev.ioloop.sample.command;

import dev.ioloop.sample.resp.RespFrame;
import java.util.List;

/** STRLEN key: the length in bytes, 0 if absent. */
final class StrLen implements Command {
    @Override
    public RespFrame execute(List<byte[]> args, CommandContext ctx) {
        byte[] value = ctx.store().getString(Args.key(args.get(1)));
        return RespFrame.integer(value == null ? 0 : value.length);
    }
}
