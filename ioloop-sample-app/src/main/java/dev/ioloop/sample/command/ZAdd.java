package dev.ioloop.sample.command;

import dev.ioloop.sample.resp.RespFrame;
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

    @Override
    public RespFrame execute(List<byte[]> args, CommandContext ctx) {
        boolean nx = false;
        boolean xx = false;
        boolean gt = false;
        boolean lt = false;
        boolean ch = false;
        boolean incr = false;
        int scoreIndex = 2;
        for (; scoreIndex < args.size(); scoreIndex++) {
            byte[] opt = args.get(scoreIndex);
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
        int items = args.size() - scoreIndex;
        if (items == 0 || items % 2 != 0) {
            return RespFrame.error(Errors.SYNTAX);
        }
        if (nx && xx) {
            return RespFrame.error("ERR XX and NX options at the same time are not compatible");
        }
        if ((gt && nx) || (lt && nx) || (gt && lt)) {
            return RespFrame.error("ERR GT, LT, and/or NX options at the same time are not compatible");
        }
        int pairs = items / 2;
        if (incr && pairs > 1) {
            return RespFrame.error("ERR INCR option supports a single increment-element pair");
        }
        double[] scores = new double[pairs];
        for (int j = 0; j < pairs; j++) {
            scores[j] = Scores.parse(args.get(scoreIndex + 2 * j));
        }
        KeyValueStore store = ctx.store();
        String key = Args.key(args.get(1));
        SortedSetValue zset = store.getSortedSet(key);
        if (zset == null && xx) {
            return incr ? RespFrame.NULL_BULK : RespFrame.ZERO;
        }
        if (zset == null) {
            zset = store.getOrCreateSortedSet(key);
        }
        long added = 0;
        long updated = 0;
        boolean processed = false;
        double last = 0;
        for (int j = 0; j < pairs; j++) {
            String member = Args.key(args.get(scoreIndex + 2 * j + 1));
            double score = scores[j];
            Double current = zset.score(member);
            if (current == null) {
                if (xx) {
                    continue;
                }
                zset.put(member, score);
                added++;
            } else {
                if (nx) {
                    continue;
                }
                if (incr) {
                    score += current;
                    if (Double.isNaN(score)) {
                        store.deleteIfEmpty(key);
                        return RespFrame.error(NAN);
                    }
                }
                if ((lt && score >= current) || (gt && score <= current)) {
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
        if (incr) {
            return processed ? RespFrame.bulk(Scores.format(last)) : RespFrame.NULL_BULK;
        }
        return RespFrame.integer(ch ? added + updated : added);
    }
}
