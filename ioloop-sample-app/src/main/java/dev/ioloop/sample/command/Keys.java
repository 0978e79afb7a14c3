package dev.ioloop.sample.command;

import dev.ioloop.sample.resp.RespFrame;
import dev.ioloop.sample.store.GlobPattern;
import java.util.ArrayList;
import java.util.List;

/** KEYS pattern: every matching key, as bulk strings. O(n): as in Redis, not for production keyspaces. */
final class Keys implements Command {
    @Override
    public RespFrame execute(List<byte[]> args, CommandContext ctx) {
        List<RespFrame> keys = new ArrayList<>();
        for (String key : ctx.store().keys(new GlobPattern(Args.key(args.get(1))))) {
            keys.add(RespFrame.bulk(Args.bytes(key)));
        }
        return new RespFrame.RespArray(keys);
    }
}
