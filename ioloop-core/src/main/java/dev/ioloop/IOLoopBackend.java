package dev.ioloop;

import java.nio.channels.SelectableChannel;

import org.jspecify.annotations.Nullable;

/**
 * What an {@link IOLoop} waits with: the seam under the loop (Tornado's {@code Configurable}, Netty's
 * {@code IoHandler}). The loop keeps everything that carries its contract — the callback queues and
 * their per-iteration snapshot, the timeouts on its {@link LoopClock}, the handler table, the counters
 * behind {@code stats()}, the watchdog's stamps and the error funnel — and asks its backend only to
 * watch channels, wait, and be woken. Users choose a backend with {@link IOLoop#configure} or
 * {@link IOLoop.Builder#backend}; without one every loop uses {@link #selector()}, a
 * {@code java.nio.channels.Selector} that parks the thread instead while no channel is registered.
 *
 * <pre>{@code
 * IOLoop.configure(NettyBackend.factory());          // every loop built afterwards waits on Netty
 * IOLoop loop = IOLoop.builder().backend(IOLoopBackend.selector()).build();   // or choose per loop
 * }</pre>
 *
 * <h2>One iteration, and where the backend comes in</h2>
 * The loop runs four steps: (1) the callbacks queued when the iteration began, (2) the timeouts due
 * when it began, (3) wait, (4) dispatch. Step 3 calls exactly one of {@link #poll()} (callbacks or a
 * due timeout are waiting: look for ready channels without blocking) and {@link #await(long)} (block
 * until a channel is ready, {@link #wakeup()} is called, or the timeout passes). While waiting, the
 * backend reports what it found by calling {@link Context#ready} and {@link Context#invalidated} on the
 * loop thread; the loop collects those reports and calls the handlers in step 4, after the wait
 * returned, so a backend never runs user code. The loop decides whether a wake-up is needed at all: it
 * calls {@link #wakeup()} at most once per {@code await}, and only when another thread queued work
 * (or registered a channel) while the loop was announced as waiting.
 *
 * <h2>Two kinds of backend</h2>
 * <ul>
 *   <li><b>Owning</b> ({@link #ownsThread()} true; the selector backend, Netty's {@code factory()}):
 *   {@link IOLoop#start()} runs the iterations on the calling thread until {@link IOLoop#stop()};
 *   {@code await} blocks that thread.</li>
 *   <li><b>Driven</b> ({@link #ownsThread()} false; Netty's {@code attach(eventLoop)}): someone else's
 *   event loop (the host) owns the thread. The loop is running from construction until
 *   {@code close()}; {@code start()} and {@code runSync()} throw {@link IllegalStateException} naming
 *   {@link #name()}, and {@code stop()} does nothing. The host runs iterations by calling
 *   {@link Context#runOnce()}. For such a backend {@code poll()} and {@code await(timeout)} never
 *   block: they arrange the next {@code runOnce()} — {@code poll()} soon (behind the host's other
 *   work), {@code await(timeout)} after {@code timeout} or on {@code wakeup()}, whichever is first —
 *   and return. Readiness the host delivers between two {@code runOnce()} calls goes to
 *   {@link Context#ready} and is dispatched at the start of the next one.</li>
 * </ul>
 *
 * <h2>How Netty 4.2 maps onto this seam (issue "ioloop-netty")</h2>
 * <ul>
 *   <li>{@code factory()}: the backend owns an {@code IoEventLoop} of ioloop-netty's own (not Netty's
 *   {@code ManualIoEventLoop}, whose owning thread is set once: a loop restarted on another thread
 *   could not follow) whose {@code inEventLoop()} is {@link Context#inLoopThread()}, so the event
 *   loop's thread is whichever thread runs {@code start()} now. {@code await(t)} and {@code poll()} run
 *   the transport's {@code IoHandler} (blocking until {@code t}, Netty's next scheduled task or a
 *   wake-up; or not at all), then Netty's queued tasks; that time counts as waiting in {@code stats()},
 *   and the watchdog sees a block there through its heartbeat ({@link #sharesThread()} is true).
 *   {@link #idle()} is true while nothing was ever registered and no Netty task waits, so the loop's
 *   bursts work. {@code wakeup()} sets a flag the handler's context reads before it blocks, then
 *   calls {@code IoHandler.wakeup()}. {@code register} wraps the channel in a
 *   {@code NioSelectableChannelIoHandle} whose {@code handle(channel, key)} calls
 *   {@link Context#ready}; the handle is registered with {@code IoEventLoop.register(handle)}
 *   (asynchronous off the event loop: the latest requested events are {@code submit}ted as
 *   {@code NioIoOps} once the {@code IoRegistration} exists). A channel closed under the loop is found
 *   after the wait and reported with {@link Context#invalidated}. {@code cancel} is
 *   {@code IoRegistration.cancel()} on the event loop. {@code close()} shuts the event loop down on the
 *   closing thread.</li>
 *   <li>{@code factory(IoHandlerFactory)} on epoll or io_uring: the same, but {@code register} throws
 *   {@link UnsupportedOperationException} naming the transport (those transports cannot watch a
 *   {@code java.nio} channel); the loop passes that exception to the caller of {@code addHandler}.</li>
 *   <li>{@code attach(running)}: {@link #ownsThread()} is false and {@link #sharesThread()} true. {@code poll()} is
 *   {@code running.execute(runOnce)}, {@code await(t)} is {@code running.schedule(runOnce, t)} (none for
 *   {@link #FOREVER}) and {@code wakeup()} is {@code running.execute(runOnce)}; the backend keeps at
 *   most one of each pending (an extra {@code runOnce} is harmless: it is one more iteration).
 *   {@code close()} of the IOLoop from any thread marks it closed and wakes the backend; the next
 *   {@code runOnce} on the host releases everything (see {@link Context#runOnce()}).</li>
 * </ul>
 *
 * <h2>Threading</h2>
 * {@link #name()}, {@link #ownsThread()}, {@link #register}, {@link #update}, {@link #cancel} and
 * {@link #wakeup()} are safe from any thread. {@link #poll()} and {@link #await(long)} are called on
 * the loop thread only, one at a time. {@link #close()} is called once, by the thread that closes the
 * loop after the loop stopped (or, for a driven backend, on the host thread).
 */
