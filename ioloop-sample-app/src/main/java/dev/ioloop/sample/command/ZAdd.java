package dev.ioloop.sample.command;

import dev.ioloop.sample.resp.RespFrame;
import dev.ioloop.sample.store.Key;
import dev.ioloop.sample.store.SetValue;
import dev.ioloop.sample.store.KeyValueStore;
import dev.ioloop.sample.store.SortedSetValue;
import java.util.List;

/**
 * ZADD key [NX|XX] [GT|LT] [CH] [INCR] score member [score member ...]: how many members were added (with CH,
 * added or changed); with INCR, the member's new score or {@code $-1} if a condition stopped it. Options, option
 * conflicts and every score are checked, in Redis's order, before anything changes.
 */
final class ZAdd implements Command {

    private static final String NAN = "ERR resulting score is not a number (NaN)";

    /** The options, and where the first score is. */
    private record Options(boolean nx, boolean xx, boolean gt, boolean lt, boolean ch, boolean incr, int scoreIndex) {
    }

    @Override
    public RespFrame execute(List<byte[]> args, CommandContext ctx) {
        Options o = options(args);
        int items = args.size() - o.scoreIndex();
        if (items == 0 || items % 2 != 0) {
            return RespFrame.error(Errors.SYNTAX);
        }
        if (o.nx() && o.xx()) {
            return RespFrame.error("ERR XX and NX options at the same time are not compatible");
        }
        if ((o.gt() && o.nx()) || (o.lt() && o.nx()) || (o.gt() && o.lt())) {
            return RespFrame.error("ERR GT, LT, and/or NX options at the same time are not compatible");
        }
        if (o.incr() && items > 2) {
            return RespFrame.error("ERR INCR option supports a single increment-element pair");
        }
        double[] scores = new double[items / 2];
        for (int j = 0; j < scores.length; j++) {
            scores[j] = Scores.parse(args.get(o.scoreIndex() + 2 * j));
        }
        KeyValueStore store = ctx.store();
        Key key = Args.key(args.get(1));
        if (o.xx() && store.read(key, SortedSetValue.KIND) == null) {
            return o.incr() ? RespFrame.NULL_BULK : RespFrame.ZERO; // XX never creates the key
        }
        SortedSetValue zset = store.modifyOrCreate(key, SortedSetValue.KIND);
        RespFrame reply = apply(zset, o, scores, args);
        store.deleteIfEmpty(key); // only after a NaN error on a new key
        return reply;
    }

    private static Options options(List<byte[]> args) {
        boolean nx = false, xx = false, gt = false, lt = false, ch = false, incr = false;
        int i = 2;
        for (; i < args.size(); i++) {
            byte[] opt = args.get(i);
            if (Args.is(opt, "nx")) {
                nx = true;
            } else if (Args.is(opt, "xx")) {
                xx = true;
            } else if (Args.is(opt, "ch")) {
                ch = true;
            } else if (Args.is(opt, "incr")) {
                incr = true;
            } else if (Args.is(opt, "gt")) {
                gt = true;
            } else if (Args.is(opt, "lt")) {
                lt = true;
            } else {
                break;
            }
        }
        return new Options(nx, xx, gt, lt, ch, incr, i);
    }

    /** Redis's {@code zsetAdd} per pair: the conditions, INCR's sum, the counts; the reply. */
    private static RespFrame apply(SortedSetValue zset, Options o, double[] scores, List<byte[]> args) {
        long added = 0;
        long updated = 0;
        boolean processed = false;
        double last = 0;
        for (int j = 0; j < scores.length; j++) {
            String member = Args.text(args.get(o.scoreIndex() + 2 * j + 1));
            double score = scores[j];
            Double current = zset.score(member);
            if (current == null) {
                if (o.xx()) {
                    continue;
                }
                zset.put(member, score);
                added++;
            } else {
                if (o.nx()) {
                    continue;
                }
                if (o.incr()) {
                    score += current;
                    if (Double.isNaN(score)) {
                        return RespFrame.error(NAN);
                    }
                }
                if ((o.lt() && score >= current) || (o.gt() && score <= current)) {
                    continue;
                }
                if (score != current) {
                    zset.put(member, score);
                    updated++;
                }
            }
            processed = true;
            last = score;
        }
        if (o.incr()) {
            return processed ? RespFrame.bulk(Scores.format(last)) : RespFrame.NULL_BULK;
        }
        return RespFrame.integer(o.ch() ? added + updated : added);
    }
}
