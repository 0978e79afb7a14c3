package dev.ioloop.sample.store;

/**
 * A snapshot of the store's counters, published by {@link KeyValueStore#publishStats()} for readers on other
 * threads (metrics, health).
 *
 * @param keys keys in the store, expired-but-not-yet-removed ones included
 * @param expires keys that carry an expiry time
 * @param expiredKeys keys removed because they expired, lazily or actively, since the store was created
 * @param keyspaceHits read lookups that found a key
 * @param keyspaceMisses read lookups that found no key
 */
public record StoreStats(long keys, long expires, long expiredKeys, long keyspaceHits, long keyspaceMisses) {

    /** All zero. */
    public static final StoreStats EMPTY = new StoreStats(0, 0, 0, 0, 0);
}
