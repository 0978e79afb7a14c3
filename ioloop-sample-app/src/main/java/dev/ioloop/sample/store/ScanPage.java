package dev.ioloop.sample.store;

import java.util.List;

/**
 * One step of a SCAN.
 *
 * @param cursor the cursor for the next call; 0 when the iteration is complete
 * @param keys the keys of this step
 */
public record ScanPage(long cursor, List<Key> keys) {
    /** Copies {@code keys}. */
    public ScanPage {
        keys = List.copyOf(keys);
    }
}
