package dev.ioloop.sample.command;

import dev.ioloop.sample.resp.RespFrame;
import java.util.List;

/** DBSIZE: the number of keys (expired keys not yet removed included, as in Redis). */
final class DbSize implements Command {
    @Override
    public RespFrame execute(List<byte[]> args, CommandContext ctx) {
        return RespFrame.integer(ctx.store().size());
    }
}
