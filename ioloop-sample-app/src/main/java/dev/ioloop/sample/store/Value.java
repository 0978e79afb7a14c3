package dev.ioloop.sample.store;

/**
 * A value the store holds under a key: one of Redis's six types. The set is closed (sealed), so code that must treat
 * every type (TYPE, MEMORY USAGE, OBJECT ENCODING, COPY) asks the value rather than testing classes.
 *
 * <p>Collections are changed in place by the commands that got them from the store for writing
 * ({@link KeyValueStore#modify}); strings are immutable. Not thread-safe: the store's thread only.
 */
public sealed interface Value permits StringValue, ListValue, SetValue, HashValue, SortedSetValue, StreamValue {

    /** Returns the type TYPE names. */
    ValueType type();

    /**
     * Returns the estimated heap bytes of this value and everything only it references, in O(1) (collections sample
     * {@link MemoryUsage#SAMPLES} elements): what {@code maxmemory} counts.
     */
    long estimatedBytes();

    /**
     * Returns whether this is a collection with nothing in it, which Redis never keeps (a list, set, hash or sorted
     * set); false for strings and streams (an empty stream stays).
     */
    boolean isEmptyCollection();

    /** Returns the encoding OBJECT ENCODING reports, as Redis 7.0 would name this value's representation. */
    String encoding();
}
