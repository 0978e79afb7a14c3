package dev.ioloop.sample.command;

import dev.ioloop.sample.resp.RespFrame;
import dev.ioloop.sample.store.HashValue;
import dev.ioloop.sample.store.Key;
import java.util.List;

/** HSETNX key field value: {@code :1} if the field was set, {@code :0} if it existed (nothing changed). */
final class HSetNx implements Command {
    @Override
    public RespFrame execute(List<byte[]> args, CommandContext ctx) {
        Key key = Args.key(args.get(1));
        String field = Args.text(args.get(2));
        HashValue read = ctx.store().read(key, HashValue.KIND);
        if (read != null && read.containsKey(field)) {
            return RespFrame.ZERO;
        }
        ctx.store().modifyOrCreate(key, HashValue.KIND).put(field, args.get(3));
        return RespFrame.ONE;
    }
}
