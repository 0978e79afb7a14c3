package dev.ioloop.netty;

import java.nio.channels.CancelledKeyException;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.LongSupplier;

import dev.ioloop.IOLoopBackend;
import dev.ioloop.NioInterest;
import io.netty.channel.IoEventLoop;
import io.netty.channel.IoRegistration;
import io.netty.channel.nio.NioIoOps;
import io.netty.channel.nio.NioSelectableChannelIoHandle;
import io.netty.util.concurrent.Future;
import org.jspecify.annotations.Nullable;

/**
 * The {@code java.nio} channels of one IOLoop, registered with a Netty event loop's NIO selector as
 * {@link ChannelHandle}s (Netty's {@code NioSelectableChannelIoHandle}, made for channels Netty did not
 * create). Registering, changing interest and cancelling are safe from any thread: off the event loop
 * they run as event loop tasks, and the handle's volatile fields make a cancel effective at once.
 *
 * <p>Netty does not report a channel closed under the loop (its key is simply dropped by the next
 * select), so after each wait this class looks for its own invalid keys. On an event loop of its own
 * the select ran inside that wait, so it first checks whether the selector dropped keys (it counts
 * every registration, Netty's too): an O(1) test per wait, a scan only after some key went away. On a
 * host's event loop the host selects between the loop's iterations, out of sight, so each wait scans
 * the loop's own channels (a closed channel's key is invalid at once): O(handlers) per iteration, for
 * a mode whose handlers are the exception.
 *
 * <p>{@link #ready}, {@link #beforeWait()} and {@link #afterWait()} run on the event loop thread.
 */
final class NioHandles {

    private final IOLoopBackend.Context context;
    private final IoEventLoop eventLoop;
    private final String transport;
    private final boolean supported;
    /** Every registration on the selector, Netty's channels included (see {@link #afterWait}); null on a host. */
    private final @Nullable LongSupplier registrations;
    /** Asks for an iteration soon, after readiness was reported outside one (a host's I/O). */
    private final Runnable reported;
    // Event loop thread only (one thread at a time; the IOLoop's lifecycle orders one loop thread
    // before the next):
    private final Set<ChannelHandle> live = new HashSet<>();
    private final List<ChannelHandle> connecting = new ArrayList<>();
    private @Nullable Selector selector;
    private int lastKeyCount;
    private long lastRegistrations;

    /**
     * @param eventLoop where the channels are registered, or null when the event loop cannot do I/O
     *     registrations at all
     * @param registrations every registration made on the event loop's selector, or null when the event
     *     loop is a host's (whose selects and registrations this class cannot see)
     */
    NioHandles(IOLoopBackend.Context context, @Nullable IoEventLoop eventLoop, String transport,
            @Nullable LongSupplier registrations, Runnable reported) {
        this.context = context;
        this.eventLoop = eventLoop;
        this.transport = transport;
        this.supported = eventLoop != null && eventLoop.isCompatible(NioSelectableChannelIoHandle.class);
        this.registrations = registrations;
        this.reported = reported;
    }

    /** See {@link IOLoopBackend#register}. Safe from any thread. */
    ChannelHandle register(SelectableChannel channel, int events, Object attachment) {
        if (!supported) {
            throw new UnsupportedOperationException("IOLoop '" + context.loopName() + "' runs on a Netty event loop"
                    + " with the " + transport + " transport, which cannot watch java.nio channels (addHandler, IOStream,"
                    + " TCPServer, TCPClient): use NettyBackend.factory() (NIO) for them, or Netty channels on this"
                    + " transport");
        }
        ChannelHandle handle = new ChannelHandle(channel, attachment, NioInterest.interestOps(channel, events), this);
        Future<IoRegistration> registered;
        try {
            registered = eventLoopOrFail().register(handle);
        } catch (RejectedExecutionException e) {
            throw new IllegalStateException("IOLoop '" + context.loopName() + "': its Netty event loop is shut down", e);
        }
        if (registered.isDone() && eventLoopOrFail().inEventLoop()) {
            registered(handle, registered); // registered synchronously: addHandler on the loop thread
        } else { // the promise notifies its listeners on the event loop thread
            registered.addListener(done -> registered(handle, registered));
        }
        return handle;
    }

    /** See {@link IOLoopBackend#update}. Safe from any thread. */
    void update(ChannelHandle handle, int events) {
        handle.interestOps = NioInterest.interestOps(handle.channel, events);
        onEventLoop(() -> applyInterest(handle));
    }

    /** See {@link IOLoopBackend#cancel}. Safe from any thread; idempotent. */
    void cancel(ChannelHandle handle) {
        if (handle.cancelled) {
            return;
        }
        handle.cancelled = true; // ordering: volatile store first: ready() reports nothing from now on
        onEventLoop(() -> cancelNow(handle));
    }