public interface IOLoopBackend {

    /** The timeout of {@link #await(long)} that means "until woken or a channel is ready". */
    long FOREVER = Long.MAX_VALUE;

    /**
     * Returns the default backend: one {@code java.nio.channels.Selector} per loop, with level-triggered
     * readiness; while the loop has no channel registered it waits with {@code LockSupport.parkNanos}
     * and is woken with {@code unpark}, switching to {@code select} the moment a channel is added.
     *
     * @return the factory of selector backends; {@link Factory#create} opens a Selector
     */
    static Factory selector() {
        return SelectorBackend.FACTORY;
    }

    /**
     * Creates one loop's backend. Called once per loop, while the loop is being constructed.
     * Implementations must be safe from any thread (loops are built on any thread).
     */
    @FunctionalInterface
    interface Factory {
        /**
         * Creates the backend of a loop under construction.
         *
         * @param context the loop as its backend sees it; don't call its methods before the loop is
         *     built (the loop's constructor is still running)
         * @return a new backend, used by this loop only
         * @throws RuntimeException if the backend cannot be created; the loop is then not created
         */
        IOLoopBackend create(Context context);
    }

    /**
     * The loop as its backend sees it: where readiness is reported, and (for a driven backend) how an
     * iteration is run.
     */
    interface Context {
        /**
         * Returns the loop's name, for thread names and messages.
         *
         * @return the name; safe from any thread
         */
        String loopName();

