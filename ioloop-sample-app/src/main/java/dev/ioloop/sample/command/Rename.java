package dev.ioloop.sample.command;

import dev.ioloop.sample.resp.RespFrame;
import java.util.List;

/** RENAME key newkey: moves value and expiry time; {@code -ERR no such key} if the source is absent. */
final class Rename implements Command {
    @Override
    public RespFrame execute(List<byte[]> args, CommandContext ctx) {
        boolean moved = ctx.store().rename(Args.key(args.get(1)), Args.key(args.get(2)));
        return moved ? RespFrame.OK : RespFrame.error(Errors.NO_SUCH_KEY);
    }
}
