package dev.ioloop.sample.store;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * The entries that carry an expiry time, in an array for O(1) add, remove and uniform random pick (what active expiry
 * samples, as Redis's {@code db->expires} dictionary is sampled). Each entry knows its slot, so removal moves the last
 * entry into the hole. Not thread-safe: the store's thread only.
 */
final class ExpiryIndex {

    private StoreEntry[] entries = new StoreEntry[16];
    private int count;

    /** Returns how many entries carry an expiry time. */
    int size() {
        return count;
    }

    /** Gives {@code e} the expiry time {@code atMillis}, indexing it if it had none. */
    void set(StoreEntry e, long atMillis) {
        if (e.expiryIndexSlot < 0) {
            if (count == entries.length) {
                entries = Arrays.copyOf(entries, count * 2);
            }
            e.expiryIndexSlot = count;
            entries[count++] = e;
        }
        e.expireAt = atMillis;
    }

    /** Clears the expiry time of {@code e}, removing it from the index if it was there. */
    void clear(StoreEntry e) {
        int i = e.expiryIndexSlot;
        if (i >= 0) {
            StoreEntry last = entries[--count];
            entries[i] = last;
            last.expiryIndexSlot = i;
            entries[count] = null;
            e.expiryIndexSlot = -1;
        }
        e.expireAt = KeyValueStore.NO_EXPIRY;
    }

    /** Returns an indexed entry chosen uniformly at random. Requires {@link #size()} above 0. */
    StoreEntry sample(SplittableRandom random) {
        return entries[random.nextInt(count)];
    }

    /** Forgets every entry (FLUSHALL). */
    void removeAll() {
        Arrays.fill(entries, 0, count, null);
        count = 0;
    }

    /** For tests: every indexed entry sits at its own slot and carries a time. */
    boolean consistent() {
        for (int i = 0; i < count; i++) {
            StoreEntry e = entries[i];
            if (e.expiryIndexSlot != i || !e.hasExpiry()) {
                return false;
            }
        }
        return true;
    }
}
