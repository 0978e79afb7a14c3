package dev.ioloop.sample.store;

import java.util.Collection;
import java.util.List;

/**
 * SCAN's cursor over a changing keyspace, Redis's reverse-binary idea: keys are visited in the order of their
 * bit-reversed hash, and the cursor is a position in that order (plus one; 0 starts and ends). A key present for the
 * whole iteration is therefore returned exactly once, however the map is resized or changed between steps. Each step
 * is O(n) in the number of keys (two passes, no index kept between steps). The order itself is {@link ScanOrder}'s.
 * Stateless.
 */
final class ScanCursor {

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
        ScanOrder.Step<StoreEntry> step = ScanOrder.step(entries, e -> e.key, cursor, count);
        return new Step(step.visited(), step.next());
    }
}
