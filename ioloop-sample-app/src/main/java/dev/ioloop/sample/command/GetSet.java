package dev.ioloop.sample.command;

import dev.ioloop.sample.resp.RespFrame;
import java.util.List;

/** GETSET key value: SET key value GET. */
final class GetSet implements Command {
    @Override
    public RespFrame execute(List<byte[]> args, CommandContext ctx) {
        Set.Options o = new Set.Options();
        o.get = true;
        return Set.apply(ctx, Args.key(args.get(1)), args.get(2), o);
    }
}
