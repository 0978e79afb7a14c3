package dev.ioloop.sample.command;

import dev.ioloop.sample.resp.RespFrame;
import dev.ioloop.sample.store.Key;
import java.util.List;

/** SETNX key value: {@code :1} if set, {@code :0} if the key existed. */
final class SetNx implements Command {
    @Override
    public RespFrame execute(List<byte[]> args, CommandContext ctx) {
        Key key = Args.key(args.get(1));
        if (ctx.store().exists(key)) {
            return RespFrame.ZERO;
        }
        ctx.store().setString(key, args.get(2), false);
        return RespFrame.ONE;
    }
}
