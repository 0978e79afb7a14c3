package dev.ioloop.sample.store;

/**
 * Told by the store when a key changes, as Redis's {@code signalModifiedKey}: what WATCH (a transaction fails if a
 * watched key changed) and blocking pops (a waiting client may now be served) listen to. Called on the store's thread,
 * during the command that made the change; a listener must only take note (no replies, no further changes).
 */
public interface KeyspaceListener {

    /** Ignores everything (a store used without a server). */
    KeyspaceListener NONE = key -> { };

    /**
     * {@code key} was created, changed, renamed onto or away from, given or cleared an expiry time, or removed by a
     * command, or was handed out for changing ({@link KeyValueStore#modify}): the command may have changed it. Not
     * called when a key expires (lazily or actively): Redis 7.0 does not count that as a change either (WATCH checks
     * expiry itself, {@link KeyValueStore#isExpiredInPlace}).
     */
    void keyModified(Key key);

    /**
     * Every key is about to be removed (FLUSHALL, FLUSHDB); {@code store} still holds them, so a listener can ask which
     * of the keys it cares about exist. Instead of one {@link #keyModified} per key.
     */
    default void flushing(KeyValueStore store) {
    }
}
