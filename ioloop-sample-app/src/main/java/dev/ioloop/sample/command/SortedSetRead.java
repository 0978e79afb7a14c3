package dev.ioloop.sample.command;

import dev.ioloop.sample.resp.RespFrame;
import dev.ioloop.sample.store.SetValue;
import dev.ioloop.sample.store.SortedSetValue;
import java.util.List;

/** ZCARD key and ZSCORE key member: an absent key is an empty sorted set; a score is replied as {@code %.17g}. */
final class SortedSetRead implements Command {

    private final boolean score;

    SortedSetRead(boolean score) {
        this.score = score;
    }

    @Override
    public RespFrame execute(List<byte[]> args, CommandContext ctx) {
        SortedSetValue zset = ctx.store().read(Args.key(args.get(1)), SortedSetValue.KIND);
        if (!score) {
            return RespFrame.integer(zset == null ? 0 : zset.size());
        }
        Double value = zset == null ? null : zset.score(Args.text(args.get(2)));
        return value == null ? RespFrame.NULL_BULK : RespFrame.bulk(Scores.format(value));
    }
}
