package dev.ioloop.sample.command;

import dev.ioloop.sample.store.Key;
import dev.ioloop.sample.store.KeyValueStore;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The keys clients WATCH, for optimistic transactions as Redis's {@code multi.c}: a change to a watched key (by any
 * client, the watcher included) marks its watchers' transactions as failed, and so does FLUSHALL for a watched key
 * that existed. A watched key that was live at WATCH and has expired by EXEC fails the transaction too
 * ({@link #expiredSinceWatch}). Memory: one map entry per watched key plus one record per (client, key); a client's
 * watches are released at EXEC, DISCARD, UNWATCH and disconnect.
 *
 * <p>Threading: the data loop's thread only (see {@link SharedState}).
 */
final class WatchedKeys {

    /** One client's watch of one key; {@code expiredAtWatch} as Redis's {@code watchedKey.expired}. */
    record Watch(Key key, CommandContext client, boolean expiredAtWatch) {
    }

    private final Map<Key, List<Watch>> byKey = new HashMap<>();

    /** Adds {@code key} to what {@code client} watches (again: no effect). */
    void watch(CommandContext client, Key key, KeyValueStore store) {
        for (Watch w : client.watched()) {
            if (w.key().equals(key)) {
                return;
            }
        }
        Watch w = new Watch(key, client, store.isExpiredInPlace(key));
        client.addWatch(w);
        byKey.computeIfAbsent(key, k -> new ArrayList<>(2)).add(w);
    }

    /** Marks the transactions of everyone watching {@code key} as failed. O(1) when nobody watches anything. */
    void touch(Key key) {
        if (byKey.isEmpty()) {
            return;
        }
        List<Watch> watchers = byKey.get(key);
        if (watchers != null) {
            for (Watch w : watchers) {
                w.client().markWatchTouched();
            }
        }
    }

    /** Marks the watchers of every watched key that exists in {@code store} (it is being flushed). */
    void touchExisting(KeyValueStore store) {
        for (Map.Entry<Key, List<Watch>> e : byKey.entrySet()) {
            if (store.exists(e.getKey())) {
                for (Watch w : e.getValue()) {
                    w.client().markWatchTouched();
                }
            }
        }
    }

    /** Whether a key {@code client} watches was live at WATCH and has expired since (EXEC then fails). */
    boolean expiredSinceWatch(CommandContext client, KeyValueStore store) {
        for (Watch w : client.watched()) {
            if (!w.expiredAtWatch() && store.isExpiredInPlace(w.key())) {
                return true;
            }
        }
        return false;
    }

    /** Forgets every key {@code client} watches and clears its touched flag (UNWATCH, EXEC, DISCARD, disconnect). */
    void unwatchAll(CommandContext client) {
        for (Watch w : client.watched()) {
            List<Watch> watchers = byKey.get(w.key());
            if (watchers != null) {
                watchers.remove(w);
                if (watchers.isEmpty()) {
                    byKey.remove(w.key());
                }
            }
        }
        client.clearWatches();
        client.clearWatchTouched();
    }

    /** Returns how many keys are watched by anyone (for tests). */
    int watchedKeyCount() {
        return byKey.size();
    }
}
