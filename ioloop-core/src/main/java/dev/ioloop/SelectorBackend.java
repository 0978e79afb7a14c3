package dev.ioloop;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.CancelledKeyException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.Arrays;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

import org.jspecify.annotations.Nullable;

/**
 * The default {@link IOLoopBackend}: one {@link Selector} per loop, level-triggered. {@code Selector}
 * and {@code SelectionKey} live here and nowhere else in the loop.
 *
 * <p>Tornado's masks map to java.nio's interest sets: READ is OP_ACCEPT on a server channel and
 * OP_READ elsewhere; WRITE is OP_CONNECT while a non-blocking connect is pending, then OP_WRITE (the
 * switch happens before the wait that follows the handler's {@code finishConnect}). A channel closed
 * without {@code cancel} is reported invalidated once the selector drops its key.
 *
 * <p>While no channel is registered the loop has nothing to select on: {@link #await} parks the thread
 * ({@link LockSupport#parkNanos}) and {@link #wakeup} unparks it, which is several microseconds
 * quicker than a selector's wake-up. A registration from another thread while the loop is parked is
 * seen by the loop's gate (the loop announces its wait before this class reads the channel count,
 * and {@link #register} counts the channel before the caller checks that announcement), so the loop
 * is woken and its next wait selects. The two waits are told apart by {@code waitMode}:
 * <pre>
 *   loop (await):  waitMode = PARKED | SELECTING   waker (wakeup): wakePending = true
 *                  if (!wakePending) park | select          m = waitMode
 *                  waitMode = NOT_WAITING                   PARKED: unpark; SELECTING: selector.wakeup()
 * </pre>
 * Interleavings: (a) the waker's store precedes the loop's read: the loop does not block; (b) the
 * loop's store precedes the waker's read: the waker wakes the right primitive, and an unpark or
 * selector wake-up that lands before the loop blocks makes it return at once; (c) both: a spurious
 * early return later, which the loop tolerates. Both sides store then load volatiles, so "neither
 * sees the other" cannot happen. A selecting loop is woken through a {@link WakePipe}, not
 * {@link Selector#wakeup()} (its class comment says why).
 *
 * <p>A channel added from another thread while its previous key awaits deregistration (removed and
 * added again before a select flushed the old key) is registered by the loop thread at its next wait.
 *
 * <p>Threading: as {@link IOLoopBackend}.
 */
final class SelectorBackend implements IOLoopBackend {

    static final Factory FACTORY = SelectorBackend::new;

    private static final VarHandle LIVE_COUNT;
    private static final VarHandle WAIT_MODE;

