package dev.ioloop.sample.command;

import dev.ioloop.sample.store.Key;
import dev.ioloop.sample.store.KeyValueStore;
import dev.ioloop.sample.store.KeyspaceListener;

/**
 * What every client's commands share besides the keyspace: the watched keys of transactions, the blocked clients and the pub/sub subscriptions.
 * It listens to the store and passes each changed key on to the parts that care.
 *
 * <p>Threading: the data loop's thread only, like the store. Every client's commands run there one at a time (also
 * when connections live on other loops: their commands hop to the data loop), so nothing here locks.
 */
public final class SharedState implements KeyspaceListener {

    private final KeyValueStore store;
    private final WatchedKeys watches = new WatchedKeys();
    private final BlockedClients blocked;
    private final PubSub pubsub = new PubSub();
    private static final byte[] NO_BYTES = new byte[0];
    private final Key keyProbe = Key.probe();

    /** Creates the shared state of {@code store} without a loop (nothing can block) and makes it the store's listener. */
    public SharedState(KeyValueStore store) {
        this(store, BlockedClients.Scheduler.NONE);
    }

    /**
     * Creates the shared state of {@code store}, whose blocked clients time out through {@code scheduler} (the data
     * loop's timers), and makes it the store's listener.
     */
    public SharedState(KeyValueStore store, BlockedClients.Scheduler scheduler) {
        this.store = store;
        this.blocked = new BlockedClients(scheduler);
        store.setListener(this);
    }

    /** Returns the channels and patterns clients subscribe to. */
    public PubSub pubsub() {
        return pubsub;
    }

    /** Returns the blocked clients. */
    public BlockedClients blocked() {
        return blocked;
    }

    /** Returns the keyspace. */
    public KeyValueStore store() {
        return store;
    }

    /** The data loop's lookup key over request bytes (see {@link Args#lookupKey}). */
    Key keyProbe() {
        return keyProbe;
    }

    /**
     * Lets go of the request bytes the data loop's lookup key points at (a client's batch ended: its query buffer may
     * be large and is no longer needed here). Data loop.
     */
    public void releaseRequestBytes() {
        keyProbe.reset(NO_BYTES, 0, 0);
    }

    /** Returns the keys clients WATCH. */
    WatchedKeys watches() {
        return watches;
    }

    @Override
    public void keyModified(Key key) {
        watches.touch(key);
        blocked.keyTouched(key);
    }

    @Override
    public void flushing(KeyValueStore flushed) {
        watches.touchExisting(flushed);
    }

    /** Forgets everything {@code client} held (its watches, its wait, its subscriptions): it disconnected. */
    public void release(CommandContext client) {
        watches.unwatchAll(client);
        blocked.release(client);
        pubsub.release(client);
    }
}
