package dev.ioloop.sample.command;

import dev.ioloop.sample.resp.RespFrame;
import dev.ioloop.sample.store.SetValue;
import dev.ioloop.sample.store.SortedSetValue;
import java.util.ArrayList;
import java.util.List;

/**
 * ZRANGE key start stop [REV] [WITHSCORES]: members by rank, inclusive, negative ranks from the end, clamped;
 * {@code *0} if absent. With WITHSCORES, member, score pairs. BYSCORE and BYLEX are not implemented here (an
 * error says so); LIMIT gets Redis's "only with BYSCORE or BYLEX" error, as it would for a rank range.
 */
final class ZRange implements Command {

    static final String NOT_IMPLEMENTED = "ERR ZRANGE BYSCORE and BYLEX are not implemented by this server";

    @Override
    public RespFrame execute(List<byte[]> args, CommandContext ctx) {
        boolean withScores = false;
        boolean reverse = false;
        boolean limit = false;
        for (int j = 4; j < args.size(); j++) {
            byte[] opt = args.get(j);
            if (Args.is(opt, "withscores")) {
                withScores = true;
            } else if (Args.is(opt, "limit") && args.size() - j - 1 >= 2) {
                Args.longValue(args.get(j + 1));
                Args.longValue(args.get(j + 2));
                limit = true;
                j += 2;
            } else if (!reverse && Args.is(opt, "rev")) {
                reverse = true;
            } else if (Args.is(opt, "byscore") || Args.is(opt, "bylex")) {
                return RespFrame.error(NOT_IMPLEMENTED);
            } else {
                return RespFrame.error(Errors.SYNTAX);
            }
        }
        if (limit) {
            return RespFrame.error("ERR syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX");
        }
        long start = Args.longValue(args.get(2));
        long stop = Args.longValue(args.get(3));
        SortedSetValue zset = ctx.store().read(Args.key(args.get(1)), SortedSetValue.KIND);
        if (zset == null) {
            return RespFrame.EMPTY_ARRAY;
        }
        RankRange range = RankRange.of(start, stop, zset.size());
        if (range == null) {
            return RespFrame.EMPTY_ARRAY;
        }
        List<RespFrame> out = new ArrayList<>(withScores ? 2 * range.length() : range.length());
        for (SortedSetValue.ScoredMember m : zset.range(range.start(), range.stop(), reverse)) {
            out.add(RespFrame.bulk(Args.bytes(m.member())));
            if (withScores) {
                out.add(RespFrame.bulk(Scores.format(m.score())));
            }
        }
        return new RespFrame.RespArray(out);
    }
}
