package dev.ioloop.sample.command;

import org.jspecify.annotations.Nullable;

/**
 * A range of ranks (LRANGE, ZRANGE) after Redis's rules: negative indexes count from the end, the
 * start is clamped to 0 and the stop to the last element.
 *
 * @param start the first rank, in [0, size)
 * @param stop the last rank, in [start, size)
 */
record RankRange(int start, int stop) {

    /**
     * Normalises a requested range for a collection of {@code size} elements.
     *
     * @return the range, or null when it selects nothing (Redis answers an empty array)
     */
    static @Nullable RankRange of(long start, long stop, long size) {
        if (start < 0) {
            start = Math.max(0, size + start);
        }
        if (stop < 0) {
            stop = size + stop;
        }
        if (start > stop || start >= size) {
            return null;
        }
        return new RankRange((int) start, (int) Math.min(stop, size - 1));
    }

    /** The number of elements in the range. */
    int length() {
        return stop - start + 1;
    }
}
