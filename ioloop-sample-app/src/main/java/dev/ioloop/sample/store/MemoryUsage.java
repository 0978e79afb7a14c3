package dev.ioloop.sample.store;

/**
 * Estimates of the heap a key and its value take, in O(1): what {@code maxmemory} and {@code INFO memory} count.
 *
 * <p>The figures are those of a 64-bit JVM with compressed references (objects padded to 8 bytes, 12-byte headers,
 * 16-byte array headers): a {@link Key} is 24 bytes plus its array, a map node 32 (plus its table
 * slot, about 1.5 to 2 references per node at the maps' load factor), and so on, named where they are used.
 * Collections are measured by sampling their first {@link #SAMPLES} elements and scaling by their size, as Redis's
 * {@code MEMORY USAGE} does with its default {@code SAMPLES 5}; a collection whose elements vary a lot in size is
 * estimated less well, as in Redis.
 *
 * <p>How the store keeps the sum: an entry remembers its last estimate; a string's is taken when it is set, a
 * collection's after every command that got it from the store (the store marks it and re-measures it once the command
 * ends), and removal subtracts it. A value type therefore needs only an O(1) estimate of itself
 * ({@link Value#estimatedBytes()}), whatever its layout.
 *
 * <p>Stateless and thread-safe.
 */
final class MemoryUsage {

    /** Elements sampled per collection. */
    static final int SAMPLES = 5;

    /**
     * One key's fixed cost: the keyspace map's node (32) and table slot (~6 at load 0.75), the store's entry (32),
     * and the {@link Key} object (24) and its array header (16).
     */
    static final int ENTRY_OVERHEAD = 32 + 6 + 32 + 24 + 16;

    private MemoryUsage() {
    }

    /** Returns the estimated heap bytes of {@code key} holding {@code value}. */
    static long entry(Key key, Value value) {
        return ENTRY_OVERHEAD + pad(key.length()) + value.estimatedBytes();
    }

    /** A {@code byte[]} of {@code length}: 16-byte header, padded to 8. */
    static long array(int length) {
        return 16 + pad(length);
    }

    /** A Latin-1 {@code String} of {@code length} chars: its object (24) and its array. */
    static long string(int length) {
        return 24 + array(length);
    }

    /** {@code n} elements whose sampled ones average {@code sampledBytes / sampled}: scaled to all of them. */
    static long scaled(int n, long sampledBytes, int sampled) {
        return sampled == 0 ? 0 : (long) ((double) sampledBytes / sampled * n);
    }

    private static long pad(long length) {
        return (length + 7) & ~7L;
    }
}
