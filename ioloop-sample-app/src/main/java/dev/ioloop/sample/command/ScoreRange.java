package dev.ioloop.sample.command;

import dev.ioloop.sample.store.SortedSetValue;
import dev.ioloop.sample.store.SortedSetValue.ScoredMember;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.List;
import java.util.NavigableSet;

/**
 * A score interval as Redis's {@code zslParseRange} reads it: {@code (} before a bound excludes it, the rest is read
 * by C's {@code strtod} (leading white space allowed, {@code inf}, nothing left over, not NaN; the empty string is
 * 0). Hexadecimal floats, which {@code strtod} also reads, are refused.
 *
 * @param min the lower bound
 * @param minExclusive whether the lower bound is excluded
 * @param max the upper bound
 * @param maxExclusive whether the upper bound is excluded
 */
record ScoreRange(double min, boolean minExclusive, double max, boolean maxExclusive) {

    static final String NOT_A_FLOAT = "ERR min or max is not a float";

    /** Parses both bounds, or throws "ERR min or max is not a float". */
    static ScoreRange parse(byte[] min, byte[] max) {
        boolean minEx = min.length > 0 && min[0] == '(';
        boolean maxEx = max.length > 0 && max[0] == '(';
        return new ScoreRange(bound(min, minEx ? 1 : 0), minEx, bound(max, maxEx ? 1 : 0), maxEx);
    }

    private static double bound(byte[] arg, int from) {
        String s = new String(arg, from, arg.length - from, StandardCharsets.ISO_8859_1);
        if (s.isEmpty()) {
            return 0; // strtod converts nothing and leaves nothing over
        }
        int i = 0;
        while (i < s.length() && " \t\n\u000b\f\r".indexOf(s.charAt(i)) >= 0) {
            i++;
        }
        String body = s.substring(i);
        String unsigned = body.startsWith("+") || body.startsWith("-") ? body.substring(1) : body;
        if (unsigned.equalsIgnoreCase("inf") || unsigned.equalsIgnoreCase("infinity")) {
            return body.startsWith("-") ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
        }
        if (!LongDouble.isDecimal(unsigned)) {
            throw new CommandException(NOT_A_FLOAT);
        }
        return Double.parseDouble(body);
    }

    boolean aboveMin(double score) {
        return minExclusive ? score > min : score >= min;
    }

    boolean belowMax(double score) {
        return maxExclusive ? score < max : score <= max;
    }

    /** Returns the members in range, in order (reversed if asked), after LIMIT. */
    List<ScoredMember> select(SortedSetValue zset, boolean reverse, long offset, long limit) {
        if (offset > 0 && offset >= zset.size()) {
            return List.of();
        }
        NavigableSet<ScoredMember> ordered = zset.ordered();
        Iterator<ScoredMember> it;
        if (!reverse) {
            NavigableSet<ScoredMember> from = ordered.tailSet(new ScoredMember(min, ""), true);
            Iterator<ScoredMember> raw = from.iterator();
            it = ZRange.takeWhile(skipWhile(raw, m -> !aboveMin(m.score())), m -> belowMax(m.score()));
        } else {
            Iterator<ScoredMember> raw = ordered.descendingIterator();
            if (max != Double.POSITIVE_INFINITY) {
                ScoredMember firstAbove = ordered.higher(new ScoredMember(Math.nextUp(max), ""));
                raw = (firstAbove == null ? ordered : ordered.headSet(firstAbove, false)).descendingIterator();
            }
            it = ZRange.takeWhile(skipWhile(raw, m -> !belowMax(m.score())), m -> aboveMin(m.score()));
        }
        return ZRange.limited(it, offset, limit);
    }

    /** Counts the members in range (ZCOUNT). */
    long count(SortedSetValue zset) {
        return select(zset, false, 0, -1).size();
    }

    /** An iterator over {@code source} without its first elements that {@code skip} accepts. */
    static Iterator<ScoredMember> skipWhile(Iterator<ScoredMember> source, java.util.function.Predicate<ScoredMember> skip) {
        return new Iterator<>() {
            private ScoredMember pending;
            private boolean started;

            private void start() {
                if (!started) {
                    started = true;
                    while (source.hasNext()) {
                        ScoredMember m = source.next();
                        if (!skip.test(m)) {
                            pending = m;
                            break;
                        }
                    }
                }
            }

            @Override
            public boolean hasNext() {
                start();
                return pending != null;
            }

            @Override
            public ScoredMember next() {
                start();
                ScoredMember m = pending;
                pending = source.hasNext() ? source.next() : null;
                return m;
            }
        };
    }
}
