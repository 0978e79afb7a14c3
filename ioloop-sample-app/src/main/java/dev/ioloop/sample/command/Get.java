package dev.ioloop.sample.command;

import dev.ioloop.sample.resp.RespFrame;
import java.util.List;

/** GET key: the string, {@code $-1} if absent, WRONGTYPE for a list. */
final class Get implements Command {
    @Override
    public RespFrame execute(List<byte[]> args, CommandContext ctx) {
        byte[] value = ctx.store().getString(Args.lookupKey(args, 1, ctx));
        return value == null ? RespFrame.NULL_BULK : RespFrame.bulk(value);
    }
}
