package dev.ioloop.sample.command;

import dev.ioloop.sample.resp.RespFrame;
import dev.ioloop.sample.store.KeyValueStore;
import dev.ioloop.sample.store.SetValue;
import dev.ioloop.sample.store.SortedSetValue;
import dev.ioloop.sample.store.SortedSetValue.ScoredMember;
import dev.ioloop.sample.store.Value;
import dev.ioloop.sample.store.WrongTypeException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * ZUNION, ZINTER and ZDIFF numkeys key [key ...] [WEIGHTS w ...] [AGGREGATE SUM|MIN|MAX] [WITHSCORES], their STORE
 * forms (destination first, no WITHSCORES; an empty result removes the destination), and ZINTERCARD numkeys key
 * [key ...] [LIMIT limit]. Sources may be sorted sets or sets (each member scoring 1); ZDIFF takes no WEIGHTS or
 * AGGREGATE. Results come out in score order, so replies are deterministic. As Redis's: a weighted score that is
 * NaN (infinity times 0) counts as 0, and so does a sum of opposite infinities.
 */
final class SortedSetAlgebra implements Command {

    /** Which operation, and whether it stores or counts. */
    enum Form { ZUNION, ZINTER, ZDIFF, ZUNIONSTORE, ZINTERSTORE, ZDIFFSTORE, ZINTERCARD }

    private enum Aggregate { SUM, MIN, MAX }

    private final Form form;

    SortedSetAlgebra(Form form) {
        this.form = form;
    }

