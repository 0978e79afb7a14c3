package dev.ioloop;

import java.nio.channels.SelectableChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import org.jspecify.annotations.Nullable;

/**
 * The I/O handlers of one loop: channel to handler and the backend's registration. Checks what every
 * backend needs checked (an open, non-blocking channel with one handler per loop, a valid mask) and
 * leaves the translation of masks to the backend.
 *
 * <p>{@link #add}, {@link #update}, {@link #remove} and {@link #clear} are safe from any thread;
 * {@link #claimInvalidated} is loop thread only.
 */
final class HandlerTable {

    private static final int VALID_EVENTS = IOLoop.READ | IOLoop.WRITE | IOLoop.ERROR;

    /** A channel's handler; the attachment the backend reports readiness with. */
    static final class Entry {
        final SelectableChannel channel;
        final IOLoop.IOHandler handler;
        // ordering: volatile, set once under the table's lock when the backend registered the channel;
        // a reader that sees null takes the lock, which the adder holds until it is set.
        private volatile IOLoopBackend.@Nullable ChannelKey key;
        // ordering: volatile, set by remove on any thread; the loop thread reads it before each call.
        private volatile boolean removed;

        Entry(SelectableChannel channel, IOLoop.IOHandler handler) {
            this.channel = channel;
            this.handler = handler;
        }

        boolean isRemoved() {
            return removed;
        }
    }

    private final IOLoopBackend backend;
    private final ConcurrentHashMap<SelectableChannel, Entry> entries = new ConcurrentHashMap<>();
    // ordering: an atomic count beside the map, changed after each successful add and removal, so
    // stats() reads one volatile instead of summing the map's counter cells.
    private final AtomicInteger count = new AtomicInteger();

    HandlerTable(IOLoopBackend backend) {
        this.backend = backend;
    }

    int size() {
        return count.get();
    }

    /** Registers a handler; throws, leaving the table unchanged, on any bad argument or backend refusal. */
    void add(SelectableChannel channel, IOLoop.IOHandler handler, int events, String loopName) {
        checkEvents(events);
        if (!channel.isOpen()) {
            throw new IllegalArgumentException("channel " + channel + " is closed: pass an open channel");
        }
        if (channel.isBlocking()) {
            throw new IllegalArgumentException("channel " + channel
                    + " is in blocking mode: call configureBlocking(false) before addHandler");
        }
        Entry entry = new Entry(channel, handler);
        synchronized (entries) {
            // In the map before the backend may report it, so that an invalidation is claimed exactly once.
            if (entries.putIfAbsent(channel, entry) != null) {
                throw new IllegalArgumentException("channel " + channel + " already has a handler on IOLoop '"
                        + loopName + "': call updateHandler to change its events or removeHandler first");
            }
            try {
                entry.key = backend.register(channel, events & ~IOLoop.ERROR, entry);
            } catch (RuntimeException e) {
                entries.remove(channel, entry);
                throw e;
            }
            count.incrementAndGet();
        }
    }

    /** Changes the events of a registered channel. */
    void update(SelectableChannel channel, int events, String loopName) {
        checkEvents(events);
        Entry entry = entries.get(channel);
        IOLoopBackend.ChannelKey key = entry == null ? null : keyOf(entry);
        if (key == null) {
            throw new IllegalArgumentException("channel " + channel + " has no handler on IOLoop '" + loopName
                    + "': call addHandler first");
        }
        backend.update(key, events & ~IOLoop.ERROR);
    }

    /** Removes a channel's handler, if it has one. Returns whether it had one. */
    boolean remove(SelectableChannel channel) {
        Entry entry = entries.remove(channel);
        if (entry == null) {
            return false;
        }
        entry.removed = true;
        IOLoopBackend.ChannelKey key = keyOf(entry);
        if (key != null) {
            count.decrementAndGet();
            backend.cancel(key);
        }
        return true;
    }

    /**
     * Loop thread only: claims an entry whose channel was closed under the loop, so that the caller
     * reports ERROR to its handler once. The backend forgets the channel itself.
     */
    boolean claimInvalidated(Entry entry) {
        if (entries.remove(entry.channel, entry)) {
            entry.removed = true;
            count.decrementAndGet();
            return true;
        }
        return false;
    }

    /** Removes every handler and returns their channels (for close(allFds)). */
    List<SelectableChannel> clear() {
        List<SelectableChannel> channels = new ArrayList<>(entries.keySet());
        for (SelectableChannel channel : channels) {
            remove(channel);
        }
        return channels;
    }

    /** The entry's key, waiting for an add in progress on another thread; null if that add failed. */
    private IOLoopBackend.@Nullable ChannelKey keyOf(Entry entry) {
        IOLoopBackend.ChannelKey key = entry.key;
        if (key == null) {
            synchronized (entries) {
                key = entry.key;
            }
        }
        return key;
    }

    private static void checkEvents(int events) {
        if ((events & ~VALID_EVENTS) != 0) {
            throw new IllegalArgumentException("'events' has unknown bits: 0x" + Integer.toHexString(events)
                    + " (use IOLoop.READ 0x1, WRITE 0x4, ERROR 0x18)");
        }
    }
}
