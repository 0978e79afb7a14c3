package dev.ioloop.sample.store;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * A Redis sorted set: distinct members (ISO-8859-1 strings) each with a score, ordered by score and then by member
 * bytes (Redis's order: a Latin-1 string compares char by char as unsigned bytes, as {@code memcmp}). A hash map
 * answers the score of a member in O(1); a tree set of (score, member) keeps the order, O(log n) per change.
 * Rank lookups walk the tree, O(rank): enough for this sample, where Redis uses a skip list with spans.
 *
 * <p>Scores are never NaN, and {@code -0.0} is stored as {@code 0.0} (Redis compares scores with {@code <}, for
 * which they are equal, and its small sorted sets store {@code -0} as the integer 0). Not thread-safe: loop thread only, like the store that holds it.
 */
public final class SortedSetValue implements Value {

    /** The handle commands look this type up with. */
    public static final ValueKind<SortedSetValue> KIND = new ValueKind<>(ValueType.ZSET, SortedSetValue.class, SortedSetValue::new);

    @Override
    public ValueType type() {
        return ValueType.ZSET;
    }

    /** Always {@code skiplist}: Redis's name for its general sorted-set encoding (a map plus an ordered index), the one this server has. */
    @Override
    public String encoding() {
        return "skiplist";
    }


    /** One member and its score, as the order sees them. */
    public record ScoredMember(double score, String member) {
    }

    private static final Comparator<ScoredMember> ORDER =
            Comparator.comparingDouble(ScoredMember::score).thenComparing(ScoredMember::member);

    private final HashMap<String, Double> scores = new HashMap<>();
    private final TreeSet<ScoredMember> ordered = new TreeSet<>(ORDER);

    /**
     * Sets the score of {@code member}, adding it if absent.
     *
     * @return whether the member was new
     * @throws IllegalArgumentException if {@code score} is NaN
     */
    public boolean put(String member, double score) {
        if (Double.isNaN(score)) {
            throw new IllegalArgumentException("'score' must not be NaN (member " + member + ")");
        }
        if (score == 0) {
            score = 0.0; // -0.0 == 0.0 is true: normalise so that the tree's Double.compare agrees
        }
        Double old = scores.put(member, score);
        if (old != null) {
            ordered.remove(new ScoredMember(old, member));
        }
        ordered.add(new ScoredMember(score, member));
        return old == null;
    }

    /** Returns the score of {@code member}, or null if absent. */
    public @Nullable Double score(String member) {
        return scores.get(member);
    }

    /** Removes {@code member}; returns whether it was present. */
    public boolean remove(String member) {
        Double old = scores.remove(member);
        if (old == null) {
            return false;
        }
        ordered.remove(new ScoredMember(old, member));
        return true;
    }

    /**
     * The score map (48 + about 2 references per member) and ordered tree (48), and per member its map node (32),
     * boxed score (16), tree node (40), (score, member) pair (24) and string; members sampled.
     */
    @Override
    public long estimatedBytes() {
        int n = scores.size();
        long sampled = 0;
        int k = 0;
        for (java.util.Iterator<String> it = scores.keySet().iterator(); it.hasNext() && k < MemoryUsage.SAMPLES; k++) {
            sampled += 32 + 16 + 40 + 24 + MemoryUsage.string(it.next().length());
        }
        return 48 + 16 + 48 + 8L * n + MemoryUsage.scaled(n, sampled, k);
    }

    /** Returns the number of members. */
    public int size() {
        return scores.size();
    }

    /** Returns whether the set has no members. */
    public boolean isEmpty() {
        return scores.isEmpty();
    }

    @Override
    public boolean isEmptyCollection() {
        return isEmpty();
    }

    /** Removes and returns the member with the lowest score (then lowest bytes), or null if empty. */
    public @Nullable ScoredMember popMin() {
        ScoredMember first = ordered.pollFirst();
        if (first != null) {
            scores.remove(first.member());
        }
        return first;
    }

    /** Removes and returns the member with the highest score (the last in order), or null if empty. */
    public @Nullable ScoredMember popMax() {
        ScoredMember last = ordered.pollLast();
        if (last != null) {
            scores.remove(last.member());
        }
        return last;
    }

    /**
     * Returns the members in order, lowest score first, as a read-only view (range queries by score or by member
     * walk it; {@code descendingSet()} gives the reverse order).
     */
    public java.util.NavigableSet<ScoredMember> ordered() {
        return java.util.Collections.unmodifiableNavigableSet(ordered);
    }

    /** Returns the 0-based rank of {@code member} from the lowest score, or -1 if absent; O(rank), walking the tree. */
    public long rank(String member) {
        Double score = scores.get(member);
        if (score == null) {
            return -1;
        }
        return ordered.headSet(new ScoredMember(score, member), false).size();
    }

    /**
     * Returns the members at ranks {@code start..stop} (inclusive, 0-based, already clamped by the caller), lowest
     * first, or from the highest down if {@code reverse}.
     *
     * @throws IllegalArgumentException if the range is not within {@code 0..size()-1} or {@code start > stop}
     */
    public List<ScoredMember> range(int start, int stop, boolean reverse) {
        if (start < 0 || start > stop || stop >= size()) {
            throw new IllegalArgumentException("'start..stop' must be within 0.." + (size() - 1) + " and ordered (was "
                    + start + ".." + stop + ")");
        }
        Iterator<ScoredMember> it = reverse ? ordered.descendingIterator() : ordered.iterator();
        for (int i = 0; i < start; i++) {
            it.next();
        }
        List<ScoredMember> out = new ArrayList<>(stop - start + 1);
        for (int i = start; i <= stop; i++) {
            out.add(it.next());
        }
        return out;
    }
}
