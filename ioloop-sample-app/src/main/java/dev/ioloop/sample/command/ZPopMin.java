package dev.ioloop.sample.command;

import dev.ioloop.sample.resp.RespFrame;
import dev.ioloop.sample.store.Key;
import dev.ioloop.sample.store.SetValue;
import dev.ioloop.sample.store.SortedSetValue;
import java.util.ArrayList;
import java.util.List;

/**
 * ZPOPMIN key [count] and ZPOPMAX key [count]: a flat array of member, score pairs for up to count (default 1) lowest (highest) members; {@code *0}
 * if the key is absent or count is 0. An emptied sorted set is deleted.
 */
final class ZPopMin implements Command {

    private final boolean max;

    ZPopMin() {
        this(false);
    }

    /** @param max ZPOPMAX (highest scores first) rather than ZPOPMIN */
    ZPopMin(boolean max) {
        this.max = max;
    }

    @Override
    public RespFrame execute(List<byte[]> args, CommandContext ctx) {
        if (args.size() > 3) {
            return RespFrame.error(Errors.SYNTAX);
        }
        long count = args.size() == 3 ? Args.nonNegative(args.get(2)) : 1;
        Key key = Args.key(args.get(1));
        SortedSetValue zset = ctx.store().modify(key, SortedSetValue.KIND); // the type is checked even for count 0, as Redis does
        if (zset == null || count == 0) {
            return RespFrame.EMPTY_ARRAY;
        }
        List<RespFrame> out = new ArrayList<>();
        for (long i = 0; i < count && !zset.isEmpty(); i++) {
            SortedSetValue.ScoredMember min = max ? zset.popMax() : zset.popMin();
            out.add(RespFrame.bulk(Args.bytes(min.member())));
            out.add(RespFrame.bulk(Scores.format(min.score())));
        }
        ctx.store().deleteIfEmpty(key);
        return new RespFrame.RespArray(out);
    }
}
