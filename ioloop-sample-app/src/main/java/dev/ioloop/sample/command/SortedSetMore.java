package dev.ioloop.sample.command;

import dev.ioloop.sample.resp.RespFrame;
import dev.ioloop.sample.store.Key;
import dev.ioloop.sample.store.KeyValueStore;
import dev.ioloop.sample.store.SortedSetValue;
import dev.ioloop.sample.store.SortedSetValue.ScoredMember;
import java.util.ArrayList;
import java.util.List;

/**
 * ZREM, ZINCRBY, ZMSCORE, ZRANDMEMBER, ZSCAN, ZMPOP, ZCOUNT, ZLEXCOUNT, ZRANK and ZREVRANK. ZSCAN answers a sorted set
 * Redis keeps as a listpack (at most 128 members of at most 64 bytes) whole, in score order, as Redis does.
 */
final class SortedSetMore extends OneKeyFormCommand<SortedSetMore.Form> {

    /** Which of the commands. */
    enum Form { ZREM, ZINCRBY, ZMSCORE, ZRANDMEMBER, ZSCAN, ZMPOP, ZCOUNT, ZLEXCOUNT, ZRANK, ZREVRANK }

    /** Redis 7.0's {@code zset-max-listpack-entries} and {@code zset-max-listpack-value} defaults. */
    private static final int LISTPACK_ENTRIES = 128;
    private static final int LISTPACK_VALUE = 64;

    SortedSetMore(Form form) {
        super(form);
    }

    @Override
    RespFrame execute(Form form, KeyValueStore store, Key key, List<byte[]> args) {
        switch (form) {
            case ZREM:
                return zrem(store, key, args);
            case ZINCRBY:
                return zincrby(store, key, args);
            case ZMSCORE: {
                SortedSetValue zset = store.read(key, SortedSetValue.KIND);
                List<RespFrame> out = new ArrayList<>(args.size() - 2);
                for (int j = 2; j < args.size(); j++) {
                    Double score = zset == null ? null : zset.score(Args.text(args.get(j)));
                    out.add(score == null ? RespFrame.NULL_BULK : RespFrame.bulk(Scores.format(score)));
                }
                return new RespFrame.RespArray(out);
            }
            case ZRANDMEMBER:
                return zrandmember(store, key, args);
            case ZSCAN:
                return zscan(store, key, args);
            case ZMPOP:
                return zmpop(store, args);
            case ZCOUNT: {
                ScoreRange range = ScoreRange.parse(args.get(2), args.get(3));
                SortedSetValue zset = store.read(key, SortedSetValue.KIND);
                return RespFrame.integer(zset == null ? 0 : range.count(zset));
            }
            case ZLEXCOUNT: {
                LexRange range = LexRange.parse(args.get(2), args.get(3));
                SortedSetValue zset = store.read(key, SortedSetValue.KIND);
                return RespFrame.integer(zset == null ? 0 : range.select(zset, false, 0, -1).size());
            }
            default: {
                SortedSetValue zset = store.read(key, SortedSetValue.KIND);
                long rank = zset == null ? -1 : zset.rank(Args.text(args.get(2)));
                if (rank < 0) {
                    return RespFrame.NULL_BULK;
                }
                return RespFrame.integer(form == Form.ZRANK ? rank : zset.size() - 1 - rank);
            }
        }
    }

    private static RespFrame zrem(KeyValueStore store, Key key, List<byte[]> args) {
        SortedSetValue zset = store.modify(key, SortedSetValue.KIND);
        if (zset == null) {
            return RespFrame.ZERO;
        }
        long removed = 0;
        for (int j = 2; j < args.size() && !zset.isEmpty(); j++) {
            if (zset.remove(Args.text(args.get(j)))) {
                removed++;
            }
        }
        store.deleteIfEmpty(key);
        return RespFrame.integer(removed);
    }

