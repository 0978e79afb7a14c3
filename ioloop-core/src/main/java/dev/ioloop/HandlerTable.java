package dev.ioloop;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.CancelledKeyException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import org.jspecify.annotations.Nullable;

/**
 * The I/O handlers of one loop: channel to handler and selection key, and the translation between
 * Tornado's event masks ({@link IOLoop#READ}, {@link IOLoop#WRITE}, {@link IOLoop#ERROR}) and
 * java.nio's interest sets (READ is OP_ACCEPT on a server channel; WRITE is OP_CONNECT while a
 * non-blocking connect is pending, then OP_WRITE).
 *
 * <p>{@link #add}, {@link #update} and {@link #remove} are safe from any thread (java.nio allows
 * registering, changing interest and cancelling keys while another thread selects, since JDK 11).
 * Dispatch and the detection of channels closed under the loop are loop thread only.
 */
final class HandlerTable {

    private static final int VALID_EVENTS = IOLoop.READ | IOLoop.WRITE | IOLoop.ERROR;

    /**
     * A channel's registration; the selection key's attachment. Its key exists at once, except when a
     * channel is added from another thread while its previous key awaits deregistration: then the
     * loop thread registers it in its next iteration ({@link #completeDeferred}).
     */
    static final class Registration {
        final SelectableChannel channel;
        final IOLoop.IOHandler handler;
        // ordering: volatile, set once (under the registration's lock) when the key exists; readers
        // that see null take the lock and find the pending interest set instead.
        private volatile @Nullable SelectionKey key;
        private int pendingOps;   // guarded by this, while key is null
        private boolean removed;  // guarded by this

        Registration(SelectableChannel channel, IOLoop.IOHandler handler) {
            this.channel = channel;
            this.handler = handler;
        }

        @Nullable SelectionKey key() {
            return key;
        }
    }

    private final ConcurrentHashMap<SelectableChannel, Registration> registrations = new ConcurrentHashMap<>();

    // ordering: an atomic count beside the map, changed after each successful put/remove; the loop
    // reads it (one volatile load) on every iteration that could skip select, where the map's own
    // size() would sum its counter cells. A registration racing with that read is seen next iteration.
    private final AtomicInteger count = new AtomicInteger();

    int size() {
        return count.get();
    }

    boolean isEmpty() {
        return count.get() == 0;
    }

    /**
     * Registers a handler; throws, leaving the table unchanged, on any bad argument.
     *
     * @return a registration the loop thread must complete with {@link #completeDeferred}, or null
     */
    @Nullable Registration add(Selector selector, SelectableChannel channel, IOLoop.IOHandler handler, int events,
            String loopName, boolean onLoopThread) {
        checkEvents(events);
        if (!channel.isOpen()) {
            throw new IllegalArgumentException("channel " + channel + " is closed: pass an open channel");
        }
        if (channel.isBlocking()) {
            throw new IllegalArgumentException("channel " + channel
                    + " is in blocking mode: call configureBlocking(false) before addHandler");
        }
        int ops = interestOps(channel, events);
        synchronized (registrations) {
            if (registrations.containsKey(channel)) {
                throw new IllegalArgumentException("channel " + channel + " already has a handler on IOLoop '"
                        + loopName + "': call updateHandler to change its events or removeHandler first");
            }
            Registration registration = new Registration(channel, handler);
            SelectionKey key = register(selector, registration, ops, onLoopThread);
            synchronized (registration) {
                registration.key = key;
                registration.pendingOps = ops;
            }
            registrations.put(channel, registration);
            count.incrementAndGet();
            return key == null ? registration : null;
        }
    }

    /**
     * Loop thread only: registers a deferred registration (see {@link Registration}).
     *
     * @return false if the channel was closed meanwhile (the caller reports ERROR to its handler)
     */
    boolean completeDeferred(Selector selector, Registration registration) {
        int ops;
        synchronized (registration) {
            if (registration.removed) {
                return true;
            }
            ops = registration.pendingOps;
        }
        SelectionKey key;
        try {
            key = register(selector, registration, ops, true);
        } catch (IllegalArgumentException closed) {
            return !claimInvalidated(registration);
        }
        synchronized (registration) {
            registration.key = key;
            if (registration.removed && key != null) {
                key.cancel();
            }
        }
        return true;
    }

    /**
     * Registers with the selector, the registration attached atomically. A channel whose previous key
     * was cancelled in this iteration (removeHandler then addHandler) cannot register until the
     * selector flushes that key: on the loop thread a selectNow does it (readiness it sees is
     * level-triggered, so nothing is lost); elsewhere this returns null and the loop registers later.
     */
    private static @Nullable SelectionKey register(Selector selector, Registration registration, int ops,
            boolean onLoopThread) {
        SelectableChannel channel = registration.channel;
        try {
            try {
                return channel.register(selector, ops, registration);
            } catch (CancelledKeyException e) {
                if (!onLoopThread) {
                    return null;
                }
                selector.selectNow(key -> { });
                return channel.register(selector, ops, registration);
            }
        } catch (ClosedChannelException e) {
            throw new IllegalArgumentException("channel " + channel + " is closed: pass an open channel", e);
        } catch (IOException e) {
            throw new UncheckedIOException("selectNow failed while re-registering " + channel, e);
        }
    }