    @Override
    public RespFrame execute(List<byte[]> args, CommandContext ctx) {
        boolean store = form == Form.ZUNIONSTORE || form == Form.ZINTERSTORE || form == Form.ZDIFFSTORE;
        boolean cardinalityOnly = form == Form.ZINTERCARD;
        boolean union = form == Form.ZUNION || form == Form.ZUNIONSTORE;
        boolean diff = form == Form.ZDIFF || form == Form.ZDIFFSTORE;
        int numKeysIndex = store ? 2 : 1;
        long numKeys = Args.longValue(args.get(numKeysIndex));
        if (numKeys < 1) {
            return RespFrame.error("ERR at least 1 input key is needed for '" + ctx.commandName() + "' command");
        }
        if (numKeys > args.size() - (numKeysIndex + 1)) {
            return RespFrame.error(Errors.SYNTAX);
        }
        KeyValueStore kv = ctx.store();
        int n = (int) numKeys;
        List<Map<String, Double>> sources = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            sources.add(source(kv.value(Args.key(args.get(numKeysIndex + 1 + i)))));
        }
        double[] weights = new double[n];
        java.util.Arrays.fill(weights, 1.0);
        Aggregate aggregate = Aggregate.SUM;
        boolean withScores = false;
        long limit = 0;
        int j = numKeysIndex + 1 + n;
        while (j < args.size()) {
            int remaining = args.size() - j;
            byte[] opt = args.get(j);
            if (!diff && !cardinalityOnly && remaining >= n + 1 && Args.is(opt, "weights")) {
                j++;
                for (int i = 0; i < n; i++, j++) {
                    try {
                        weights[i] = Scores.parse(args.get(j));
                    } catch (CommandException e) {
                        return RespFrame.error("ERR weight value is not a float");
                    }
                }
            } else if (!diff && !cardinalityOnly && remaining >= 2 && Args.is(opt, "aggregate")) {
                byte[] a = args.get(j + 1);
                if (Args.is(a, "sum")) {
                    aggregate = Aggregate.SUM;
                } else if (Args.is(a, "min")) {
                    aggregate = Aggregate.MIN;
                } else if (Args.is(a, "max")) {
                    aggregate = Aggregate.MAX;
                } else {
                    return RespFrame.error(Errors.SYNTAX);
                }
                j += 2;
            } else if (!store && !cardinalityOnly && Args.is(opt, "withscores")) {
                withScores = true;
                j++;
            } else if (cardinalityOnly && remaining >= 2 && Args.is(opt, "limit")) {
                limit = Args.longValue(args.get(j + 1), "ERR LIMIT can't be negative");
                if (limit < 0) {
                    return RespFrame.error("ERR LIMIT can't be negative");
                }
                j += 2;
            } else {
                return RespFrame.error(Errors.SYNTAX);
            }
        }
        Map<String, Double> result = union ? union(sources, weights, aggregate)
                : diff ? difference(sources) : intersection(sources, weights, aggregate, cardinalityOnly ? limit : 0);
        if (cardinalityOnly) {
            return RespFrame.integer(result.size());
        }
        List<ScoredMember> ordered = new ArrayList<>(result.size());
        for (Map.Entry<String, Double> e : result.entrySet()) {
            ordered.add(new ScoredMember(e.getValue() == 0 ? 0.0 : e.getValue(), e.getKey()));
        }
        ordered.sort(Comparator.comparingDouble(ScoredMember::score).thenComparing(ScoredMember::member));
        if (store) {
            return ZRange.store(kv, Args.key(args.get(1)), ordered);
        }
        return ZRange.reply(ordered, withScores);
    }

    /** A source's members and scores: a sorted set's, a set's (each 1), or none for an absent key. */
    private static Map<String, Double> source(Value value) {
        Map<String, Double> out = new LinkedHashMap<>();
        if (value == null) {
            return out;
        }
        if (value instanceof SortedSetValue zset) {
            for (ScoredMember m : zset.ordered()) {
                out.put(m.member(), m.score());
            }
        } else if (value instanceof SetValue set) {
            for (String m : set.members()) {
                out.put(m, 1.0);
            }
        } else {
            throw new WrongTypeException();
        }
        return out;
    }

    private static double weighted(double score, double weight) {
        double v = score * weight;
        return Double.isNaN(v) ? 0 : v;
    }

    private static double combine(double target, double value, Aggregate aggregate) {
        switch (aggregate) {
            case SUM: {
                double sum = target + value;
                return Double.isNaN(sum) ? 0 : sum;
            }
            case MIN:
                return value < target ? value : target;
            default:
                return value > target ? value : target;
        }
    }

    private static Map<String, Double> union(List<Map<String, Double>> sources, double[] weights, Aggregate aggregate) {
        Map<String, Double> out = new LinkedHashMap<>();
        for (int i = 0; i < sources.size(); i++) {
            for (Map.Entry<String, Double> e : sources.get(i).entrySet()) {
                double score = weighted(e.getValue(), weights[i]);
                out.merge(e.getKey(), score, (a, b) -> combine(a, b, aggregate));
            }
        }
        return out;
    }

    private static Map<String, Double> intersection(List<Map<String, Double>> sources, double[] weights,
                                                    Aggregate aggregate, long limit) {
        Map<String, Double> out = new LinkedHashMap<>();
        Integer[] bySize = new Integer[sources.size()];
        for (int i = 0; i < bySize.length; i++) {
            bySize[i] = i;
        }
        java.util.Arrays.sort(bySize, Comparator.comparingInt(i -> sources.get(i).size()));
        int first = bySize[0];
        for (Map.Entry<String, Double> e : sources.get(first).entrySet()) {
            double score = weighted(e.getValue(), weights[first]);
            boolean inAll = true;
            for (int k = 1; k < bySize.length && inAll; k++) {
                Double other = sources.get(bySize[k]).get(e.getKey());
                if (other == null) {
                    inAll = false;
                } else {
                    score = combine(score, other * weights[bySize[k]], aggregate);
                }
            }
            if (inAll) {
                out.put(e.getKey(), score);
                if (limit > 0 && out.size() >= limit) {
                    break;
                }
            }
        }
        return out;
    }

    private static Map<String, Double> difference(List<Map<String, Double>> sources) {
        Map<String, Double> out = new LinkedHashMap<>();
        for (Map.Entry<String, Double> e : sources.get(0).entrySet()) {
            boolean elsewhere = false;
            for (int k = 1; k < sources.size() && !elsewhere; k++) {
                elsewhere = sources.get(k).containsKey(e.getKey());
            }
            if (!elsewhere) {
                out.put(e.getKey(), e.getValue());
            }
        }
        return out;
    }
}
