package dev.ioloop.sample.command;

import dev.ioloop.sample.resp.RespFrame;
import dev.ioloop.sample.store.GlobPattern;
import dev.ioloop.sample.store.Key;
import java.util.ArrayList;
import java.util.List;

/** KEYS pattern: every matching key, as bulk strings. O(n): as in Redis, not for production keyspaces. */
final class Keys implements Command {
    @Override
    public RespFrame execute(List<byte[]> args, CommandContext ctx) {
        List<RespFrame> keys = new ArrayList<>();
        for (Key key : ctx.store().keys(new GlobPattern(Args.text(args.get(1))))) {
            keys.add(RespFrame.bulk(key.bytes()));
        }
        return new RespFrame.RespArray(keys);
    }
}
