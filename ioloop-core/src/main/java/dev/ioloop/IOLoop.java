package dev.ioloop;

import java.nio.channels.SelectableChannel;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A level-triggered I/O event loop: Tornado's {@code IOLoop} in Java.
 *
 * <p>A loop runs on the thread that calls {@link #start()} until {@link #stop()}. Each iteration
 * runs the callbacks queued before it began, then the timeouts that were due when it began (in
 * deadline order, equal deadlines in the order they were added), then waits for I/O in its backend
 * (only looks, without blocking, if callbacks are waiting), then calls each ready channel's handler
 * once with every ready event. Callbacks and timeouts added during an iteration wait for the next
 * one, so no callback can starve I/O.
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
 * <p>Backends: what waits is an {@link IOLoopBackend} (Tornado's {@code IOLoop.configure}). By default
 * a {@code java.nio} selector (parking the thread while no channel is registered);
 * {@link #configure} changes it for every loop built afterwards, {@link Builder#backend} for one.
 *
 * <p>Threading: every scheduling method ({@code addCallback}, {@code addTimeout}, {@code callLater},
 * {@code removeTimeout}, {@code execute}, {@code stop} ...) and the handler methods are safe from
 * any thread; a call from another thread wakes the loop only when it is blocked in (or about to
 * enter) its wait. Callbacks, timeouts and handlers run on the loop thread. Callbacks keep the order
 * in which each thread added them; callbacks of different threads have no defined order.
 *
 * <p>Errors: every exception a callback, timeout, handler or future callback throws goes to
 * {@link #handleCallbackException}, and the loop keeps running. {@link Error}s are handled the
 * same way (an {@code AssertionError} or {@code StackOverflowError} in one callback should not take
 * a server down), except {@link VirtualMachineError}s other than {@code StackOverflowError}
 * (out of memory, internal JVM errors): after {@code handleCallbackException} sees one, it
 * propagates out of {@link #start()}, which leaves the loop stopped, not closed.
 *
 * <p>This class is larger than our usual limit because it is the contract's facade, long in javadoc
 * only: the work is done by package-private collaborators ({@link LoopLifecycle} for start, stop and
 * close; {@link LoopRunner} for the iteration and scheduling; {@link HandlerTable}; {@link ExecutorBridge};
 * {@link WatchdogSettings} and {@link IterationStamps} for the watchdog; {@link LoopRegistry} for the
 * current loop, the instance and the configured backend).
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
    /** Far enough for any real deadline, near enough that deadline differences never overflow. */
    private static final long MAX_DELAY_NANOS = 1L << 62;

    private final String name;
    private final LoopClock clock;
    private final LoopRunner runner;
    private final LoopLifecycle lifecycle;
    private final ExecutorBridge executors = new ExecutorBridge(this);
    private final WatchdogSettings watchdog = new WatchdogSettings();

    /**
     * Creates a loop that becomes the calling thread's current loop if that thread has none
     * (Tornado's {@code make_current=None}), on the configured backend ({@link #configure}).
     */
    public IOLoop() {
        this(builder());
    }

    /**
     * Creates a loop on the configured backend ({@link #configure}).
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
     * @throws RuntimeException what the backend factory threw (the loop is then not created)
     */
    protected IOLoop(Builder builder) {
        Objects.requireNonNull(builder, "builder");
        Boolean makeCurrent = builder.makeCurrent;
        IOLoop existing = LoopRegistry.CURRENT.get();
        if (Boolean.TRUE.equals(makeCurrent) && existing != null) {
            throw new IllegalStateException("thread " + Thread.currentThread().getName()
                    + " already has a current IOLoop ('" + existing.name + "'): call IOLoop.clearCurrent() first"
                    + " or create the loop with makeCurrent=false");
        }
        this.name = builder.name != null ? builder.name : LoopRegistry.generatedName();
        this.clock = builder.clock;
        IOLoopBackend.Factory factory = builder.backend != null ? builder.backend : LoopRegistry.configuredBackend();
        this.runner = new LoopRunner(this, clock, factory); // creates the backend: it may hold descriptors
        this.lifecycle = new LoopLifecycle(this, runner);
        if (Boolean.TRUE.equals(makeCurrent) || (makeCurrent == null && existing == null)) {
            LoopRegistry.CURRENT.set(this);
        }
    }

    /**
     * Returns a builder for a loop with a name, a clock, a backend, or an explicit make-current choice.
     *
     * @return a new builder; by default the loop is named {@code loop-<n>}, uses the system clock and
     *     the configured backend, and becomes current if the thread has no current loop
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Chooses the backend of every loop constructed afterwards (Tornado's {@code IOLoop.configure}):
     * {@code new IOLoop()}, {@code new IOLoop(boolean)}, subclasses, {@link #instance()},
     * {@link IOLoopGroup}'s loops and builders without {@link Builder#backend}. A loop keeps the
     * backend it was built with. Safe from any thread.
     *
     * @param factory the backend factory, or null to restore the default ({@link IOLoopBackend#selector()})
     */
    public static void configure(IOLoopBackend.@Nullable Factory factory) {
        LoopRegistry.CONFIGURED.set(factory);
    }

    /**
     * Returns the factory loops are built with when no backend is given ({@link #configure}).
     *
     * @return the configured factory, or the default {@link IOLoopBackend#selector()}; safe from any thread
     */
    public static IOLoopBackend.Factory configuredBackend() {
        return LoopRegistry.configuredBackend();
    }

    // ------------------------------------------------------------------ current loop and instance

    /**
     * Returns the calling thread's current loop, or the global {@link #instance()} if it has none.
     *
     * @return never null
     */
    public static IOLoop current() {
        IOLoop current = LoopRegistry.CURRENT.get();
        return current != null ? current : instance();
    }

    /**
     * Returns the calling thread's current loop.
     *
     * @param instance what to do if the thread has none: true returns {@link #instance()}, false null
     * @return the current loop, the instance, or null
     */
    public static @Nullable IOLoop current(boolean instance) {
        IOLoop current = LoopRegistry.CURRENT.get();
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
        LoopRegistry.CURRENT.set(this);
    }

    /** Clears the calling thread's current loop. */
    public static void clearCurrent() {
        LoopRegistry.CURRENT.remove();
    }

    /**
     * Returns the global loop, creating it on first use (it does not become current on the calling thread).
     * Safe from any thread: concurrent first calls agree on one loop.
     *
     * @return the global loop
     */
    public static IOLoop instance() {
        IOLoop existing = LoopRegistry.INSTANCE.get();
        if (existing != null) {
            return existing;
        }
        IOLoop created = builder().name("instance").makeCurrent(false).build();
        if (LoopRegistry.INSTANCE.compareAndSet(null, created)) {
            return created;
        }
        created.close();
        IOLoop winner = LoopRegistry.INSTANCE.get();
        return winner != null ? winner : instance();
    }

    /**
     * Returns whether a global loop exists.
     *
     * @return true once {@link #instance()} created one or {@link #install()} installed one
     */
    public static boolean initialized() {
        return LoopRegistry.INSTANCE.get() != null;
    }

    /**
     * Makes this loop the global {@link #instance()}.
     *
     * @throws IllegalStateException if another loop is installed, or this loop is closed
     */
    public void install() {
        checkNotClosed("install()");
        if (!LoopRegistry.INSTANCE.compareAndSet(null, this)) {
            IOLoop other = LoopRegistry.INSTANCE.get();
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
        return LoopRegistry.INSTANCE.get();
    }

    /**
     * Stops being the global instance, if this loop is it; another installed loop is left alone
     * (unlike {@link #clearInstance()}, this cannot race with another installer). Safe from any thread.
     *
     * @return whether this loop was the instance
     */
    public boolean uninstall() {
        // ordering: compare-and-set, so a loop installed concurrently by someone else is never cleared.
        return LoopRegistry.INSTANCE.compareAndSet(this, null);
    }

    /** Forgets the global loop (without closing it). */
    public static void clearInstance() {
        LoopRegistry.INSTANCE.set(null);
    }

    // ------------------------------------------------------------------ running

    /**
     * Runs the loop on the calling thread until {@link #stop()} is called. If {@code stop()} was
     * called while the loop was not running, returns at once. While it runs this loop is the
     * thread's current loop; the previous current loop is restored when it returns.
     * {@link IOLoopThread} runs it on a thread of its own.
     *
     * @throws IllegalStateException if the loop is already running or closed, or its backend drives it
     *     on a thread of its own ({@link IOLoopBackend#ownsThread()} false)
     */
    public void start() {
        lifecycle.start();
    }

    /**
     * Asks the loop to return from {@link #start()} after the current iteration. Safe from any thread.
     * If the loop is not running, the next {@code start()} returns at once. Does nothing on a loop
     * whose backend drives it on a thread of its own (it runs until {@link #close()}).
     */
    public void stop() {
        lifecycle.stop();
    }

    /**
     * Stops the loop as {@link #stop()} does and closes it ({@link #close(boolean)}) on its own thread as
     * {@code start()} returns; a loop that is not running is closed at once, on the calling thread. Safe from any
     * thread. For a backend that accepts its shutdown only from the thread that ran it (Netty's io_uring), this is
     * how another thread ends it cleanly; {@code IOLoopThread.close()} and the Spring Boot starter use it.
     *
     * @param allFds also close every registered channel
     */
    public void stopAndClose(boolean allFds) {
        lifecycle.stopAndClose(allFds);
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
     * @throws IllegalStateException if the loop is stopped before the stage completes, or is running or
     *     closed, or is driven by its backend
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
        lifecycle.checkCanRunSync();
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
     * @return true between the start and the return of {@link #start()}; for a loop its backend
     *     drives, from construction until {@link #close()}
     */
    public boolean isRunning() {
        return lifecycle.isRunning();
    }

    /**
     * Returns whether the loop is closed.
     *
     * @return true once {@link #close()} succeeded
     */
    public boolean isClosed() {
        return lifecycle.isClosed();
    }

    /** Closes the loop without closing its channels; see {@link #close(boolean)}. */
    @Override
    public void close() {
        close(false);
    }

    /**
     * Closes the loop: removes every handler (closing the channels when {@code allFds}), drops
     * pending callbacks and timeouts, shuts down the default executor it created, and releases the
     * backend. Later callbacks are silently dropped. Idempotent. A loop its backend drives may be
     * closed from any thread: it is closed at once, and released on its backend's thread when that
     * thread's current iteration (if any) ends.
     *
     * @param allFds also close every registered channel
     * @throws IllegalStateException while the loop runs in {@link #start()}
     */
    public void close(boolean allFds) {
        lifecycle.close(allFds);
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
     * @throws UnsupportedOperationException if the loop's backend cannot watch {@code java.nio} channels
     */
    public void addHandler(SelectableChannel channel, IOHandler handler, int events) {
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(handler, "handler");
        checkNotClosed("addHandler");
        runner.handlers().add(channel, handler, events, name);
        if (!runner.inIteration()) {
            runner.wakeUp(); // a waiting backend takes a registration into account at its next wait
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
        runner.handlers().update(channel, events, name);
        if (!runner.inIteration()) {
            runner.wakeUp(); // a waiting backend takes an interest change into account at its next wait
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
        runner.handlers().remove(channel);
    }

    // ------------------------------------------------------------------ callbacks and timeouts

    /**
     * Runs a callback on the loop thread in the next iteration. Safe from any thread; silently
     * dropped once the loop is closed (Tornado's behaviour; {@link #execute} throws instead).
     * Callbacks one thread adds run in the order it added them.
     *
     * @param callback the callback; its exceptions go to {@link #handleCallbackException}
     */
    public void addCallback(Runnable callback) {
        Objects.requireNonNull(callback, "callback");
        runner.offerCallback(callback);
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
     * @param delaySeconds the delay; zero or negative runs in the next iteration (never in the
     *     current one, even when called from a callback of this iteration)
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
     * @param delay the delay; zero or negative runs in the next iteration (never in the current one,
     *     even when called from a callback of this iteration)
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
        if (timeout.markCancelled()) {
            runner.removeTimeout(timeout);
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

    /**
     * Returns the loop's clock in seconds as of the current iteration, without reading the clock again
     * (Redis's cached server time): for timestamps taken once per event, such as when a client last sent
     * a command.
     *
     * <p>On the loop thread, during an iteration, every call returns the same value: the reading the
     * loop took when it woke from its wait, or, in an iteration that began without waiting (work was
     * already queued), the first reading taken in it. So it is never later than {@link #time()} and
     * lags it by at most how long the current iteration has run so far (an iteration that runs long is
     * what the blocked-loop watchdog reports). From any other thread, or on the loop's thread outside an
     * iteration, it is {@link #time()}. Safe from any thread.
     *
     * @return seconds on the scale of {@link #time()}
     */
    public double iterationTime() {
        return runner.iterationNanos() / 1e9;
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
        if (!runner.offerCallback(command)) {
            throw new RejectedExecutionException("IOLoop '" + name + "' is closed");
        }
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
        return executors.runInExecutor(executor, task);
    }

    /**
     * Replaces the executor {@link #runInExecutor} uses when given null. A default executor this
     * loop created is shut down; one set here is the caller's to shut down.
     *
     * @param executor the new default executor
     */
    public void setDefaultExecutor(Executor executor) {
        executors.setDefaultExecutor(executor);
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
        return executors.newScheduledView();
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
     * {@code threshold} (time waiting in the backend does not count): once when it passes the
     * threshold, then each time its blocked time doubles. The action runs on the watchdog thread.
     * On a backend that shares its thread ({@link IOLoopBackend#sharesThread()}, such as a loop
     * attached to a Netty event loop), the watchdog also posts a heartbeat to the waiting loop and
     * reports the loop thread blocked when the heartbeat has not run within {@code threshold}: work that
     * is not the loop's (a host's task, a Netty handler) then shows up with the thread's stack too.
     *
     * @param threshold a positive duration, or null to disable
     * @param action receives the loop thread (a {@link BlockedLoopAction} also gets the blocked time the
     *     watchdog measured); null logs its stack ({@link #logStack})
     * @throws IllegalArgumentException if the threshold is zero or negative
     */
    public void setBlockingSignalThreshold(@Nullable Duration threshold, @Nullable Consumer<Thread> action) {
        watchdog.set(this, threshold, action);
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
        logStack(loopThread, loopThread == thread() ? stats().blockedForNanos() : 0);
    }

    /**
     * Logs a thread's stack trace at WARN with how long this loop had been blocked, as the watchdog's
     * default action does: for a {@link BlockedLoopAction} that logs too, with the watchdog's measure.
     *
     * @param loopThread the thread, usually the loop's
     * @param blockedNanos how long the loop had been blocked, in nanoseconds; 0 or less: not known to be
     *     blocked (logged as {@link #logStack(Thread)} logs another thread's stack)
     */
    public void logStack(Thread loopThread, long blockedNanos) {
        Objects.requireNonNull(loopThread, "loopThread");
        ThreadStack stack = new ThreadStack(loopThread);
        if (blockedNanos > 0) {
            logger.warn("IOLoop '{}' blocked for {} ms on thread {}", name, blockedNanos / 1_000_000,
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
     * Returns the backend this loop waits with. For backend implementations (such as one that hands
     * out the event loop underneath); the loop calls its members, users should not.
     *
     * @return the backend, created when this loop was built
     */
    public IOLoopBackend backend() {
        return runner.backend();
    }

    /**
     * Returns the thread running the loop.
     *
     * @return the loop thread, or null when the loop is not running (for a loop its backend drives:
     *     the backend's thread, once it ran an iteration)
     */
    public @Nullable Thread thread() {
        return lifecycle.thread();
    }

    /**
     * Returns whether the calling thread is running this loop.
     *
     * @return true on the loop thread while it runs
     */
    public boolean inLoopThread() {
        return lifecycle.thread() == Thread.currentThread();
    }

    /**
     * Returns a snapshot of the loop's counters. Cheap and safe from any thread: it reads fields the
     * loop keeps anyway and never touches the loop thread. A later snapshot's busy time is
     * never below an earlier one's, whichever threads took them.
     *
     * @return the snapshot
     */
    public LoopStats stats() {
        return runner.stats(lifecycle.thread(), watchdog.heartbeatBlockedNanos(this));
    }

    @Override
    public String toString() {
        return "IOLoop[" + name + ", " + (isClosed() ? "closed" : isRunning() ? "running" : "idle") + ", "
                + runner.backend().name() + "]";
    }

    // ------------------------------------------------------------------ package-private collaborators

    /** Loop thread only: the error funnel; reports a callback's exception and rethrows VM errors. */
    void callbackFailed(Object callback, Throwable error) {
        runner.callbackFailed(callback, error);
    }

    /** Schedules a callback at a deadline in the loop clock's nanoseconds. Safe from any thread. */
    Timeout schedule(long deadlineNanos, Runnable callback) {
        return runner.schedule(deadlineNanos, callback);
    }

    LoopClock clock() {
        return clock;
    }

    LoopLifecycle lifecycle() {
        return lifecycle;
    }

    ExecutorBridge executors() {
        return executors;
    }

    /**
     * For an owner that stopped the loop and saw start() return (IOLoopGroup, IOLoopThread): forgets
     * a stop() that arrived after the loop had already returned, so that the owner's next start() runs.
     */
    void discardPendingStop() {
        if (!isRunning()) {
            runner.discardStopRequest();
        }
    }

    /** For tests: how many times another thread had to wake the backend. */
    long backendWakeups() {
        return runner.wakeups();
    }

    long blockingThresholdNanos() {
        return watchdog.thresholdNanos();
    }

    BlockedLoopWatchdog.BlockedState blockedState() {
        return watchdog.blockedState();
    }

    /** Watchdog thread: counts a blocked-loop report and runs the configured action. */
    void reportBlocked(Thread loopThread, long blockedNanos) {
        runner.counters().incrementBlockedEvents();
        Consumer<Thread> action = watchdog.action();
        if (action == null) {
            // the watchdog's own measure: stats() read again now may not see the episode yet (a heartbeat's
            // wait, or an iteration the stamps first see on that read) and would log it as not blocked
            logStack(loopThread, blockedNanos);
        } else if (action instanceof BlockedLoopAction measured) {
            measured.blocked(loopThread, blockedNanos); // the same measure, for the same reason
        } else {
            action.accept(loopThread);
        }
    }

    /** What the loop thread is doing now, or null if it is waiting or not running. Safe from any thread. */
    @Nullable IterationProbe iterationProbe() {
        return runner.probe(lifecycle.thread());
    }

    /** The watchdog's heartbeat, or null unless the backend shares its thread. Safe from any thread. */
    @Nullable Heartbeat heartbeat() {
        return watchdog.heartbeat();
    }

    /** Watchdog thread: queues the heartbeat; false if the loop is closed. */
    boolean offerHeartbeat(Heartbeat heartbeat) {
        return runner.offerCallback(heartbeat);
    }

    /** Iterations run so far (opaque read). Safe from any thread. */
    long iterations() {
        return runner.counters().iterations();
    }

    // ------------------------------------------------------------------ helpers

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

    /**
     * Settings for a new {@link IOLoop}: its name, its clock, its backend, and whether it becomes the
     * creating thread's current loop. Not thread-safe; build on one thread.
     */
    public static final class Builder {
        private @Nullable String name;
        private LoopClock clock = LoopClock.system();
        private IOLoopBackend.@Nullable Factory backend;
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
         * Chooses this loop's backend (what waits for I/O), instead of the configured one
         * ({@link IOLoop#configure}).
         *
         * @param factory the backend factory, such as {@link IOLoopBackend#selector()}
         * @return this builder
         */
        public Builder backend(IOLoopBackend.Factory factory) {
            this.backend = Objects.requireNonNull(factory, "factory");
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
         * @return a new loop: idle, or running if its backend drives it
         * @throws RuntimeException what the backend factory threw
         */
        public IOLoop build() {
            return new IOLoop(this);
        }
    }
}