    static {
        try {
            LIVE_COUNT = MethodHandles.lookup().findVarHandle(SelectorBackend.class, "liveCount", int.class);
            WAIT_MODE = MethodHandles.lookup().findVarHandle(SelectorBackend.class, "waitMode", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private static final int NOT_WAITING = 0;
    private static final int PARKED = 1;
    private static final int SELECTING = 2;

    private final Context context;
    private final Selector selector;
    private final WakePipe wakePipe;
    private final Consumer<SelectionKey> collector = this::collect;
    /** Keys registered and not cancelled, for finding channels closed under the loop. */
    private final Set<ChannelRegistration> live = ConcurrentHashMap.newKeySet();
    // ordering: volatile, changed with atomic adds (LIVE_COUNT): incremented after a channel is
    // registered and before the loop's gate is read (see the class comment); read by poll and await
    // after the loop announced its wait. A field, not an AtomicInteger: poll reads it every iteration.
    private volatile int liveCount;
    // ordering: volatile, set by cancel (any thread) after the key's cancel, cleared by the loop thread
    // before it selects: true while a cancelled key may await the select that deregisters it (and
    // closes its channel's descriptor, if the channel was closed).
    private volatile boolean cancelledSinceSelect;
    /** Registrations made off the loop thread while the channel's old key awaited deregistration. */
    private final Queue<ChannelRegistration> deferred = new ConcurrentLinkedQueue<>();
    /** Loop thread only: registrations reported with OP_CONNECT ready in the last collection. */
    private ChannelRegistration[] connecting = new ChannelRegistration[8];
    private int connectingCount;
    // ordering: see the class comment; waiter is written before waitMode and read after it.
    private volatile int waitMode = NOT_WAITING;
    private volatile boolean wakePending;
    private @Nullable Thread waiter;

    SelectorBackend(Context context) {
        this.context = context;
        try {
            this.selector = Selector.open();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open a Selector for IOLoop '" + context.loopName() + "'", e);
        }
        try {
            this.wakePipe = new WakePipe(selector);
        } catch (IOException | RuntimeException e) {
            RuntimeException failure = e instanceof IOException io
                    ? new UncheckedIOException("cannot open the wake-up pipe of IOLoop '" + context.loopName() + "'", io)
                    : (RuntimeException) e;
            try {
                selector.close(); // nothing of this backend stays open
            } catch (IOException closing) {
                failure.addSuppressed(closing);
            }
            throw failure;
        }
    }

    /** One channel's registration; the SelectionKey's attachment. */
    static final class ChannelRegistration implements ChannelKey {
        final SelectableChannel channel;
        final Object attachment;
        // ordering: volatile, set (under this) once the key exists; null while deferred.
        private volatile @Nullable SelectionKey key;
        private int pendingOps; // guarded by this while key is null
        // ordering: volatile, set under this by cancel; read without the lock by the loop thread.
        private volatile boolean cancelled;

        ChannelRegistration(SelectableChannel channel, Object attachment) {
            this.channel = channel;
            this.attachment = attachment;
        }

        @Nullable SelectionKey key() {
            return key;
        }
    }

    @Override
    public String name() {
        return "selector";
    }

    @Override
    public boolean ownsThread() {
        return true;
    }

    @Override
    public ChannelKey register(SelectableChannel channel, int events, Object attachment) {
        int ops = NioInterest.interestOps(channel, events);
        ChannelRegistration registration = new ChannelRegistration(channel, attachment);
        SelectionKey key = registerWithSelector(registration, ops, context.inLoopThread());
        synchronized (registration) {
            registration.key = key;
            registration.pendingOps = ops;
        }
        live.add(registration);
        // ordering: atomic increment (full fence) after the key exists and before the caller reads the
        // loop's gate: a loop that announced its wait before this either sees the count or is woken.
        LIVE_COUNT.getAndAdd(this, 1);
        if (key == null) {
            deferred.add(registration);
        }
        return registration;
    }

    /**
     * Registers with the selector, the registration attached atomically. A channel whose previous key
     * was cancelled in this iteration cannot register until the selector flushes that key: on the
     * loop thread a selectNow does it (level-triggered readiness it sees is seen again, so nothing is
     * lost); elsewhere this returns null and the loop thread registers it at its next wait.
     */
    private @Nullable SelectionKey registerWithSelector(ChannelRegistration registration, int ops,
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

    @Override
    public void update(ChannelKey channelKey, int events) {
        ChannelRegistration registration = (ChannelRegistration) channelKey;
        int ops = NioInterest.interestOps(registration.channel, events);
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
            // Closed under us: reported invalidated after the next select.
        }
    }

    @Override
    public void cancel(ChannelKey channelKey) {
        ChannelRegistration registration = (ChannelRegistration) channelKey;
        SelectionKey key;
        synchronized (registration) {
            if (registration.cancelled) {
                return;
            }
            registration.cancelled = true;
            key = registration.key;
        }
        if (live.remove(registration)) {
            LIVE_COUNT.getAndAdd(this, -1);
        }
        if (key != null) {
            key.cancel();
            cancelledSinceSelect = true;
        }
    }

    @Override
    public void poll() {
        if (idle()) {
            return; // nothing registered and no cancelled key left to flush: no system call
        }
        beforeWait();
        clearCancelledSinceSelect();
        try {
            selector.selectNow(collector);
        } catch (IOException e) {
            throw new UncheckedIOException("selectNow failed", e);
        }
        reportInvalidated();
    }

    @Override
    public void await(long timeoutNanos) {
        beforeWait();
        // A key cancelled but not yet flushed keeps its channel's descriptor open: select once more
        // before parking so that a closed channel really closes (its peer sees the close).
        boolean park = liveCount == 0 && !cancelledSinceSelect;
        if (!park) {
            clearCancelledSinceSelect();
        }
        waiter = Thread.currentThread();
        // ordering: volatile store, then the volatile read of wakePending (see the class comment).
        waitMode = park ? PARKED : SELECTING;
        try {
            if (park) {
                if (!wakePending) {
                    parkFor(timeoutNanos);
                }
                return;
            }
            if (wakePending) {
                selector.selectNow(collector);
            } else if (timeoutNanos == FOREVER) {
                selector.select(collector, 0);
            } else {
                selector.select(collector, Math.max(1, ceilMillis(timeoutNanos)));
            }
            reportInvalidated();
        } catch (IOException e) {
            throw new UncheckedIOException("select failed", e);
        } finally {
            // ordering: a release store, not a volatile one (no StoreLoad fence per wait, issue 12): nothing
            // after it needs it visible first. A waker that still reads PARKED or SELECTING unparks or signals
            // the pipe, and the next wait returns at once (interleaving (c): spurious, harmless). A waker
            // that reads NOT_WAITING does nothing; its wakePending stays set (the read below may come before
            // its store) and makes the next wait return at once, as before.
            WAIT_MODE.setRelease(this, NOT_WAITING);
            if (wakePending) { // ordering: volatile read; written only when set, so a wait costs no fence here
                wakePending = false;
            }
        }
    }

    /**
     * Clears {@code cancelledSinceSelect} before a select, which deregisters every key cancelled so far.
     * Written only when set: a volatile store is a StoreLoad fence, and most selects follow no cancel.
     * A cancel between the read and the select leaves it set (one more select before parking: harmless).
     */
    private void clearCancelledSinceSelect() {
        if (cancelledSinceSelect) {
            cancelledSinceSelect = false;
        }
    }

    private void parkFor(long timeoutNanos) {
        if (timeoutNanos == FOREVER) {
            LockSupport.park(this);
        } else {
            LockSupport.parkNanos(this, timeoutNanos);
        }
    }

    @Override
    public void wakeup() {
        // ordering: volatile store, then the volatile read of waitMode (see the class comment).
        wakePending = true;
        int mode = waitMode;
        if (mode == PARKED) {
            LockSupport.unpark(waiter);
        } else if (mode == SELECTING) {
            wakePipe.signal();
        }
    }

    @Override
    public void close() {
        try (Selector closing = selector) {
            wakePipe.close();
        } catch (IOException e) {
            throw new UncheckedIOException("closing the Selector of IOLoop '" + context.loopName() + "' failed", e);
        }
    }

    /**
     * Safe from any thread: whether {@link #poll()} would do nothing (no channel registered, no
     * cancelled key to flush). A registration from another thread is followed by a wake-up of the loop.
     */
    @Override
    public boolean idle() {
        // ordering: volatile reads; see liveCount and cancelledSinceSelect.
        return liveCount == 0 && !cancelledSinceSelect;
    }

    /** Loop thread only: how many channels are registered and not cancelled (tests). */
    int liveChannels() {
        return liveCount;
    }

    /** Loop thread only, before each wait: finishes deferred registrations and connects. */
    private void beforeWait() {
        wakePipe.drainIfReported(); // before waitMode is set: see WakePipe#drainIfReported
        if (!deferred.isEmpty()) {
            completeDeferred();
        }
        if (connectingCount > 0) {
            switchConnectedToWrite();
        }
    }

    private void completeDeferred() {
        ChannelRegistration registration;
        while ((registration = deferred.poll()) != null) {
            int ops;
            synchronized (registration) {
                if (registration.cancelled) {
                    continue;
                }
                ops = registration.pendingOps;
            }
            SelectionKey key;
            try {
                key = registerWithSelector(registration, ops, true);
            } catch (IllegalArgumentException closed) {
                reportLost(registration);
                continue;
            }
            synchronized (registration) {
                registration.key = key;
                if (registration.cancelled && key != null) {
                    key.cancel();
                }
            }
        }
    }

    /** After the handler of a pending connect ran: a finished connect now waits for OP_WRITE. */
    private void switchConnectedToWrite() {
        for (int i = 0; i < connectingCount; i++) {
            ChannelRegistration registration = connecting[i];
            connecting[i] = null;
            SelectionKey key = registration.key;
            if (key == null || !key.isValid()) {
                continue;
            }
            try {
                int ops = key.interestOps();
                if ((ops & SelectionKey.OP_CONNECT) != 0
                        && !((SocketChannel) registration.channel).isConnectionPending()) {
                    key.interestOps((ops & ~SelectionKey.OP_CONNECT) | SelectionKey.OP_WRITE);
                }
            } catch (CancelledKeyException e) {
                // closed meanwhile: reported invalidated after the next select
            }
        }
        connectingCount = 0;
    }

    /** Called by the selector for each ready key, on the loop thread. */
    private void collect(SelectionKey key) {
        if (wakePipe.claim(key)) {
            return;
        }
        ChannelRegistration registration = (ChannelRegistration) key.attachment();
        int readyOps;
        try {
            readyOps = key.readyOps();
        } catch (CancelledKeyException e) {
            reportLost(registration);
            return;
        }
        if ((readyOps & SelectionKey.OP_CONNECT) != 0) {
            if (connectingCount == connecting.length) {
                connecting = Arrays.copyOf(connecting, connectingCount * 2);
            }
            connecting[connectingCount++] = registration;
        }
        context.ready(registration.attachment, NioInterest.events(readyOps));
    }

    /**
     * After a select (which flushes cancelled keys): reports the registrations whose keys the selector
     * dropped without cancel. Cheap when nothing was closed under the loop.
     */
    private void reportInvalidated() {
        if (selector.keys().size() - 1 >= liveCount) { // - 1: the wake-up pipe's key
            return;
        }
        for (ChannelRegistration registration : live) {
            SelectionKey key = registration.key;
            if (key != null && !key.isValid()) {
                reportLost(registration);
            }
        }
    }

    private void reportLost(ChannelRegistration registration) {
        if (!registration.cancelled && live.remove(registration)) {
            LIVE_COUNT.getAndAdd(this, -1);
            context.invalidated(registration.attachment);
        }
    }

    private static long ceilMillis(long nanos) {
        long millis = nanos / 1_000_000;
        return nanos % 1_000_000 == 0 ? millis : millis + 1;
    }
}