        /**
         * Returns the loop's clock, the one its timeouts use.
         *
         * @return the clock; safe from any thread
         */
        LoopClock clock();

        /**
         * Returns whether the calling thread is the loop's thread (the one running its iterations now).
         *
         * @return true on the loop thread; safe from any thread
         */
        boolean inLoopThread();

        /**
         * Reports that a channel, or a source of the backend's own, is ready. Loop thread only: during
         * {@link #poll()} or {@link #await(long)}, or (driven backends) between two {@link #runOnce()} calls.
         * The loop calls the channel's handler, or the source's {@link ReadySource#ready}, in its next
         * dispatch step, once per report, through its error funnel.
         *
         * @param attachment the object given to {@link IOLoopBackend#register} for the channel, or a
         *     {@link ReadySource}
         * @param events a mask of {@link IOLoop#READ} and {@link IOLoop#WRITE}
         */
        void ready(Object attachment, int events);

        /**
         * Reports that a channel was closed, or its registration lost, without {@link IOLoopBackend#cancel}.
         * Same threading as {@link #ready}. The backend has already forgotten the registration (the loop
         * will not cancel it); the loop removes the handler and calls it once with {@link IOLoop#ERROR}.
         * A second report for the same registration is ignored.
         *
         * @param attachment the object given to {@link IOLoopBackend#register} for the channel
         */
        void invalidated(Object attachment);

        /**
         * Driven backends only: runs one iteration on the calling thread (the host's): dispatches what was
         * reported since the last call, runs the queued callbacks and due timeouts, then calls
         * {@link IOLoopBackend#poll()} or {@link IOLoopBackend#await(long)}, which arrange the next call.
         * The calling thread is the loop's {@link IOLoop#thread()} during the call and
         * {@link IOLoop#current()} in its callbacks. Once the loop is closed, the next call releases
         * the loop's handlers, callbacks and timeouts and closes the backend; later calls do nothing.
         * Call it from one thread at a time, with a happens-before edge between calls (one host thread,
         * or the thread that saw the host terminate).
         *
         * @throws IllegalStateException if the backend owns its thread (its loop runs in {@code start()})
         */
        void runOnce();
    }

    /**
     * Something of the backend's own that completes I/O rather than reporting readiness (a socket on io_uring,
     * whose reads and sends the kernel completes inside the backend's wait): the backend reports it with
     * {@link Context#ready}, and the loop calls {@link #ready} in the dispatch step that follows the wait, as it
     * calls a channel's handler, so that user code never runs inside the wait.
     */
    @FunctionalInterface
    interface ReadySource {
        /**
         * Loop thread, in the dispatch step: does what the reported events allow (may run user code).
         *
         * @param events the events given to {@link Context#ready}
         */
        void ready(int events);
    }

    /** A channel's registration with a backend: created by {@link #register}, handed back to update and cancel. */
    interface ChannelKey {
    }

    /**
     * Names this backend (shown by {@link IOLoop#toString()}, {@link LoopStats#backend()} and in the
     * error of {@code start()} on a driven loop).
     *
     * @return a short name such as {@code selector}; safe from any thread
     */
    String name();

    /**
     * Returns whether {@link IOLoop#start()} drives this backend on the thread that calls it.
     *
     * @return true for an owning backend, false when a host drives the loop through {@link Context#runOnce()}
     */
    boolean ownsThread();

    /**
     * Starts watching a channel. Safe from any thread; when called off the loop thread while the loop
     * waits, the loop wakes the wait afterwards, so the registration may take effect at the next wait.
     * The loop has already checked that the channel is open and non-blocking and that it has no
     * handler on this loop.
     *
     * @param channel an open, non-blocking channel
     * @param events a mask of {@link IOLoop#READ} and {@link IOLoop#WRITE}, possibly {@link IOLoop#NONE}
     * @param attachment what to pass to {@link Context#ready} and {@link Context#invalidated}
     * @return the registration
     * @throws IllegalArgumentException if the channel does not support the events, or was closed meanwhile
     * @throws UnsupportedOperationException if this backend cannot watch {@code java.nio} channels
     */
    ChannelKey register(SelectableChannel channel, int events, Object attachment);

