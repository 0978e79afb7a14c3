package dev.ioloop.sample.store;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.PriorityQueue;

/**
 * SCAN's cursor over a changing keyspace, Redis's reverse-binary idea: keys are visited in the order of their
 * bit-reversed hash, and the cursor is a position in that order (plus one; 0 starts and ends). A key present for the
 * whole iteration is therefore returned exactly once, however the map is resized or changed between steps. Each step
 * is O(n) in the number of keys (two passes, no index kept between steps). Stateless.
 */
final class ScanCursor {

    private static final long MAX_POSITION = 0xFFFF_FFFFL;

    private ScanCursor() {
    }

    /** One step's result: the entries whose positions it covered, and the cursor to continue with (0: done). */
    record Step(List<StoreEntry> visited, long next) {
    }

    /**
     * Returns the entries of the next {@code count} positions from {@code cursor} (all entries of a colliding position
     * together, so a step may return more) and the cursor after them. An out-of-range cursor ends the iteration.
     *
     * @throws IllegalArgumentException if {@code count} is below 1
     */
    static Step step(Collection<StoreEntry> entries, long cursor, int count) {
        if (count < 1) {
            throw new IllegalArgumentException("'count' must be positive (was " + count + ")");
        }
        if (cursor < 0 || cursor > MAX_POSITION + 1) {
            return new Step(List.of(), 0);
        }
        long from = cursor == 0 ? 0 : cursor - 1;
        // pass 1: the count smallest positions >= from (a max-heap keeps them)
        PriorityQueue<Long> smallest = new PriorityQueue<>(count + 1, (a, b) -> Long.compare(b, a));
        for (StoreEntry e : entries) {
            long position = position(e.key);
            if (position >= from && (smallest.size() < count || position < smallest.peek())) {
                smallest.add(position);
                if (smallest.size() > count) {
                    smallest.poll();
                }
            }
        }
        if (smallest.isEmpty()) {
            return new Step(List.of(), 0);
        }
        long last = smallest.peek();
        // pass 2: every entry in [from, last], and the next position after them
        long next = Long.MAX_VALUE;
        List<StoreEntry> visited = new ArrayList<>();
        for (StoreEntry e : entries) {
            long position = position(e.key);
            if (position > last) {
                next = Math.min(next, position);
            } else if (position >= from) {
                visited.add(e);
            }
        }
        return new Step(visited, next == Long.MAX_VALUE ? 0 : next + 1);
    }

    private static long position(String key) {
        return Integer.toUnsignedLong(Integer.reverse(key.hashCode()));
    }
}
