package dev.ioloop.sample.store;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.PriorityQueue;
import java.util.function.Function;

/**
 * Redis's reverse-binary scan order over any collection of named elements (keys for SCAN, fields and members for
 * HSCAN, SSCAN and ZSCAN): elements are visited in the order of their name's bit-reversed hash, and the cursor is a
 * position in that order (plus one; 0 starts and ends). An element present for the whole iteration is returned
 * exactly once, however the collection is resized or changed between steps. Each step is O(n) in the collection's
 * size (two passes, no state kept between steps). Stateless.
 */
public final class ScanOrder {

    private static final long MAX_POSITION = 0xFFFF_FFFFL;

    private ScanOrder() {
    }

    /**
     * One step's result.
     *
     * @param visited the elements whose positions the step covered
     * @param next the cursor to continue with; 0 when the iteration is done
     * @param <T> the element type
     */
    public record Step<T>(List<T> visited, long next) {
    }

    /**
     * Returns the elements of the next {@code count} positions from {@code cursor} (all elements of a colliding
     * position together, so a step may return more) and the cursor after them. An out-of-range cursor ends the
     * iteration.
     *
     * @param name an element's name, whose hash gives its position
     * @throws IllegalArgumentException if {@code count} is below 1
     */
    public static <T> Step<T> step(Collection<T> elements, Function<T, ?> name, long cursor, int count) {
        if (count < 1) {
            throw new IllegalArgumentException("'count' must be positive (was " + count + ")");
        }
        if (cursor < 0 || cursor > MAX_POSITION + 1) {
            return new Step<>(List.of(), 0);
        }
        long from = cursor == 0 ? 0 : cursor - 1;
        // pass 1: the count smallest positions >= from (a max-heap keeps them)
        PriorityQueue<Long> smallest = new PriorityQueue<>(count + 1, (a, b) -> Long.compare(b, a));
        for (T e : elements) {
            long position = position(name.apply(e));
            if (position >= from && (smallest.size() < count || position < smallest.peek())) {
                smallest.add(position);
                if (smallest.size() > count) {
                    smallest.poll();
                }
            }
        }
        if (smallest.isEmpty()) {
            return new Step<>(List.of(), 0);
        }
        long last = smallest.peek();
        // pass 2: every element in [from, last], and the next position after them
        long next = Long.MAX_VALUE;
        List<T> visited = new ArrayList<>();
        for (T e : elements) {
            long position = position(name.apply(e));
            if (position > last) {
                next = Math.min(next, position);
            } else if (position >= from) {
                visited.add(e);
            }
        }
        return new Step<>(visited, next == Long.MAX_VALUE ? 0 : next + 1);
    }

    private static long position(Object name) {
        return Integer.toUnsignedLong(Integer.reverse(name.hashCode()));
    }
}
