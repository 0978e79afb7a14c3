package dev.ioloop.sample.command;

import dev.ioloop.sample.resp.RespFrame;
import dev.ioloop.sample.store.Key;
import java.util.List;

/** GETDEL key: the string value, removed; {@code $-1} if absent; WRONGTYPE (and nothing removed) for another type. */
final class GetDel implements Command {
    @Override
    public RespFrame execute(List<byte[]> args, CommandContext ctx) {
        Key key = Args.key(args.get(1));
        byte[] value = ctx.store().getString(key);
        if (value == null) {
            return RespFrame.NULL_BULK;
        }
        ctx.store().delete(key);
        return RespFrame.bulk(value);
    }
}
