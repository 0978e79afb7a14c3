package dev.ioloop.sample.store;

/**
 * One key of the store: its value, expiry time, place in the {@link ExpiryIndex}, and memory estimate. Package-private:
 * only the store and its helpers see entries. Not thread-safe: the store's thread only.
 */
final class StoreEntry {

    final Key key;
    Value value;
    /** Absolute expiry time in clock milliseconds, or {@link KeyValueStore#NO_EXPIRY}. */
    long expireAt = KeyValueStore.NO_EXPIRY;
    /** This entry's slot in the expiry index, or -1 while it has no expiry time. */
    int expiryIndexSlot = -1;
    /** The last estimate of this key and its value, counted in the store's used memory. */
    long bytes;
    /** Handed out for changing since the last settle(): re-measured then. */
    boolean dirty;

    StoreEntry(Key key, Value value) {
        this.key = key;
        this.value = value;
    }

    boolean hasExpiry() {
        return expireAt != KeyValueStore.NO_EXPIRY;
    }

    /** Whether the entry's time has passed at {@code nowMillis} (strictly past, as in Redis). */
    boolean isExpiredAt(long nowMillis) {
        return expireAt != KeyValueStore.NO_EXPIRY && nowMillis > expireAt;
    }
}
