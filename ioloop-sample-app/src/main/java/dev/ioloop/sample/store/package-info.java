/**
 * The keyspace: {@link dev.ioloop.sample.store.KeyValueStore} holds {@link dev.ioloop.sample.store.Value}s (a sealed
 * type: strings, lists, sets, hashes, sorted sets, streams) with optional expiry times, looked up by
 * {@link dev.ioloop.sample.store.ValueKind}; it expires keys lazily on access and actively in budgeted cycles
 * ({@code ExpiryIndex}), walks keys for SCAN in a stable order ({@code ScanCursor}), tells a
 * {@link dev.ioloop.sample.store.KeyspaceListener} of every change, and reads time from an injectable
 * {@link dev.ioloop.sample.store.StoreClock}.
 *
 * <p>Threading: as in Redis, the data is confined to one thread (the data loop's). Nothing here locks; every method
 * of the store must be called from that one thread. Monitoring reads from other threads go through the few methods
 * documented as safe from any thread.
 */
@NullMarked
package dev.ioloop.sample.store;

import org.jspecify.annotations.NullMarked;
