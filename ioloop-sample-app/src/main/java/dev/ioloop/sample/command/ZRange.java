package dev.ioloop.sample.command;

import dev.ioloop.sample.resp.RespFrame;
import dev.ioloop.sample.store.Key;
import dev.ioloop.sample.store.KeyValueStore;
import dev.ioloop.sample.store.SortedSetValue;
import dev.ioloop.sample.store.SortedSetValue.ScoredMember;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * Redis's {@code zrangeGenericCommand} and the commands built on it: ZRANGE key start stop [BYSCORE | BYLEX] [REV]
 * [LIMIT offset count] [WITHSCORES], ZRANGESTORE dst src ... (the same without WITHSCORES; an empty result removes
 * dst), ZREVRANGE, ZRANGEBYSCORE, ZREVRANGEBYSCORE (max before min), ZRANGEBYLEX and ZREVRANGEBYLEX. Options and
 * bounds are checked before the key; LIMIT bounds the elements answered, not those skipped (as in Redis, a large
 * offset walks). Score ranges start from the tree's ceiling, O(log N + M); lex ranges assume equal scores, as
 * Redis's do.
 */
final class ZRange implements Command {

    /** How the range is given. */
    enum Type { AUTO, RANK, SCORE, LEX }

    private final boolean store;
    private final Type fixedType;
    private final boolean fixedReverse;
    private final boolean directionFixed;

    /** ZRANGE: everything chosen by options. */
    ZRange() {
        this(false, Type.AUTO, false, false);
    }

    /**
     * @param store ZRANGESTORE (destination first, no WITHSCORES)
     * @param fixedType the range type the command fixes, or AUTO for ZRANGE's options
     * @param directionFixed whether the command fixes the direction (then REV is a syntax error)
     * @param fixedReverse the fixed direction
     */
    ZRange(boolean store, Type fixedType, boolean directionFixed, boolean fixedReverse) {
        this.store = store;
        this.fixedType = fixedType;
        this.directionFixed = directionFixed;
        this.fixedReverse = fixedReverse;
    }

    @Override
    public RespFrame execute(List<byte[]> args, CommandContext ctx) {
        int keyIndex = store ? 2 : 1;
        Type type = fixedType;
        boolean reverse = fixedReverse;
        boolean revSeen = directionFixed;
        boolean withScores = false;
        long offset = 0;
        long limit = -1;
        for (int j = keyIndex + 3; j < args.size(); j++) {
            byte[] opt = args.get(j);
            int left = args.size() - j - 1;
            if (!store && Args.is(opt, "withscores")) {
                withScores = true;
            } else if (Args.is(opt, "limit") && left >= 2) {
                offset = Args.longValue(args.get(j + 1));
                limit = Args.longValue(args.get(j + 2));
                j += 2;
            } else if (!revSeen && Args.is(opt, "rev")) {
                reverse = true;
                revSeen = true;
            } else if (type == Type.AUTO && Args.is(opt, "bylex")) {
                type = Type.LEX;
            } else if (type == Type.AUTO && Args.is(opt, "byscore")) {
                type = Type.SCORE;
            } else {
                return RespFrame.error(Errors.SYNTAX);
            }
        }
        if (type == Type.AUTO) {
            type = Type.RANK;
        }
        if (limit != -1 && type == Type.RANK) {
            return RespFrame.error("ERR syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX");
        }
        if (withScores && type == Type.LEX) {
            return RespFrame.error("ERR syntax error, WITHSCORES not supported in combination with BYLEX");
        }
        byte[] minArg = args.get(keyIndex + 1);
        byte[] maxArg = args.get(keyIndex + 2);
        if (reverse && type != Type.RANK) {
            byte[] t = minArg;
            minArg = maxArg;
            maxArg = t;
        }
        long start = 0;
        long stop = 0;
        ScoreRange scores = null;
        LexRange lex = null;
        switch (type) {
            case SCORE:
                scores = ScoreRange.parse(minArg, maxArg);
                break;
            case LEX:
                lex = LexRange.parse(minArg, maxArg);
                break;
            default:
                start = Args.longValue(minArg);
                stop = Args.longValue(maxArg);
        }
        KeyValueStore kv = ctx.store();
        SortedSetValue zset = kv.read(Args.key(args.get(keyIndex)), SortedSetValue.KIND);
        List<ScoredMember> result;
        if (zset == null) {
            result = List.of();
        } else if (type == Type.RANK) {
            RankRange range = RankRange.of(start, stop, zset.size());
            result = range == null ? List.of() : zset.range(range.start(), range.stop(), reverse);
        } else if (type == Type.SCORE) {
            result = scores.select(zset, reverse, offset, limit);
        } else {
            result = lex.select(zset, reverse, offset, limit);
        }
        if (store) {
            return store(kv, Args.key(args.get(1)), result);
        }
        return reply(result, withScores);
    }

    /** The reply of a range: members, or member-score pairs. */
    static RespFrame reply(List<ScoredMember> members, boolean withScores) {
        List<RespFrame> out = new ArrayList<>(withScores ? 2 * members.size() : members.size());
        for (ScoredMember m : members) {
            out.add(RespFrame.bulk(Args.bytes(m.member())));
            if (withScores) {
                out.add(RespFrame.bulk(Scores.format(m.score())));
            }
        }
        return new RespFrame.RespArray(out);
    }

    /** Stores {@code members} as a new sorted set at {@code destination} (removing it when empty); their count. */
    static RespFrame store(KeyValueStore kv, Key destination, List<ScoredMember> members) {
        if (members.isEmpty()) {
            kv.delete(destination);
            return RespFrame.ZERO;
        }
        SortedSetValue result = new SortedSetValue();
        for (ScoredMember m : members) {
            result.put(m.member(), m.score());
        }
        kv.set(destination, result, false);
        return RespFrame.integer(result.size());
    }

    /** Applies LIMIT to a walk in range order: negative offset selects nothing, negative count everything left. */
    static List<ScoredMember> limited(Iterator<ScoredMember> inRange, long offset, long limit) {
        List<ScoredMember> out = new ArrayList<>();
        if (offset < 0) {
            return out;
        }
        for (long skipped = 0; skipped < offset && inRange.hasNext(); skipped++) {
            inRange.next();
        }
        while (inRange.hasNext() && (limit < 0 || out.size() < limit)) {
            out.add(inRange.next());
        }
        return out;
    }

    /** An iterator over {@code source} that ends at the first element {@code stillIn} refuses. */
    static Iterator<ScoredMember> takeWhile(Iterator<ScoredMember> source, java.util.function.Predicate<ScoredMember> stillIn) {
        return new Iterator<>() {
            private ScoredMember next = advance();

            private ScoredMember advance() {
                if (source.hasNext()) {
                    ScoredMember m = source.next();
                    return stillIn.test(m) ? m : null;
                }
                return null;
            }

            @Override
            public boolean hasNext() {
                return next != null;
            }

            @Override
            public ScoredMember next() {
                ScoredMember m = next;
                next = advance();
                return m;
            }
        };
    }
}