    /** Changes the events of a registered channel. */
    void update(SelectableChannel channel, int events, String loopName) {
        checkEvents(events);
        Registration registration = registrations.get(channel);
        if (registration == null) {
            throw new IllegalArgumentException("channel " + channel + " has no handler on IOLoop '" + loopName
                    + "': call addHandler first");
        }
        int ops = interestOps(channel, events);
        SelectionKey key = registration.key;
        if (key == null) {
            synchronized (registration) {
                key = registration.key;
                if (key == null) {
                    registration.pendingOps = ops;
                    return;
                }
            }
        }
        try {
            key.interestOps(ops);
        } catch (CancelledKeyException e) {
            // The channel was closed under us: the loop reports ERROR to the handler on its next iteration.
        }
    }

    /** Removes a channel's handler, if it has one. Returns whether it had one. */
    boolean remove(SelectableChannel channel) {
        Registration registration = registrations.remove(channel);
        if (registration == null) {
            return false;
        }
        count.decrementAndGet();
        SelectionKey key;
        synchronized (registration) {
            registration.removed = true;
            key = registration.key;
        }
        if (key != null) {
            key.cancel();
        }
        return true;
    }

    /**
     * Loop thread only: claims a registration whose key became invalid (its channel was closed or
     * its key cancelled under the loop), so that the caller reports ERROR to its handler once.
     */
    boolean claimInvalidated(Registration registration) {
        if (registrations.remove(registration.channel, registration)) {
            count.decrementAndGet();
            return true;
        }
        return false;
    }

    /**
     * Loop thread only, after a select (which flushes cancelled keys): the registrations whose keys
     * the selector dropped without removeHandler. Cheap when nothing was closed under the loop.
     */
    List<Registration> collectInvalidated(Selector selector) {
        if (selector.keys().size() >= registrations.size()) {
            return List.of();
        }
        List<Registration> invalid = new ArrayList<>();
        for (Registration registration : registrations.values()) {
            SelectionKey key = registration.key;
            if (key != null && !key.isValid() && claimInvalidated(registration)) {
                invalid.add(registration);
            }
        }
        return invalid;
    }

    /** Loop thread only: after a handler ran, switches OP_CONNECT to OP_WRITE once connected. */
    void afterDispatch(SelectionKey key, Registration registration) {
        if (!key.isValid()) {
            return;
        }
        int ops = key.interestOps();
        if ((ops & SelectionKey.OP_CONNECT) != 0 && !((SocketChannel) registration.channel).isConnectionPending()) {
            key.interestOps((ops & ~SelectionKey.OP_CONNECT) | SelectionKey.OP_WRITE);
        }
    }

    /** Removes every registration and returns their channels (for close(allFds)). */
    List<SelectableChannel> clear() {
        List<SelectableChannel> channels = new ArrayList<>(registrations.keySet());
        for (SelectableChannel channel : channels) {
            remove(channel);
        }
        return channels;
    }

    /** Translates java.nio ready operations into Tornado's event mask. */
    static int events(int readyOps) {
        int events = 0;
        if ((readyOps & (SelectionKey.OP_READ | SelectionKey.OP_ACCEPT)) != 0) {
            events |= IOLoop.READ;
        }
        if ((readyOps & (SelectionKey.OP_WRITE | SelectionKey.OP_CONNECT)) != 0) {
            events |= IOLoop.WRITE;
        }
        return events;
    }

    /** Translates Tornado's event mask into this channel's java.nio interest set. */
    static int interestOps(SelectableChannel channel, int events) {
        int valid = channel.validOps();
        int ops = 0;
        if ((events & IOLoop.READ) != 0) {
            int read = channel instanceof ServerSocketChannel ? SelectionKey.OP_ACCEPT : SelectionKey.OP_READ;
            if ((valid & read) == 0) {
                throw new IllegalArgumentException(channel.getClass().getSimpleName()
                        + " does not support READ events (valid java.nio ops: " + valid + ")");
            }
            ops |= read;
        }
        if ((events & IOLoop.WRITE) != 0) {
            int write = channel instanceof SocketChannel && ((SocketChannel) channel).isConnectionPending()
                    ? SelectionKey.OP_CONNECT : SelectionKey.OP_WRITE;
            if ((valid & write) == 0) {
                throw new IllegalArgumentException(channel.getClass().getSimpleName()
                        + " does not support WRITE events (valid java.nio ops: " + valid + ")");
            }
            ops |= write;
        }
        return ops;
    }

    private static void checkEvents(int events) {
        if ((events & ~VALID_EVENTS) != 0) {
            throw new IllegalArgumentException("'events' has unknown bits: 0x" + Integer.toHexString(events)
                    + " (use IOLoop.READ 0x1, WRITE 0x4, ERROR 0x18)");
        }
    }

    static Registration registrationOf(SelectionKey key) {
        return (Registration) Objects.requireNonNull(key.attachment(), "key has no registration");
    }
}
