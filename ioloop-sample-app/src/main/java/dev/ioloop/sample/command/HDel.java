package dev.ioloop.sample.command;

import dev.ioloop.sample.resp.RespFrame;
import dev.ioloop.sample.store.HashValue;
import dev.ioloop.sample.store.Key;
import java.util.List;

/** HDEL key field...: how many fields were removed; an emptied hash is deleted. */
final class HDel implements Command {
    @Override
    public RespFrame execute(List<byte[]> args, CommandContext ctx) {
        Key key = Args.key(args.get(1));
        HashValue hash = ctx.store().modify(key, HashValue.KIND);
        if (hash == null) {
            return RespFrame.ZERO;
        }
        long removed = 0;
        for (int i = 2; i < args.size(); i++) {
            if (hash.remove(Args.text(args.get(i))) != null) {
                removed++;
            }
        }
        ctx.store().deleteIfEmpty(key);
        return RespFrame.integer(removed);
    }
}
