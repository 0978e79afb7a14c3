package dev.ioloop.sample.command;

import dev.ioloop.sample.store.SortedSetValue;
import dev.ioloop.sample.store.SortedSetValue.ScoredMember;
import java.util.Iterator;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A member interval as Redis's {@code zslParseLexRange} reads it: {@code [x} includes x, {@code (x} excludes it,
 * {@code -} and {@code +} are the ends; anything else is "ERR min or max not valid string range item". Members
 * compare as unsigned bytes (ISO-8859-1 strings compare so). Meaningful when all scores are equal, as in Redis.
 *
 * @param min the lower bound, or null for {@code -} (or for {@code +}, with {@code minIsMax})
 * @param minExclusive whether the lower bound is excluded
 * @param minIsMax the lower bound is {@code +}: nothing is in range
 * @param max the upper bound, or null for {@code +} (or for {@code -}, with {@code maxIsMin})
 * @param maxExclusive whether the upper bound is excluded
 * @param maxIsMin the upper bound is {@code -}: nothing is in range
 */
record LexRange(@Nullable String min, boolean minExclusive, boolean minIsMax,
                @Nullable String max, boolean maxExclusive, boolean maxIsMin) {

    static final String INVALID = "ERR min or max not valid string range item";

    /** Parses both bounds, or throws "ERR min or max not valid string range item". */
    static LexRange parse(byte[] min, byte[] max) {
        checkItem(min);
        checkItem(max);
        return new LexRange(value(min), min[0] == '(', min[0] == '+', value(max), max[0] == '(', max[0] == '-');
    }

    private static void checkItem(byte[] item) {
        if (item.length == 0) {
            throw new CommandException(INVALID);
        }
        switch (item[0]) {
            case '+':
            case '-':
                if (item.length != 1) {
                    throw new CommandException(INVALID);
                }
                return;
            case '(':
            case '[':
                return;
            default:
                throw new CommandException(INVALID);
        }
    }

    private static @Nullable String value(byte[] item) {
        return item[0] == '(' || item[0] == '[' ? Args.text(java.util.Arrays.copyOfRange(item, 1, item.length)) : null;
    }

    boolean aboveMin(String member) {
        if (minIsMax) {
            return false;
        }
        if (min == null) {
            return true;
        }
        int c = member.compareTo(min);
        return minExclusive ? c > 0 : c >= 0;
    }

    boolean belowMax(String member) {
        if (maxIsMin) {
            return false;
        }
        if (max == null) {
            return true;
        }
        int c = member.compareTo(max);
        return maxExclusive ? c < 0 : c <= 0;
    }

    /** Returns the members in range, in order (reversed if asked), after LIMIT. O(N) to find the start. */
    List<ScoredMember> select(SortedSetValue zset, boolean reverse, long offset, long limit) {
        if (offset > 0 && offset >= zset.size()) {
            return List.of();
        }
        Iterator<ScoredMember> it;
        if (!reverse) {
            it = ZRange.takeWhile(ScoreRange.skipWhile(zset.ordered().iterator(), m -> !aboveMin(m.member())),
                    m -> belowMax(m.member()));
        } else {
            it = ZRange.takeWhile(ScoreRange.skipWhile(zset.ordered().descendingIterator(), m -> !belowMax(m.member())),
                    m -> aboveMin(m.member()));
        }
        return ZRange.limited(it, offset, limit);
    }
}