    /**
     * Changes the events of a registration. Safe from any thread (takes effect by the next wait); a
     * registration whose channel was closed meanwhile is left alone (it is reported invalidated).
     *
     * @param key a registration of this backend, not cancelled
     * @param events a mask of {@link IOLoop#READ} and {@link IOLoop#WRITE}
     * @throws IllegalArgumentException if the channel does not support the events
     */
    void update(ChannelKey key, int events);

    /**
     * Stops watching a channel; idempotent; does not close it. Safe from any thread. After it returns
     * the backend reports nothing more for the key, except what it reported to the loop already.
     *
     * @param key a registration of this backend
     */
    void cancel(ChannelKey key);

    /**
     * Returns whether the loop's thread also runs work that is not the loop's: a host's own tasks (a
     * driven backend), or the backend's own event loop's I/O and tasks run during {@link #poll()} and
     * {@link #await(long)}. Such work runs while the loop counts itself as waiting, where the
     * watchdog's iteration stamps cannot see it; for these backends the watchdog also posts a heartbeat
     * callback to the waiting loop and reports the thread blocked when it has not run within the
     * threshold (see {@link IOLoop#setBlockingSignalThreshold}). The default, false, is right for a
     * backend that only waits: its loop gets no heartbeats and pays nothing for them.
     *
     * @return true if other work shares the loop's thread; safe from any thread, constant per backend
     */
    default boolean sharesThread() {
        return false;
    }

    /**
     * Loop thread only: whether {@link #poll()} would do nothing now (no channel registered, none to
     * flush, no work of the backend's own waiting), so that the loop may run its thread's own callbacks
     * back to back without polling ("bursts", see {@code LoopRunner}). The loop asks before each
     * iteration of a burst: work that reaches the backend from other threads without going through the
     * loop's wake-up (a Netty task, say) must turn this false at once. Must be cheap: a few volatile
     * reads. The default, false, makes the loop poll every iteration.
     *
     * @return true if polling now would find nothing
     */
    default boolean idle() {
        return false;
    }

    /**
     * Returns a capability of this backend beyond watching channels, or null if it has none of that type:
     * {@code dev.ioloop.tcp.SocketProvider} for a backend that does its own socket I/O (io_uring), which
     * {@code TCPServer} then listens and accepts through. The default has none.
     *
     * @param type the capability's type
     * @param <T> the capability's type
     * @return the capability, or null; safe from any thread, constant per backend
     */
    default <T> @Nullable T capability(Class<T> type) {
        return null;
    }

    /**
     * Loop thread only: reports the channels ready now, without blocking (driven backends: arranges a
     * {@link Context#runOnce()} soon and returns).
     */
    void poll();

    /**
     * Loop thread only: waits until a channel is ready, {@link #wakeup()} is called, or
     * {@code timeoutNanos} passed, reporting ready channels (driven backends: arranges a
     * {@link Context#runOnce()} for the first of those and returns at once). May return early
     * (spuriously); the loop then runs an iteration with nothing to do.
     *
     * @param timeoutNanos at least 1; {@link #FOREVER} for no timeout
     */
    void await(long timeoutNanos);

    /**
     * Ends the {@link #await(long)} in progress, or makes the next one return at once if none is in
     * progress (a wake-up is never lost). Safe from any thread; the loop calls it at most once per
     * wait and only when it is needed, so it need not be cheap. Must not throw: it runs inside other
     * threads' {@code addCallback} and {@code close()} calls (a driven backend whose host has
     * terminated has nothing left to wake).
     */
    void wakeup();

    /**
     * Releases what the backend holds (a Selector, an event loop it created). Called once, when the
     * loop is closed, after every channel was cancelled.
     */
    void close();
}
