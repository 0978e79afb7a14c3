/**
 * The keyspace: {@link dev.ioloop.sample.store.KeyValueStore} holds strings, lists, sets, hashes, sorted sets and streams with optional expiry times,
 * expires keys lazily on access and actively in budgeted cycles, and reads time from an injectable
 * {@link dev.ioloop.sample.store.StoreClock}.
 *
 * <p>Threading: as in Redis, the data is confined to one thread (the data loop's). Nothing here locks; every method
 * of the store must be called from that one thread. Monitoring reads from other threads go through the few methods
 * documented as safe from any thread.
 */
@NullMarked
package dev.ioloop.sample.store;

import org.jspecify.annotations.NullMarked;
