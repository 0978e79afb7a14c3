package dev.ioloop;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A level-triggered I/O event loop: Tornado's {@code IOLoop} in Java.
 *
 * <p>A loop runs on the thread that calls {@link #start()} until {@link #stop()}. Each iteration
 * runs the callbacks queued before it began, then the timeouts that are due (in deadline order,
 * equal deadlines in the order they were added), then waits in {@code select} for I/O (not at all
 * if callbacks are waiting), then calls each ready channel's handler once with every ready event.
 * Callbacks added during an iteration wait for the next one, so no callback can starve I/O.
 *
 * <pre>{@code
 * IOLoop loop = new IOLoop();
 * ServerSocketChannel server = ServerSocketChannel.open().bind(new InetSocketAddress("127.0.0.1", 8888));
 * server.configureBlocking(false);
 * loop.addHandler(server, (channel, events) -> {
 *     SocketChannel client;
 *     while ((client = server.accept()) != null) {   // accept until it would block
 *         client.configureBlocking(false);
 *         // hand the connection to an IOStream, or to a handler of its own
 *     }
 * }, IOLoop.READ);
 * loop.start();
 * }</pre>
 *
 * <p>Threading: every scheduling method ({@code addCallback}, {@code addTimeout}, {@code callLater},
 * {@code removeTimeout}, {@code execute}, {@code stop} ...) and the handler methods are safe from
 * any thread; a call from another thread wakes the selector only when the loop is blocked in (or
 * about to enter) {@code select}. Callbacks, timeouts and handlers run on the loop thread.
 *
 * <p>Errors: every exception a callback, timeout, handler or future callback throws goes to
 * {@link #handleCallbackException}, and the loop keeps running. {@link Error}s are handled the
 * same way (an {@code AssertionError} or {@code StackOverflowError} in one callback should not take
 * a server down), except {@link VirtualMachineError}s other than {@code StackOverflowError}
 * (out of memory, internal JVM errors): after {@code handleCallbackException} sees one, it
 * propagates out of {@link #start()}, which leaves the loop stopped, not closed.
 *
 * <p>This class is larger than our usual limit because it is the contract's facade: the work is
 * done by package-private collaborators ({@link CallbackQueue}, {@link TimeoutQueue},
 * {@link SelectorDriver}, {@link HandlerTable}, {@link BlockedLoopWatchdog}).
 */
public class IOLoop implements Executor, AutoCloseable {

    /** No events. */
    public static final int NONE = 0;
    /** The channel is readable (or, for a server channel, has a connection to accept). */
    public static final int READ = 0x001;
    /** The channel is writable (or its non-blocking connect finished). */
    public static final int WRITE = 0x004;
    /** The channel was closed or its key cancelled under the loop; always reported. */
    public static final int ERROR = 0x018;

    /**
     * A handler of I/O events on a channel, as Tornado's {@code handler(fd, events)}.
     * Runs on the loop thread.
     */
    @FunctionalInterface
    public interface IOHandler {
        /**
         * Handles the events that are ready on a channel.
         *
         * @param channel the channel the handler was added for
         * @param events the ready events: a mask of {@link #READ}, {@link #WRITE}, {@link #ERROR}
         * @throws Exception passed to {@link IOLoop#handleCallbackException}; the handler stays registered
         */
        void handle(SelectableChannel channel, int events) throws Exception;
    }

    private static final Logger logger = LoggerFactory.getLogger(IOLoop.class);
    private static final ThreadLocal<IOLoop> CURRENT = new ThreadLocal<>();
    // ordering: the global instance is published and replaced with atomic operations so that
    // concurrent instance() calls agree on one loop.
    private static final AtomicReference<IOLoop> INSTANCE = new AtomicReference<>();
    // ordering: atomic increment, so that loops created concurrently never share a generated name.
    private static final AtomicInteger UNNAMED = new AtomicInteger();
    private static final VarHandle ITERATION_START;
    private static final VarHandle AWAKE_SINCE;
    private static final VarHandle STAMPED_ITERATION;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            ITERATION_START = lookup.findVarHandle(IOLoop.class, "iterationStart", long.class);
            AWAKE_SINCE = lookup.findVarHandle(IOLoop.class, "awakeSince", long.class);
            STAMPED_ITERATION = lookup.findVarHandle(IOLoop.class, "stampedIteration", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }
    /** Far enough for any real deadline, near enough that deadline differences never overflow. */
    private static final long MAX_DELAY_NANOS = 1L << 62;

    private enum State { IDLE, RUNNING, CLOSED }

    private final String name;
    private final LoopClock clock;
    private final SelectorDriver driver; // opened once the constructor's checks passed: it holds descriptors
    private final CallbackQueue callbacks = new CallbackQueue();
    private final TimeoutQueue timeouts = new TimeoutQueue();
    private final HandlerTable handlers = new HandlerTable();
    private final LoopCounters counters = new LoopCounters();
    private final BlockedLoopWatchdog.BlockedState blockedState = new BlockedLoopWatchdog.BlockedState();
    // ordering: one atomic holds the lifecycle so that start/close races resolve to one winner.
    private final AtomicReference<State> state = new AtomicReference<>(State.IDLE);
    // ordering: volatile, written by stop() on any thread and read by the loop at iteration boundaries
    // and after announcing a select (Dekker pairing with SelectorDriver, see there).
    private volatile boolean stopRequested;
    // ordering: volatile so that inLoopThread() on another thread never sees itself as a stale owner.
    private volatile @Nullable Thread thread;
    // ordering: both written with release stores by the loop thread after it wakes from select (or
    // at the start of an iteration), read with acquire loads by stats() and the watchdog after
    // SelectorDriver#isSelecting, so a reader never pairs a stale start with an awake loop.
    private long iterationStart; // through ITERATION_START only
    private long stampedIteration; // through STAMPED_ITERATION only
    // ordering: read, then CAS by any reader (see firstSighting), so that all readers of one
    // unstamped iteration agree on when it was first seen; the loop thread never touches it.
    private final AtomicReference<@Nullable Sighting> sighting = new AtomicReference<>();
    private long awakeSince;     // through AWAKE_SINCE only
    // ordering: see stats(); the highest busy time any snapshot reported.
    private final AtomicLong busyReported = new AtomicLong();
    // ordering: volatile; setBlockingSignalThreshold writes the action before the threshold and the
    // watchdog reads the threshold before the action, so a report uses the action set with (or
    // after) the threshold that triggered it.
    private volatile long blockingThresholdNanos;
    private volatile @Nullable Consumer<Thread> blockingAction;
    // ordering: volatile so that runInExecutor reads the default without the lock once it exists;
    // both are written only under `this` (double-checked creation in defaultExecutor()).
    private volatile @Nullable ExecutorService ownedDefaultExecutor;
    private volatile @Nullable Executor defaultExecutor;
    /** The scheduled-executor views, weakly: close() shuts them down so their futures don't wait for ever. */
    private final Set<LoopScheduledExecutorService> views = Collections.newSetFromMap(new WeakHashMap<>());
    // ordering: see completeOnLoop; concurrent set, so executor threads and close() need no lock.
    private final Set<Runnable> pendingCompletions = ConcurrentHashMap.newKeySet();

    /**
     * Creates a loop that becomes the calling thread's current loop if that thread has none
     * (Tornado's {@code make_current=None}).
     */
    public IOLoop() {
        this(builder());
    }

    /**
     * Creates a loop.
     *
     * @param makeCurrent true: becomes the calling thread's current loop; false: never does
     * @throws IllegalStateException if {@code makeCurrent} and the thread already has a current loop
     */
    public IOLoop(boolean makeCurrent) {
        this(builder().makeCurrent(makeCurrent));
    }

    /**
     * Creates a loop from a builder; see {@link #builder()}.
     *
     * @param builder the settings
     * @throws IllegalStateException if the builder asks to make it current and the thread has a current loop
     */
    protected IOLoop(Builder builder) {
        Objects.requireNonNull(builder, "builder");
        Boolean makeCurrent = builder.makeCurrent;
        IOLoop existing = CURRENT.get();
        if (Boolean.TRUE.equals(makeCurrent) && existing != null) {
            throw new IllegalStateException("thread " + Thread.currentThread().getName()
                    + " already has a current IOLoop ('" + existing.name + "'): call IOLoop.clearCurrent() first"
                    + " or create the loop with makeCurrent=false");
        }
        this.name = builder.name != null ? builder.name : "loop-" + UNNAMED.incrementAndGet();
        this.clock = builder.clock;
        this.driver = new SelectorDriver();
        if (Boolean.TRUE.equals(makeCurrent) || (makeCurrent == null && existing == null)) {
            CURRENT.set(this);
        }
    }

    /**
     * Returns a builder for a loop with a name, a clock, or an explicit make-current choice.
     *
     * @return a new builder; by default the loop is named {@code loop-<n>}, uses the system clock and
     *     becomes current if the thread has no current loop
     */
    public static Builder builder() {
        return new Builder();
    }

    // ------------------------------------------------------------------ current loop and instance

    /**
     * Returns the calling thread's current loop, or the global {@link #instance()} if it has none.
     *
     * @return never null
     */
    public static IOLoop current() {
        IOLoop current = CURRENT.get();
        return current != null ? current : instance();
    }

    /**
     * Returns the calling thread's current loop.
     *
     * @param instance what to do if the thread has none: true returns {@link #instance()}, false null
     * @return the current loop, the instance, or null
     */
    public static @Nullable IOLoop current(boolean instance) {
        IOLoop current = CURRENT.get();
        if (current != null || !instance) {
            return current;
        }
        return instance();
    }

    /**
     * Makes this loop the calling thread's current loop.
     *
     * @throws IllegalStateException if this loop is closed
     */
    public void makeCurrent() {
        checkNotClosed("makeCurrent()");
        CURRENT.set(this);
    }

    /** Clears the calling thread's current loop. */
    public static void clearCurrent() {
        CURRENT.remove();
    }

    /**
     * Returns the global loop, creating it on first use (it does not become current on the calling thread).
     * Safe from any thread: concurrent first calls agree on one loop.
     *
     * @return the global loop
     */
    public static IOLoop instance() {
        IOLoop existing = INSTANCE.get();
        if (existing != null) {
            return existing;
        }
        IOLoop created = builder().name("instance").makeCurrent(false).build();
        if (INSTANCE.compareAndSet(null, created)) {
            return created;
        }
        created.close();
        return INSTANCE.get() != null ? INSTANCE.get() : instance();
    }

    /**
     * Returns whether a global loop exists.
     *
     * @return true once {@link #instance()} created one or {@link #install()} installed one
     */
    public static boolean initialized() {
        return INSTANCE.get() != null;
    }

    /**
     * Makes this loop the global {@link #instance()}.
     *
     * @throws IllegalStateException if another loop is installed, or this loop is closed
     */
    public void install() {
        checkNotClosed("install()");
        if (!INSTANCE.compareAndSet(null, this)) {
            IOLoop other = INSTANCE.get();
            if (other != this) {
                throw new IllegalStateException("another IOLoop ('" + (other == null ? "?" : other.name)
                        + "') is already installed: call IOLoop.clearInstance() first");
            }
        }
    }

    /**
     * Returns the global loop without creating one (unlike {@link #instance()}). Safe from any thread.
     *
     * @return the installed loop, or null
     */
    public static @Nullable IOLoop installed() {
        return INSTANCE.get();
    }

    /**
     * Stops being the global instance, if this loop is it; another installed loop is left alone
     * (unlike {@link #clearInstance()}, this cannot race with another installer). Safe from any thread.
     *
     * @return whether this loop was the instance
     */
    public boolean uninstall() {
        // ordering: compare-and-set, so a loop installed concurrently by someone else is never cleared.
        return INSTANCE.compareAndSet(this, null);
    }

    /** Forgets the global loop (without closing it). */
    public static void clearInstance() {
        INSTANCE.set(null);
    }

    // ------------------------------------------------------------------ running

    /**
     * Runs the loop on the calling thread until {@link #stop()} is called. If {@code stop()} was
     * called while the loop was not running, returns at once. While it runs this loop is the
     * thread's current loop; the previous current loop is restored when it returns.
     *
     * @throws IllegalStateException if the loop is already running or closed
     */
    public void start() {
        if (!state.compareAndSet(State.IDLE, State.RUNNING)) {
            throw state.get() == State.CLOSED
                    ? new IllegalStateException("IOLoop '" + name + "' is closed: create a new IOLoop")
                    : new IllegalStateException("IOLoop '" + name + "' is already running on thread "
                            + describe(thread) + ": call stop() and let start() return first");
        }
        IOLoop previous = CURRENT.get();
        Thread self = Thread.currentThread();
        try {
            if (stopRequested) {
                return; // Tornado: a stop() before start() makes the next start() return at once
            }
            CURRENT.set(this);
            thread = self;
            long now = clock.nanoTime();
            beginStampedIteration(now);
            runIterations();
        } finally {
            stopRequested = false;
            if (thread == self) {
                counters.addBusyNanos(clock.nanoTime() - awakeSince); // the loop thread's own field
            }
            thread = null;
            if (previous == null) {
                CURRENT.remove();
            } else {
                CURRENT.set(previous);
            }
            state.set(State.IDLE);
        }
    }

    /**
     * Asks the loop to return from {@link #start()} after the current iteration. Safe from any thread.
     * If the loop is not running, the next {@code start()} returns at once.
     */
    public void stop() {
        stopRequested = true;
        // ordering: volatile store of stopRequested, then the selecting-flag read (Dekker pairing
        // with prepareToBlock, which stores the flag and then reads stopRequested).
        driver.wakeUpIfSelecting();
    }

    /**
     * Starts the loop, calls {@code func} on it, runs until the stage it returns completes, stops
     * the loop and returns the stage's value. Call it from a thread that is not running a loop.
     *
     * @param func returns the stage to wait for, or null (then runSync returns null once func ran)
     * @param <T> the value's type
     * @return the stage's value
     * @throws RuntimeException a failure of func or of the stage: unchecked as itself, checked wrapped
     *     in a {@link CompletionException} whose cause is the original
     * @throws IllegalStateException if the loop is stopped before the stage completes, or is running or closed
     */
    public <T> T runSync(Callable<? extends CompletionStage<T>> func) {
        return runSync(func, null);
    }

    /**
     * As {@link #runSync(Callable)}, giving up after {@code timeout}.
     *
     * @param func returns the stage to wait for, or null
     * @param timeout how long to wait; null waits for ever
     * @param <T> the value's type
     * @return the stage's value
     * @throws CompletionException whose cause is a {@link TimeoutException} when the timeout passes
     *     first (the stage is cancelled where it can be)
     */
    public <T> T runSync(Callable<? extends CompletionStage<T>> func, @Nullable Duration timeout) {
        Objects.requireNonNull(func, "func");
        if (timeout != null && (timeout.isNegative() || timeout.isZero())) {
            throw new IllegalArgumentException("'timeout' must be positive (was " + timeout + ")");
        }
        // The callbacks act only on the calling thread and only if start() was not refused: a loop
        // that runs on another thread (or that this thread runs already) must neither see func
        // called nor be stopped by the timer.
        SyncRun<T> run = new SyncRun<>(this, func, Thread.currentThread());
        addCallback(run::begin);
        Timeout timer = timeout == null ? null : callLater(timeout, run::timeOut);
        try {
            start();
        } catch (RuntimeException refused) {
            run.abandon(); // e.g. a nested runSync on this loop's own thread: its callbacks run later here
            throw refused;
        } finally {
            if (timer != null) {
                removeTimeout(timer);
            }
        }
        return run.outcome(timeout);
    }

    /**
     * Returns whether the loop is running.
     *
     * @return true between the start and the return of {@link #start()}
     */
    public boolean isRunning() {
        return state.get() == State.RUNNING;
    }

    /**
     * Returns whether the loop is closed.
     *
     * @return true once {@link #close()} succeeded
     */
    public boolean isClosed() {
        return state.get() == State.CLOSED;
    }

    /** Closes the loop without closing its channels; see {@link #close(boolean)}. */
    @Override
    public void close() {
        close(false);
    }

    /**
     * Closes the loop: removes every handler (closing the channels when {@code allFds}), drops
     * pending callbacks and timeouts, shuts down the default executor it created, and releases the
     * selector. Later callbacks are silently dropped. Idempotent.
     *
     * @param allFds also close every registered channel
     * @throws IllegalStateException while the loop is running
     */
    public void close(boolean allFds) {
        if (!state.compareAndSet(State.IDLE, State.CLOSED)) {
            if (state.get() == State.CLOSED) {
                return;
            }
            throw new IllegalStateException("IOLoop '" + name + "' is running: call stop() and let start() return"
                    + " before close()");
        }
        BlockedLoopWatchdog.INSTANCE.unwatch(this);
        List<SelectableChannel> channels = handlers.clear();
        if (allFds) {
            channels.forEach(IOLoop::closeFd);
        }
        for (Timeout timeout : timeouts.drain()) {
            timeout.markCancelled();
            timeout.forgetCallback();
        }
        callbacks.clear();
        for (Runnable complete : pendingCompletions) { // runInExecutor results whose callback was just dropped
            pendingCompletions.remove(complete);
            complete.run();
        }
        driver.close();
        List<LoopScheduledExecutorService> openViews;
        synchronized (views) {
            openViews = List.copyOf(views);
            views.clear();
        }
        openViews.forEach(LoopScheduledExecutorService::shutdownNow); // their tasks can never run now
        ExecutorService owned;
        synchronized (this) { // against a first runInExecutor creating the default executor right now
            owned = ownedDefaultExecutor;
            ownedDefaultExecutor = null;
        }
        if (owned != null) {
            owned.shutdown();
        }
        if (CURRENT.get() == this) {
            CURRENT.remove();
        }
        INSTANCE.compareAndSet(this, null);
    }

    // ------------------------------------------------------------------ I/O handlers

    /**
     * Registers a handler for events on a non-blocking channel. Safe from any thread.
     *
     * @param channel an open channel in non-blocking mode
     * @param handler called on the loop thread with the ready events
     * @param events a mask of {@link #READ} and {@link #WRITE} ({@link #ERROR} is always reported)
     * @throws IllegalArgumentException if the channel already has a handler on this loop, is closed or
     *     blocking, or the mask has unknown bits or events the channel does not support
     * @throws IllegalStateException if the loop is closed
     */
    public void addHandler(SelectableChannel channel, IOHandler handler, int events) {
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(handler, "handler");
        checkNotClosed("addHandler");
        boolean onLoop = inLoopThread();
        HandlerTable.Registration deferred = handlers.add(driver.selector(), channel, handler, events, name, onLoop);
        if (deferred != null) {
            addCallback(() -> {
                if (!handlers.completeDeferred(driver.selector(), deferred)) {
                    callHandler(deferred, ERROR);
                }
            });
        } else if (!onLoop) {
            // java.nio applies a registration made during a select only at the next select: wake it.
            driver.wakeUpIfSelecting();
        }
    }

    /**
     * Changes the events a registered channel's handler listens for. Safe from any thread.
     *
     * @param channel a channel with a handler on this loop
     * @param events a mask of {@link #READ} and {@link #WRITE}
     * @throws IllegalArgumentException if the channel has no handler here or the mask is invalid
     */
    public void updateHandler(SelectableChannel channel, int events) {
        Objects.requireNonNull(channel, "channel");
        handlers.update(channel, events, name);
        if (!inLoopThread()) {
            // java.nio applies an interest change made during a select only at the next select: wake it.
            driver.wakeUpIfSelecting();
        }
    }

    /**
     * Removes a channel's handler; does nothing if it has none. Does not close the channel.
     * Safe from any thread; called from another thread while the loop dispatches the channel's
     * events, the handler may still run once after this returns (on the loop thread, never later).
     *
     * @param channel the channel
     */
    public void removeHandler(SelectableChannel channel) {
        Objects.requireNonNull(channel, "channel");
        handlers.remove(channel);
    }

    // ------------------------------------------------------------------ callbacks and timeouts

    /**
     * Runs a callback on the loop thread in the next iteration. Safe from any thread; silently
     * dropped once the loop is closed (Tornado's behaviour; {@link #execute} throws instead).
     *
     * @param callback the callback; its exceptions go to {@link #handleCallbackException}
     */
    public void addCallback(Runnable callback) {
        Objects.requireNonNull(callback, "callback");
        if (state.get() == State.CLOSED) {
            return;
        }
        callbacks.add(callback);
        driver.wakeUpIfSelecting();
    }

    /**
     * As {@link #addCallback}; Java has no signal handlers with restrictions, so this is the same call.
     *
     * @param callback the callback
     */
    public void addCallbackFromSignal(Runnable callback) {
        addCallback(callback);
    }

    /**
     * As {@link #addCallback}: the callback's exceptions are logged through
     * {@link #handleCallbackException}, never returned to the caller.
     *
     * @param callback the callback
     */
    public void spawnCallback(Runnable callback) {
        addCallback(callback);
    }

    /**
     * Runs {@code callback} on the loop thread once {@code future} completes. Safe from any thread.
     *
     * @param future the stage to wait for
     * @param callback receives the completed future (value or failure)
     * @param <T> the value's type
     */
    public <T> void addFuture(CompletionStage<T> future, Consumer<? super CompletableFuture<T>> callback) {
        Objects.requireNonNull(future, "future");
        Objects.requireNonNull(callback, "callback");
        future.whenComplete((value, failure) -> {
            CompletableFuture<T> completed = asCompleted(future, value, failure);
            addCallback(() -> callback.accept(completed));
        });
    }

    /**
     * Runs a callback at a deadline on the scale of {@link #time()}. Safe from any thread.
     *
     * @param deadline seconds on the loop's clock; a past deadline runs in the next iteration
     * @param callback the callback
     * @return a handle for {@link #removeTimeout}
     * @throws IllegalArgumentException if the deadline is NaN or infinite
     */
    public Timeout addTimeout(double deadline, Runnable callback) {
        return callAt(deadline, callback);
    }

    /**
     * Runs a callback after a delay (Tornado's {@code add_timeout(timedelta, ...)}). Safe from any thread.
     *
     * @param delay the delay; zero or negative runs in the next iteration
     * @param callback the callback
     * @return a handle for {@link #removeTimeout}
     */
    public Timeout addTimeout(Duration delay, Runnable callback) {
        return callLater(delay, callback);
    }

    /**
     * Runs a callback at a deadline on the scale of {@link #time()}. Safe from any thread.
     *
     * @param when seconds on the loop's clock
     * @param callback the callback
     * @return a handle for {@link #removeTimeout}
     * @throws IllegalArgumentException if {@code when} is NaN or infinite
     */
    public Timeout callAt(double when, Runnable callback) {
        checkFinite("when", when);
        Objects.requireNonNull(callback, "callback");
        long now = clock.nanoTime();
        double nanos = when * 1e9;
        long deadline = Math.abs(nanos - now) < MAX_DELAY_NANOS ? Math.round(nanos) : now + clampDelay(nanos - now);
        return schedule(deadline, callback);
    }

    /**
     * Runs a callback after a delay in seconds. Safe from any thread.
     *
     * @param delaySeconds the delay; zero or negative runs in the next iteration
     * @param callback the callback
     * @return a handle for {@link #removeTimeout}
     * @throws IllegalArgumentException if the delay is NaN or infinite
     */
    public Timeout callLater(double delaySeconds, Runnable callback) {
        checkFinite("delaySeconds", delaySeconds);
        Objects.requireNonNull(callback, "callback");
        return schedule(clock.nanoTime() + clampDelay(delaySeconds * 1e9), callback);
    }

    /**
     * Runs a callback after a delay. Safe from any thread.
     *
     * @param delay the delay; zero or negative runs in the next iteration
     * @param callback the callback
     * @return a handle for {@link #removeTimeout}
     */
    public Timeout callLater(Duration delay, Runnable callback) {
        Objects.requireNonNull(delay, "delay");
        Objects.requireNonNull(callback, "callback");
        return schedule(clock.nanoTime() + clampDelay(delay), callback);
    }

    /**
     * Cancels a timeout. Safe from any thread, after the timeout fired, and twice.
     *
     * @param timeout a handle from this loop
     * @throws IllegalArgumentException if the timeout belongs to another loop
     */
    public void removeTimeout(Timeout timeout) {
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.loop() != this) {
            throw new IllegalArgumentException("timeout " + timeout + " belongs to IOLoop '" + timeout.loop().name
                    + "', not '" + name + "'");
        }
        if (!timeout.markCancelled()) {
            return;
        }
        if (inLoopThread()) {
            timeouts.remove(timeout);
            timeout.forgetCallback();
        } else {
            addCallback(() -> {
                timeouts.remove(timeout);
                timeout.forgetCallback();
            });
        }
    }

    /**
     * Returns the loop's clock in seconds (monotonic by default; see {@link Builder#clock}).
     *
     * @return seconds from an arbitrary origin
     */
    public double time() {
        return clock.nanoTime() / 1e9;
    }

    // ------------------------------------------------------------------ executors

    /**
     * Runs a command on the loop thread in the next iteration, as {@link #addCallback}.
     *
     * @param command the command
     * @throws RejectedExecutionException once the loop is closed
     */
    @Override
    public void execute(Runnable command) {
        Objects.requireNonNull(command, "command");
        if (state.get() == State.CLOSED) {
            throw new RejectedExecutionException("IOLoop '" + name + "' is closed");
        }
        addCallback(command);
    }

    /**
     * Runs a blocking task on an executor and completes the returned future on this loop's thread.
     *
     * @param executor where to run it; null for the default executor (created on first use: at most
     *     {@code min(32, processors + 4)} daemon threads named after the loop, shut down by close())
     * @param task the task
     * @param <T> its result type
     * @return completes on the loop thread with the task's value or failure (directly, if the loop
     *     was closed meanwhile); fails with RejectedExecutionException if the executor refuses
     */
    public <T> CompletableFuture<T> runInExecutor(@Nullable Executor executor, Callable<T> task) {
        Objects.requireNonNull(task, "task");
        CompletableFuture<T> future = new CompletableFuture<>();
        try {
            Executor target = executor != null ? executor : defaultExecutor();
            target.execute(() -> {
                T value = null;
                Throwable failure = null;
                try {
                    value = task.call();
                } catch (Throwable t) {
                    failure = t;
                }
                completeOnLoop(future, value, failure);
            });
        } catch (RejectedExecutionException e) {
            future.completeExceptionally(e);
        }
        return future;
    }

    /**
     * Replaces the executor {@link #runInExecutor} uses when given null. A default executor this
     * loop created is shut down; one set here is the caller's to shut down.
     *
     * @param executor the new default executor
     */
    public void setDefaultExecutor(Executor executor) {
        Objects.requireNonNull(executor, "executor");
        ExecutorService owned;
        synchronized (this) {
            owned = ownedDefaultExecutor;
            ownedDefaultExecutor = null;
            defaultExecutor = executor;
        }
        if (owned != null && owned != executor) {
            owned.shutdown();
        }
    }

    /**
     * Returns a new {@link ScheduledExecutorService} view whose tasks run on this loop's thread:
     * schedule is callLater, fixed-rate runs keep the {@link PeriodicCallback} grid (missed runs are
     * skipped, never run back to back), cancel is removeTimeout. Shutting the view down rejects new
     * tasks through it and does not close the loop. Safe from any thread; don't block on its
     * futures (invokeAll, get) from the loop thread itself.
     *
     * @return a new view
     */
    public ScheduledExecutorService asScheduledExecutorService() {
        LoopScheduledExecutorService view = new LoopScheduledExecutorService(this);
        synchronized (views) {
            views.add(view);
        }
        return view;
    }

    // ------------------------------------------------------------------ errors and a blocked loop

    /**
     * Called on the loop thread for every exception a callback, timeout, handler or future callback
     * throws. The default logs it at ERROR; the loop keeps running either way.
     *
     * @param callback the Runnable or IOHandler that threw
     * @param error what it threw
     */
    protected void handleCallbackException(Object callback, Throwable error) {
        logger.error("Exception in callback {} on IOLoop '{}'", callback, name, error);
    }

    /**
     * Asks the watchdog to call {@code action} when one iteration has run longer than
     * {@code threshold} (time waiting in select does not count): once when it passes the threshold,
     * then each time its blocked time doubles. The action runs on the watchdog thread.
     *
     * @param threshold a positive duration, or null to disable
     * @param action receives the loop thread; null logs its stack ({@link #logStack})
     * @throws IllegalArgumentException if the threshold is zero or negative
     */
    public void setBlockingSignalThreshold(@Nullable Duration threshold, @Nullable Consumer<Thread> action) {
        if (threshold == null) {
            blockingThresholdNanos = 0;
            BlockedLoopWatchdog.INSTANCE.unwatch(this);
            return;
        }
        if (threshold.isNegative() || threshold.isZero()) {
            throw new IllegalArgumentException("'threshold' must be positive (was " + threshold + ")");
        }
        blockingAction = action;
        blockingThresholdNanos = clampDelay(threshold);
        if (!isClosed()) {
            BlockedLoopWatchdog.INSTANCE.watch(this);
        }
    }

    /**
     * Logs the loop thread's stack at WARN when an iteration runs longer than {@code threshold};
     * as {@code setBlockingSignalThreshold(threshold, null)}.
     *
     * @param threshold a positive duration, or null to disable
     */
    public void setBlockingLogThreshold(@Nullable Duration threshold) {
        setBlockingSignalThreshold(threshold, null);
    }

    /**
     * Logs a thread's stack trace at WARN, with how long this loop has been blocked if it is that thread.
     *
     * @param loopThread the thread, usually the loop's
     */
    public void logStack(Thread loopThread) {
        Objects.requireNonNull(loopThread, "loopThread");
        ThreadStack stack = new ThreadStack(loopThread);
        IterationProbe probe = iterationProbe();
        if (probe != null && probe.thread() == loopThread) {
            logger.warn("IOLoop '{}' blocked for {} ms on thread {}", name, probe.blockedNanos() / 1_000_000,
                    loopThread.getName(), stack);
        } else {
            logger.warn("Stack of thread {} (IOLoop '{}')", loopThread.getName(), name, stack);
        }
    }

    /**
     * Closes a channel or other {@link AutoCloseable} quietly, logging a failure at WARN.
     *
     * @param fd the channel to close
     * @throws IllegalArgumentException if {@code fd} cannot be closed
     */
    public static void closeFd(Object fd) {
        Objects.requireNonNull(fd, "fd");
        if (!(fd instanceof AutoCloseable)) {
            throw new IllegalArgumentException("'fd' must be AutoCloseable (was " + fd.getClass().getName() + ")");
        }
        try {
            ((AutoCloseable) fd).close();
        } catch (Exception e) {
            logger.warn("Error closing {}", fd, e);
        }
    }

    // ------------------------------------------------------------------ observability

    /**
     * Returns the loop's name (thread and meter names use it).
     *
     * @return the name given to the builder, or {@code loop-<n>}
     */
    public String name() {
        return name;
    }

    /**
     * Returns the thread running the loop.
     *
     * @return the loop thread, or null when the loop is not running
     */
    public @Nullable Thread thread() {
        return thread;
    }

    /**
     * Returns whether the calling thread is running this loop.
     *
     * @return true on the loop thread while it runs
     */
    public boolean inLoopThread() {
        return thread == Thread.currentThread();
    }

    /**
     * Returns a snapshot of the loop's counters. Cheap and safe from any thread: it reads fields the
     * loop keeps anyway and never touches the loop thread. A later snapshot's busy time is
     * never below an earlier one's, whichever threads took them.
     *
     * @return the snapshot
     */
    public LoopStats stats() {
        long now = clock.nanoTime();
        long busy = counters.busyNanos();
        IterationProbe probe = iterationProbe();
        if (probe != null) {
            busy += Math.max(0, now - (long) AWAKE_SINCE.getAcquire(this));
        }
        // ordering: CAS loop (accumulateAndGet) so that concurrent readers never report less than
        // any earlier snapshot: the loop announces select before it adds the iteration's busy time,
        // so a reader in between sees neither the awake time nor the added one.
        busy = busyReported.accumulateAndGet(busy, Math::max);
        return new LoopStats(name, callbacks.size(), timeouts.size(), handlers.size(), counters.callbacksRun(),
                counters.callbackErrors(), counters.iterations(), busy, counters.idleNanos(),
                counters.blockedEvents(), probe == null ? 0 : probe.blockedNanos());
    }

    @Override
    public String toString() {
        return "IOLoop[" + name + ", " + state.get().name().toLowerCase() + "]";
    }

    // ------------------------------------------------------------------ the iteration

    /**
     * The loop: four named steps per iteration, with a stop check before the wait. For the watchdog
     * an iteration starts when the loop wakes from select (or skips it) and ends at the next select.
     */
    private void runIterations() {
        int queued = callbacks.snapshotSize();
        while (true) {
            // Tornado fixes the due timeouts when the iteration begins: one that a step-1 callback adds
            // waits for the next iteration. No clock read when nothing can be due.
            int due = timeouts.isEmpty() ? 0 : timeouts.pollAllDue(clock.nanoTime());
            int ran = runCallbacks(queued);
            ran += runDueTimeouts(due);
            counters.addCallbacksRun(ran);
            if (stopRequested) {
                return;
            }
            queued = waitForEvents();
            if (queued < 0) {
                counters.addCallbacksRun(dispatchEvents());
                queued = callbacks.snapshotSize();
            }
        }
    }

    /** Step 1: runs exactly the callbacks queued when the iteration began ({@code count} of them). */
    private int runCallbacks(int count) {
        for (int i = 0; i < count; i++) {
            Runnable callback = callbacks.poll();
            if (callback == null) {
                return i;
            }
            try {
                callback.run();
            } catch (Throwable t) {
                callbackFailed(callback, t);
            }
        }
        return count;
    }

    /**
     * Step 2: runs the {@code count} timeouts that were due when the iteration began, in deadline
     * order. They were taken out of the heap then, so a timeout added during the iteration (by a
     * callback or by one of them) waits for the next iteration.
     */
    private int runDueTimeouts(int count) {
        int ran = 0;
        for (int i = 0; i < count; i++) {
            Runnable callback = timeouts.takeDue(i).markFired();
            if (callback == null) {
                continue; // removed by an earlier callback of this batch
            }
            ran++;
            try {
                callback.run();
            } catch (Throwable t) {
                callbackFailed(callback, t);
            }
        }
        return ran;
    }

    /**
     * Step 3: waits for I/O until the next timeout (not at all if callbacks are queued).
     *
     * @return when it skipped select (callbacks wait and no channel is registered), how many
     *     callbacks the next iteration runs; -1 after a select, when events are to be dispatched
     */
    private int waitForEvents() {
        long timeoutNanos;
        int queued = callbacks.snapshotSize();
        if (queued > 0) {
            if (handlers.isEmpty()) {
                // Nothing to poll: skip the system call and the clock. The new iteration is visible to
                // the watchdog through the counter alone (see iterationProbe).
                counters.incrementIterations();
                clearInterrupt();
                return queued;
            }
            timeoutNanos = 0;
        } else {
            timeoutNanos = timeouts.isEmpty() ? -1 : Math.max(0, timeouts.earliestDeadline() - clock.nanoTime());
            if (timeoutNanos != 0) {
                driver.prepareToBlock();
                // ordering: read after the SELECTING store (see SelectorDriver's class comment).
                if (!callbacks.isEmpty() || stopRequested) {
                    timeoutNanos = 0;
                }
            }
        }
        long before = clock.nanoTime();
        counters.addBusyNanos(before - awakeSince);
        driver.select(timeoutNanos);
        clearInterrupt();
        long after = clock.nanoTime();
        counters.addIdleNanos(after - before);
        beginStampedIteration(after);
        driver.markAwake();
        return -1;
    }

    /**
     * An interrupt left on the loop thread would make every later select return at once (the loop
     * would spin at 100% CPU); interrupting the loop thread is never a way to stop it. Cleared on both
     * paths of the wait step, so the next iteration's callbacks never see it either.
     */
    private void clearInterrupt() {
        if (Thread.interrupted()) {
            logger.debug("IOLoop '{}' cleared an interrupt of its thread", name);
        }
    }

    /**
     * Starts an iteration whose start time is known (the loop woke from select, or is starting): the
     * watchdog and stats() then measure a blocked iteration exactly from this time.
     */
    private void beginStampedIteration(long now) {
        // ordering: release stores, in this order, all before markAwake's release store of AWAKE:
        // a reader that sees the counter (opaque) equal to the stamped iteration (acquire) also sees
        // this iteration's start, or a later one (which only shortens what it reports).
        AWAKE_SINCE.setRelease(this, now);
        ITERATION_START.setRelease(this, now);
        STAMPED_ITERATION.setRelease(this, counters.iterations() + 1);
        counters.incrementIterations();
    }

    /** Step 4: calls each ready channel's handler once with all its events; reports channels closed under us. */
    private int dispatchEvents() {
        int count = driver.readyCount();
        int ran = 0;
        for (int i = 0; i < count; i++) {
            SelectionKey key = driver.readyKey(i);
            HandlerTable.Registration registration = HandlerTable.registrationOf(key);
            if (!key.isValid()) {
                if (handlers.claimInvalidated(registration)) {
                    ran += callHandler(registration, ERROR);
                }
                continue;
            }
            int readyOps = key.readyOps();
            ran += callHandler(registration, HandlerTable.events(readyOps));
            if ((readyOps & SelectionKey.OP_CONNECT) != 0) {
                handlers.afterDispatch(key, registration);
            }
        }
        driver.clearReady();
        if (!handlers.isEmpty()) {
            for (HandlerTable.Registration registration : handlers.collectInvalidated(driver.selector())) {
                ran += callHandler(registration, ERROR);
            }
        }
        return ran;
    }

    private int callHandler(HandlerTable.Registration registration, int events) {
        try {
            registration.handler.handle(registration.channel, events);
        } catch (Throwable t) {
            callbackFailed(registration.handler, t);
        }
        return 1;
    }

    // ------------------------------------------------------------------ package-private collaborators

    /** Loop thread only: reports a callback's exception; rethrows VM errors after reporting them. */
    void callbackFailed(Object callback, Throwable error) {
        counters.incrementCallbackErrors();
        try {
            handleCallbackException(callback, error);
        } catch (Throwable t) {
            logger.error("handleCallbackException of IOLoop '{}' threw", name, t);
        }
        if (error instanceof VirtualMachineError && !(error instanceof StackOverflowError)) {
            throw (VirtualMachineError) error;
        }
    }

    /** Schedules a callback at a deadline in the loop clock's nanoseconds. Safe from any thread. */
    Timeout schedule(long deadlineNanos, Runnable callback) {
        Timeout timeout = new Timeout(this, deadlineNanos, callback);
        if (inLoopThread()) {
            timeouts.add(timeout);
        } else {
            addCallback(() -> {
                if (!timeout.isCancelled()) {
                    timeouts.add(timeout);
                }
            });
        }
        return timeout;
    }

    LoopClock clock() {
        return clock;
    }

    /**
     * For an owner that stopped the loop and saw start() return (IOLoopGroup): forgets a stop()
     * that arrived after the loop had already returned, so that the owner's next start() runs.
     */
    void discardPendingStop() {
        if (!isRunning()) {
            stopRequested = false;
        }
    }

    /** For tests: how many times another thread had to wake the selector. */
    long selectorWakeups() {
        return driver.wakeups();
    }

    long blockingThresholdNanos() {
        return blockingThresholdNanos;
    }

    BlockedLoopWatchdog.BlockedState blockedState() {
        return blockedState;
    }

    /** Watchdog thread: counts a blocked-loop report and runs the configured action. */
    void reportBlocked(Thread loopThread, long blockedNanos) {
        counters.incrementBlockedEvents();
        Consumer<Thread> action = blockingAction;
        if (action == null) {
            logStack(loopThread);
        } else {
            action.accept(loopThread);
        }
    }

    /**
     * What the loop thread is doing now, or null if it is idle in select or not running. An
     * iteration that began after select has an exact start; one that began without select (callbacks
     * waiting, no channel to poll: no clock read on that path) is timed from when a reader first saw
     * its number, so a reported blocked time is never more than the truth.
     */
    @Nullable IterationProbe iterationProbe() {
        Thread running = thread;
        // ordering: acquire read of the selecting flag first, then of the iteration fields (see beginStampedIteration).
        if (running == null || driver.isSelecting()) {
            return null;
        }
        long now = clock.nanoTime();
        long iteration = counters.iterations();
        // ordering: volatile re-read of the selecting flag after the clock: a reader held between the
        // first check and the clock reading (preempted) while the loop went idle would otherwise
        // report the idle time as blocked. Still awake in the same iteration: `now` fell within it.
        if (driver.isSelecting() || counters.iterations() != iteration) {
            return null;
        }
        long start = (long) STAMPED_ITERATION.getAcquire(this) == iteration
                ? (long) ITERATION_START.getAcquire(this)
                : firstSighting(iteration, now);
        return new IterationProbe(running, iteration, Math.max(0, now - start));
    }

    /** When any reader first saw this (unstamped) iteration running. Safe from any thread. */
    private long firstSighting(long iteration, long now) {
        Sighting seen = sighting.get();
        if (seen != null && seen.iteration() == iteration) {
            return seen.at();
        }
        // ordering: CAS so that concurrent readers (watchdog, meters, health) agree on one first sighting.
        if (sighting.compareAndSet(seen, new Sighting(iteration, now))) {
            return now;
        }
        Sighting winner = sighting.get();
        return winner != null && winner.iteration() == iteration ? winner.at() : now;
    }

    /** The loop thread, the number of its current iteration, and how long that has been running. */
    record IterationProbe(Thread thread, long iteration, long blockedNanos) {
    }

    /** An iteration number and when a reader first saw it. */
    private record Sighting(long iteration, long at) {
    }

    // ------------------------------------------------------------------ helpers

    private Executor defaultExecutor() {
        Executor executor = defaultExecutor;
        if (executor != null) {
            return executor;
        }
        synchronized (this) {
            if (defaultExecutor == null) {
                if (isClosed()) {
                    throw new RejectedExecutionException("IOLoop '" + name + "' is closed");
                }
                ExecutorService created = DefaultExecutor.create(name);
                ownedDefaultExecutor = created;
                defaultExecutor = created;
            }
            return defaultExecutor;
        }
    }

    /**
     * Completes a runInExecutor future on the loop thread, or directly once the loop is closed: a
     * completion queued when close() drops the callbacks is completed by close() itself.
     */
    private <T> void completeOnLoop(CompletableFuture<T> future, @Nullable T value, @Nullable Throwable failure) {
        Runnable complete = () -> {
            if (failure == null) {
                future.complete(value);
            } else {
                future.completeExceptionally(failure);
            }
        };
        // ordering: add to the set (volatile writes inside the map), then read the state; close()
        // CASes the state, then scans the set. One of us sees the other, so the future is completed
        // here, by the loop, or by close() (twice is harmless: a CompletableFuture completes once).
        pendingCompletions.add(complete);
        if (isClosed()) {
            pendingCompletions.remove(complete);
            complete.run(); // nobody will run the loop again: complete here rather than never
        } else {
            addCallback(() -> {
                pendingCompletions.remove(complete);
                complete.run();
            });
        }
    }

    private static <T> CompletableFuture<T> asCompleted(CompletionStage<T> stage, @Nullable T value,
            @Nullable Throwable failure) {
        try {
            CompletableFuture<T> future = stage.toCompletableFuture();
            if (future.isDone()) {
                return future;
            }
        } catch (UnsupportedOperationException e) {
            // a stage without a CompletableFuture view: build one from the outcome
        }
        CompletableFuture<T> copy = new CompletableFuture<>();
        if (failure == null) {
            copy.complete(value);
        } else {
            copy.completeExceptionally(failure);
        }
        return copy;
    }

    private void checkNotClosed(String what) {
        if (isClosed()) {
            throw new IllegalStateException("IOLoop '" + name + "' is closed: " + what + " needs an open loop");
        }
    }

    private static void checkFinite(String parameter, double value) {
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            throw new IllegalArgumentException("'" + parameter + "' must be a finite number of seconds (was "
                    + value + ")");
        }
    }

    private static long clampDelay(double nanos) {
        return (long) Math.max(-MAX_DELAY_NANOS, Math.min(MAX_DELAY_NANOS, nanos));
    }

    static long clampDelay(Duration delay) {
        if (delay.getSeconds() >= MAX_DELAY_NANOS / 1_000_000_000L) {
            return MAX_DELAY_NANOS;
        }
        if (delay.getSeconds() <= -MAX_DELAY_NANOS / 1_000_000_000L) {
            return -MAX_DELAY_NANOS;
        }
        return delay.toNanos();
    }

    private static String describe(@Nullable Thread thread) {
        return thread == null ? "(starting)" : thread.getName();
    }

    /**
     * Settings for a new {@link IOLoop}: its name, its clock, and whether it becomes the creating
     * thread's current loop. Not thread-safe; build on one thread.
     */
    public static final class Builder {
        private @Nullable String name;
        private LoopClock clock = LoopClock.system();
        private @Nullable Boolean makeCurrent;

        private Builder() {
        }

        /**
         * Names the loop (log messages, meters and the group's thread names use it).
         *
         * @param name a non-blank name
         * @return this builder
         */
        public Builder name(String name) {
            Objects.requireNonNull(name, "name");
            if (name.isBlank()) {
                throw new IllegalArgumentException("'name' must not be blank");
            }
            this.name = name;
            return this;
        }

        /**
         * Sets the clock behind {@link IOLoop#time()} and every timeout (tests pass a fake one).
         *
         * @param clock the clock
         * @return this builder
         */
        public Builder clock(LoopClock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * Chooses whether the loop becomes the creating thread's current loop.
         *
         * @param makeCurrent true: always (fails if the thread has one); false: never; null (the
         *     default): only if the thread has none
         * @return this builder
         */
        public Builder makeCurrent(@Nullable Boolean makeCurrent) {
            this.makeCurrent = makeCurrent;
            return this;
        }

        /**
         * Creates the loop.
         *
         * @return a new, idle loop
         */
        public IOLoop build() {
            return new IOLoop(this);
        }
    }
}