    /** Event loop thread, when Netty's selector dispatches a ready key of ours. */
    void ready(ChannelHandle handle, SelectionKey key) {
        if (handle.cancelled) {
            return;
        }
        int readyOps;
        try {
            readyOps = key.readyOps();
        } catch (CancelledKeyException e) {
            lost(handle);
            return;
        }
        if ((readyOps & SelectionKey.OP_CONNECT) != 0) {
            connecting.add(handle);
        }
        context.ready(handle.attachment, NioInterest.events(readyOps));
        reported.run();
    }

    /** Event loop thread, before each wait: a connect the handler finished now waits for OP_WRITE. */
    void beforeWait() {
        if (connecting.isEmpty()) {
            return;
        }
        for (ChannelHandle handle : connecting) {
            IoRegistration registration = handle.registration;
            if (!handle.cancelled && registration != null && registration.isValid()) {
                int ops = NioInterest.afterConnect(handle.channel, handle.interestOps);
                if (ops != handle.interestOps) {
                    handle.interestOps = ops;
                    applyInterest(handle);
                }
            }
        }
        connecting.clear();
    }

    /**
     * Event loop thread, after each wait: reports our channels that were closed under the loop.
     *
     * @return whether anything was reported
     */
    boolean afterWait() {
        if (live.isEmpty()) {
            return false;
        }
        LongSupplier counted = registrations;
        if (counted == null) {
            return scanForLost(); // a host's selects are out of sight: look at every channel of ours
        }
        int keys;
        try {
            keys = selector == null ? -1 : selector.keys().size();
        } catch (ClosedSelectorException e) {
            keys = -1; // Netty rebuilt its selector: look at every key, then remember the new one
        }
        long made = counted.getAsLong();
        // The select inside the wait dropped the keys cancelled since the last one (ours, Netty's, or a
        // channel's closed under us): with every registration counted, fewer keys than expected means
        // some key went away.
        long expected = lastKeyCount + (made - lastRegistrations);
        boolean check = keys < 0 || keys < expected;
        lastRegistrations = made;
        lastKeyCount = keys;
        if (!check) {
            return false;
        }
        boolean found = scanForLost();
        lastKeyCount = keyCount(); // the scan may have found Netty's new selector
        return found;
    }

    private boolean scanForLost() {
        boolean found = false;
        for (Iterator<ChannelHandle> it = live.iterator(); it.hasNext(); ) {
            ChannelHandle handle = it.next();
            IoRegistration registration = handle.registration;
            if (registration != null && !registration.isValid()) {
                it.remove();
                if (!handle.cancelled) {
                    found = true;
                    context.invalidated(handle.attachment);
                }
            } else if (registration != null) {
                selector = ((SelectionKey) registration.attachment()).selector();
            }
        }
        return found;
    }

    private int keyCount() {
        try {
            return selector == null ? 0 : selector.keys().size();
        } catch (ClosedSelectorException e) {
            return 0;
        }
    }

    /** Event loop thread, when Netty finished (or failed) registering a channel. */
    private void registered(ChannelHandle handle, Future<IoRegistration> result) {
        if (!result.isSuccess()) {
            if (!handle.cancelled) { // e.g. closed before the event loop got to it
                context.invalidated(handle.attachment);
                reported.run();
            }
            return;
        }
        IoRegistration registration = result.getNow();
        handle.registration = registration;
        if (handle.cancelled) {
            registration.cancel();
            return;
        }
        LongSupplier counted = registrations;
        if (live.isEmpty() && counted != null) {
            // Nothing of ours could have been lost while none was live: count from here.
            selector = ((SelectionKey) registration.attachment()).selector();
            lastKeyCount = keyCount();
            lastRegistrations = counted.getAsLong();
        }
        live.add(handle);
        applyInterest(handle);
    }

    private void applyInterest(ChannelHandle handle) {
        IoRegistration registration = handle.registration;
        if (registration == null || handle.cancelled) {
            return; // not registered yet (registered() applies the latest interest) or cancelled
        }
        try {
            registration.submit(NioIoOps.valueOf(handle.interestOps));
        } catch (CancelledKeyException e) {
            // closed under the loop: afterWait reports it
        }
    }

    private void cancelNow(ChannelHandle handle) {
        live.remove(handle);
        connecting.remove(handle);
        IoRegistration registration = handle.registration;
        if (registration != null) {
            registration.cancel();
        }
    }

    private void lost(ChannelHandle handle) {
        if (live.remove(handle) && !handle.cancelled) {
            context.invalidated(handle.attachment);
            reported.run();
        }
    }

    /** Runs a task on the event loop thread: now if this is it, else as an event loop task. */
    private void onEventLoop(Runnable task) {
        IoEventLoop loop = eventLoopOrFail();
        if (loop.inEventLoop()) {
            task.run();
            return;
        }
        try {
            loop.execute(task);
        } catch (RejectedExecutionException e) {
            // The event loop is shut down: its selector, and every registration on it, are gone already.
        }
    }

    private IoEventLoop eventLoopOrFail() {
        IoEventLoop loop = eventLoop;
        if (loop == null) {
            throw new UnsupportedOperationException("not an IoEventLoop"); // unreachable: register checks supported
        }
        return loop;
    }
}
