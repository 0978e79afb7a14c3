package dev.ioloop.sample.command;

import dev.ioloop.sample.resp.RespFrame;
import dev.ioloop.sample.store.Key;
import java.util.List;

/** RANDOMKEY: a key chosen at random, or {@code $-1} when the keyspace is empty. */
final class RandomKey implements Command {
    @Override
    public RespFrame execute(List<byte[]> args, CommandContext ctx) {
        Key key = ctx.store().randomKey();
        return key == null ? RespFrame.NULL_BULK : RespFrame.bulk(key.bytes());
    }
}
