package dev.ioloop.sample.command;

import dev.ioloop.sample.store.KeyValueStore;
import dev.ioloop.sample.store.KeyspaceListener;

/**
 * What every client's commands share besides the keyspace: the watched keys of transactions. It listens to the store
 * and passes each changed key on to the parts that care.
 *
 * <p>Threading: the data loop's thread only, like the store. Every client's commands run there one at a time (also
 * when connections live on other loops: their commands hop to the data loop), so nothing here locks.
 */
public final class SharedState implements KeyspaceListener {

    private final KeyValueStore store;
    private final WatchedKeys watches = new WatchedKeys();

    /** Creates the shared state of {@code store} and makes it the store's listener. */
    public SharedState(KeyValueStore store) {
        this.store = store;
        store.setListener(this);
    }

    /** Returns the keyspace. */
    public KeyValueStore store() {
        return store;
    }

    /** Returns the keys clients WATCH. */
    WatchedKeys watches() {
        return watches;
    }

    @Override
    public void keyModified(String key) {
        watches.touch(key);
    }

    @Override
    public void flushing(KeyValueStore flushed) {
        watches.touchExisting(flushed);
    }

    /** Forgets everything {@code client} held (its watches): it disconnected. */
    public void release(CommandContext client) {
        watches.unwatchAll(client);
    }
}
