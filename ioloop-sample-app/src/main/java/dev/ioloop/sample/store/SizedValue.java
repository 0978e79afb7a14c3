package dev.ioloop.sample.store;

/**
 * A value type of the store that estimates its own heap size in O(1) (see {@link MemoryUsage}): what
 * {@code maxmemory} accounting needs from each type.
 *
 * <p>Called on the store's thread.
 */
interface SizedValue {

    /**
     * Returns the estimated heap bytes of this value and everything only it references, in O(1) (collections sample
     * {@link MemoryUsage#SAMPLES} elements).
     */
    long estimatedBytes();
}
