package dev.ioloop.sample.command;

import dev.ioloop.sample.resp.RespFrame;
import dev.ioloop.sample.store.KeyValueStore;
import dev.ioloop.sample.store.ListValue;
import java.util.List;

/**
 * RPOPLPUSH source destination: moves the source's last element to the head of the destination (the same key
 * rotates), answering it; {@code $-1} if the source is absent. The destination's type is checked only once the
 * source has an element, as in Redis.
 */
final class RPopLPush implements Command {
    @Override
    public RespFrame execute(List<byte[]> args, CommandContext ctx) {
        KeyValueStore store = ctx.store();
        String source = Args.key(args.get(1));
        String destination = Args.key(args.get(2));
        if (store.read(source, ListValue.KIND) == null) {
            return RespFrame.NULL_BULK;
        }
        store.read(destination, ListValue.KIND); // WRONGTYPE before anything moves
        byte[] element = store.modify(source, ListValue.KIND).pollLast();
        store.deleteIfEmpty(source);
        store.modifyOrCreate(destination, ListValue.KIND).addFirst(element);
        return RespFrame.bulk(element);
    }
}
