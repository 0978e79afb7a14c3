package dev.ioloop.sample.store;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A Redis set: distinct members (ISO-8859-1 strings, one char per byte) with O(1) add, remove, membership and
 * random pick. Members live in an array list and a map from member to its index; removal moves the last member
 * into the hole, so iteration order is unspecified, as in Redis's hash-table sets.
 *
 * <p>Not thread-safe: loop thread only, like the store that holds it.
 */
public final class SetValue implements Value {

    /** The handle commands look this type up with. */
    public static final ValueKind<SetValue> KIND = new ValueKind<>(ValueType.SET, SetValue.class, SetValue::new);

    @Override
    public ValueType type() {
        return ValueType.SET;
    }

    /** Always {@code hashtable}: the one representation this server has (never {@code intset} or {@code listpack}). */
    @Override
    public String encoding() {
        return "hashtable";
    }


    private final ArrayList<String> members = new ArrayList<>();
    private final HashMap<String, Integer> index = new HashMap<>();

    /** Adds {@code member}; returns whether it was new. */
    public boolean add(String member) {
        if (index.containsKey(member)) {
            return false;
        }
        index.put(member, members.size());
        members.add(member);
        return true;
    }

    /** Removes {@code member}; returns whether it was present. */
    public boolean remove(String member) {
        Integer i = index.remove(member);
        if (i == null) {
            return false;
        }
        removeAt(i);
        return true;
    }

    /** Returns whether {@code member} is in the set. */
    public boolean contains(String member) {
        return index.containsKey(member);
    }

    /**
     * The list (24 + about 1.5 references per member), the index map (48 + about 2 references per member) and per
     * member its node (32), boxed index (16) and string; members sampled.
     */
    @Override
    public long estimatedBytes() {
        int n = members.size();
        long sampled = 0;
        int k = Math.min(n, MemoryUsage.SAMPLES);
        for (int i = 0; i < k; i++) {
            sampled += 32 + 16 + MemoryUsage.string(members.get(i).length());
        }
        return 24 + 16 + 48 + 16 + 14L * n + MemoryUsage.scaled(n, sampled, k);
    }

    /** Returns the number of members. */
    public int size() {
        return members.size();
    }

    /** Returns whether the set has no members. */
    public boolean isEmpty() {
        return members.isEmpty();
    }

    @Override
    public boolean isEmptyCollection() {
        return isEmpty();
    }

    /** Returns a copy of the members, in unspecified order. */
    public List<String> members() {
        return new ArrayList<>(members);
    }

    /**
     * Removes and returns one member chosen uniformly at random.
     *
     * @throws IllegalStateException if the set is empty
     */
    public String popRandom(SplittableRandom random) {
        if (members.isEmpty()) {
            throw new IllegalStateException("set is empty: check isEmpty() before popRandom()");
        }
        int i = random.nextInt(members.size());
        String member = members.get(i);
        index.remove(member);
        removeAt(i);
        return member;
    }

    private void removeAt(int i) {
        int last = members.size() - 1;
        String moved = members.remove(last);
        if (i != last) {
            members.set(i, moved);
            index.put(moved, i);
        }
    }
}
