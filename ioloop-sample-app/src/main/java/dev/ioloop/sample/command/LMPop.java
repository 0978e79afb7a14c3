package dev.ioloop.sample.command;

import dev.ioloop.sample.resp.RespFrame;
import dev.ioloop.sample.store.Key;
import dev.ioloop.sample.store.KeyValueStore;
import dev.ioloop.sample.store.ListValue;
import java.util.ArrayList;
import java.util.List;

/**
 * LMPOP numkeys key [key ...] LEFT|RIGHT [COUNT count]: pops up to count elements (default 1) from the first
 * non-empty list among the keys, answering {@code [key, [elements]]}, or {@code *-1} when all are empty. A key of
 * another type met before a non-empty list answers WRONGTYPE.
 */
final class LMPop implements Command {
    @Override
    public RespFrame execute(List<byte[]> args, CommandContext ctx) {
        MPopArgs parsed = MPopArgs.parse(args, "left", "right");
        boolean left = parsed.first();
        long count = parsed.count();
        int whereIndex = parsed.endIndex();
        KeyValueStore store = ctx.store();
        for (int j = 2; j < whereIndex; j++) {
            Key key = Args.key(args.get(j));
            if (store.read(key, ListValue.KIND) == null) {
                continue;
            }
            ListValue list = store.modify(key, ListValue.KIND);
            List<RespFrame> popped = new ArrayList<>((int) Math.min(count, list.size()));
            for (long i = 0; i < count && !list.isEmpty(); i++) {
                popped.add(RespFrame.bulk(left ? list.pollFirst() : list.pollLast()));
            }
            store.deleteIfEmpty(key);
            return new RespFrame.RespArray(List.of(RespFrame.bulk(args.get(j).clone()), new RespFrame.RespArray(popped)));
        }
        return RespFrame.NULL_ARRAY;
    }
}