    private static RespFrame zincrby(KeyValueStore store, Key key, List<byte[]> args) {
        double increment = Scores.parse(args.get(2));
        String member = Args.text(args.get(3));
        SortedSetValue zset = store.modifyOrCreate(key, SortedSetValue.KIND);
        Double current = zset.score(member);
        double score = current == null ? increment : current + increment;
        if (Double.isNaN(score)) {
            store.deleteIfEmpty(key);
            return RespFrame.error("ERR resulting score is not a number (NaN)");
        }
        zset.put(member, score);
        return RespFrame.bulk(Scores.format(score == 0 ? 0.0 : score));
    }

    private static RespFrame zrandmember(KeyValueStore store, Key key, List<byte[]> args) {
        boolean withScores = false;
        long count = 0;
        if (args.size() >= 3) {
            count = RandomPicks.count(args.get(2));
            if (args.size() > 4 || (args.size() == 4 && !Args.is(args.get(3), "withscores"))) {
                return RespFrame.error(Errors.SYNTAX);
            }
            if (args.size() == 4) {
                withScores = true;
                if (count < -Long.MAX_VALUE / 2 || count > Long.MAX_VALUE / 2) {
                    return RespFrame.error(Errors.OUT_OF_RANGE);
                }
            }
        }
        SortedSetValue zset = store.read(key, SortedSetValue.KIND);
        // highest first: the order Redis answers a count covering the whole sorted set in
        List<ScoredMember> members = zset == null ? List.of() : new ArrayList<>(zset.ordered().descendingSet());
        if (args.size() < 3) {
            return zset == null ? RespFrame.NULL_BULK
                    : RespFrame.bulk(Args.bytes(members.get(store.random().nextInt(members.size())).member()));
        }
        if (zset == null || count == 0) {
            return RespFrame.EMPTY_ARRAY;
        }
        RandomPicks.checkRepeated(count);
        return ZRange.reply(RandomPicks.pick(members, count, store.random()), withScores);
    }

    private static RespFrame zscan(KeyValueStore store, Key key, List<byte[]> args) {
        long cursor = ElementScan.cursor(args.get(2));
        SortedSetValue zset = store.read(key, SortedSetValue.KIND);
        if (zset == null) {
            return ElementScan.empty();
        }
        ElementScan.Options options = ElementScan.options(args);
        boolean listpack = zset.size() <= LISTPACK_ENTRIES;
        for (ScoredMember m : zset.ordered()) {
            listpack &= m.member().length() <= LISTPACK_VALUE;
        }
        return ElementScan.step(zset.ordered(), ScoredMember::member,
                m -> List.of(RespFrame.bulk(Args.bytes(m.member())), RespFrame.bulk(Scores.format(m.score()))),
                cursor, options, listpack);
    }

    private static RespFrame zmpop(KeyValueStore store, List<byte[]> args) {
        MPopArgs parsed = MPopArgs.parse(args, "min", "max");
        boolean max = !parsed.first();
        long count = parsed.count();
        int whereIndex = parsed.endIndex();
        for (int j = 2; j < whereIndex; j++) {
            Key key = Args.key(args.get(j));
            if (store.read(key, SortedSetValue.KIND) == null) {
                continue;
            }
            SortedSetValue zset = store.modify(key, SortedSetValue.KIND);
            List<RespFrame> popped = new ArrayList<>();
            for (long i = 0; i < count && !zset.isEmpty(); i++) {
                ScoredMember m = max ? zset.popMax() : zset.popMin();
                popped.add(new RespFrame.RespArray(List.of(RespFrame.bulk(Args.bytes(m.member())),
                        RespFrame.bulk(Scores.format(m.score())))));
            }
            store.deleteIfEmpty(key);
            return new RespFrame.RespArray(List.of(RespFrame.bulk(args.get(j).clone()), new RespFrame.RespArray(popped)));
        }
        return RespFrame.NULL_ARRAY;
    }
}
