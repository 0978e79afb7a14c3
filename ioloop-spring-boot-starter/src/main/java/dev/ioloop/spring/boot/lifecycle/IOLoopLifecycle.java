package dev.ioloop.spring.boot.lifecycle;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.stream.Collectors;

import dev.ioloop.IOLoop;
import dev.ioloop.IOLoopGroup;
import dev.ioloop.IOLoopThread;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.context.ApplicationContext;
import org.springframework.context.ApplicationContextAware;
import org.springframework.context.ApplicationListener;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.event.ContextClosedEvent;

/**
 * Runs the main loop on its own thread and the loop group on theirs, as a {@link SmartLifecycle} in phase
 * {@link #PHASE}: the loops start before the web server accepts requests and stop after it has drained.
 *
 * <p>Starting logs one INFO line naming the loops, their threads and the backend. Stopping is asynchronous
 * ({@link #stop(Runnable)}): it queues a {@code stop()} behind the callbacks already queued on each loop, so those
 * still run, and thread {@code ioloop-shutdown} waits for the loop threads to end, logs one INFO line and calls
 * Spring back, so shutdown is bounded by {@code spring.lifecycle.timeout-per-shutdown-phase} and by the shutdown
 * timeout, whichever is shorter. {@link #destroy()} closes the loops that have stopped. A loop still busy past
 * either bound is not lost silently: it is reported at WARN with its thread's stack, stops when its current callback
 * returns, and is then closed by the shutdown thread (a daemon thread, which never keeps the JVM alive).
 *
 * <p>Threading: the {@code SmartLifecycle} methods are called by Spring's lifecycle processor, one at a time;
 * {@link #state()} and {@link #loops()} are safe from any thread.
 */
public class IOLoopLifecycle
        implements SmartLifecycle, DisposableBean, ApplicationListener<ContextClosedEvent>, ApplicationContextAware {

    /** The phase: after the web server's start/stop phase ({@code DEFAULT_PHASE - 2048}), so loops stop later. */
    public static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 4096;

    /** The name of the main loop's thread. */
    public static final String MAIN_THREAD_NAME = "ioloop-main";

    private static final Logger logger = LoggerFactory.getLogger(IOLoopLifecycle.class);

    /** Where the loops are in their life; read by the health indicator. */
    public enum State {
        /** Not started yet. */
        NEW,
        /** {@link #start()} is running. */
        STARTING,
        /** Every loop runs on its thread. */
        RUNNING,
        /** A stop has begun: loops finish their queued callbacks. */
        STOPPING,
        /** Every loop thread has ended (or the shutdown timeout passed). */
        STOPPED
    }

    /**
     * How the loops are run and watched.
     * @param shutdownTimeout the longest wait for the loops to stop, positive
     * @param watchdogThreshold the blocked-loop watchdog threshold, zero to disable
     * @param lagInterval the lag probe interval, positive
     * @param retainedReports how many blocked-loop reports to keep per loop, at least 0
     */
    public record Settings(Duration shutdownTimeout, Duration watchdogThreshold, Duration lagInterval,
            int retainedReports) {
    }

    private final IOLoop mainLoop;

    // ordering: volatile; written by the context's close (onApplicationEvent), read by the stop that follows
    private volatile boolean contextClosing;
    private @Nullable ApplicationContext context;
    private final @Nullable IOLoopGroup group;

    private final Settings settings;

    private final List<ManagedLoop> loops;

    // ordering: volatile so that health and endpoint threads see the lifecycle processor's last transition.
    private volatile State state = State.NEW;

    // ordering: volatile; written by start() on the lifecycle thread, read when a stop begins (possibly on another
    // thread calling stop()), then handed to the shutdown thread as an argument.
    private volatile @Nullable Thread mainThread;

    // ordering: volatile; written when a stop begins, read by destroy() for its report.
    private volatile long stopBegan;

    // ordering: atomic; reset when a stop begins, set by the first report of a busy loop (shutdown thread or destroy).
    private final AtomicBoolean busyReported = new AtomicBoolean();

    // Guards destroyed and the closing of loops: destroy() and the shutdown thread may both close them.
    private final Object closeLock = new Object();

    // Guarded by closeLock.
    private boolean destroyed;

    /**
     * Creates the lifecycle; nothing runs until {@link #start()}.
     * @param mainLoop the main loop, run on thread {@value #MAIN_THREAD_NAME}
     * @param group the per-thread loops, or null for none
     * @param settings timeouts, watchdog and probe settings
     */
    public IOLoopLifecycle(IOLoop mainLoop, @Nullable IOLoopGroup group, Settings settings) {
        this.mainLoop = mainLoop;
        this.group = group;
        this.settings = settings;
        List<ManagedLoop> all = new ArrayList<>();
        all.add(managed(mainLoop));
        if (group != null) {
            for (IOLoop loop : group.loops()) {
                all.add(managed(loop));
            }
        }
        this.loops = List.copyOf(all);
    }

    private ManagedLoop managed(IOLoop loop) {
        return new ManagedLoop(loop, new ManagedLoop.Monitoring(this.settings.lagInterval(),
                this.settings.watchdogThreshold(), this.settings.retainedReports()), this::state);
    }

    /** @return the main loop first, then the group's loops in order */
    public List<ManagedLoop> loops() {
        return this.loops;
    }

    /** @return the main loop */
    public ManagedLoop mainLoop() {
        return this.loops.get(0);
    }

    /** @return the loop group, or null when there is none */
    public @Nullable IOLoopGroup group() {
        return this.group;
    }

    /** @return the current state; safe from any thread */
    public State state() {
        // ordering: volatile read.
        return this.state;
    }

    @Override
    public void start() {
        // ordering: volatile read; start() and stop() are called by one lifecycle thread at a time.
        if (this.state == State.RUNNING) {
            return;
        }
        // ordering: volatile write; health readers see STARTING (OUT_OF_SERVICE) until every loop runs.
        this.state = State.STARTING;
        for (ManagedLoop loop : this.loops) {
            loop.installWatchdog(this.settings.watchdogThreshold());
        }
        try {
            startMainLoop();
            if (this.group != null) {
                this.group.start();
            }
            for (ManagedLoop loop : this.loops) {
                loop.lagProbe().start();
            }
        }
        catch (RuntimeException | Error ex) {
            // Spring stops only lifecycles that report running: undo what did start, or the (non-daemon) loop
            // threads would outlive the failed context and keep its JVM alive.
            abortStart();
            throw ex;
        }
        // ordering: volatile write after every loop runs, so a RUNNING reader finds running loops.
        this.state = State.RUNNING;
        logger.info("Started {} ({} backend): {}", describeLoops(), this.mainLoop.backend().name(), this.loops.stream()
            .map((loop) -> loop.name() + " on thread " + threadName(loop.loop()))
            .collect(Collectors.joining(", ")));
    }

    private void abortStart() {
        // ordering: volatile write, as in stop(Runnable).
        this.state = State.STOPPING;
        awaitCallback(this::beginStop);
    }

    private void startMainLoop() {
        this.mainThread = IOLoopThread.start(this.mainLoop, MAIN_THREAD_NAME, false).thread();
    }

    /**
     * Stops the loops and waits until they have (or the shutdown timeout passed): {@link #stop(Runnable)} with a
     * latch. Not called by Spring, which uses {@link #stop(Runnable)}.
     */
    @Override
    public void stop() {
        awaitCallback(this::stop);
    }

    /** Runs {@code action} with a callback and waits until that callback has run. */
    private static void awaitCallback(Consumer<Runnable> action) {
        CountDownLatch done = new CountDownLatch(1);
        action.accept(done::countDown);
        try {
            done.await();
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Asks every loop to stop after the callbacks already queued on it and returns at once; thread
     * {@code ioloop-shutdown} waits for the loops and then runs {@code callback}. Spring's lifecycle processor waits
     * for that at most {@code spring.lifecycle.timeout-per-shutdown-phase}, so a busy loop cannot hold shutdown
     * longer. A loop still busy after {@code ioloop.shutdown.timeout} (or when the context is destroyed, whichever
     * comes first) is reported at WARN with its thread's stack; it stops, and is closed, when its current callback
     * returns.
     * @param callback run once the loops stopped or the shutdown timeout passed; always run
     */
    @Override
    public void stop(Runnable callback) {
        // ordering: volatile read, as in start().
        if (this.state != State.RUNNING) {
            callback.run();
            return;
        }
        // ordering: volatile write before the first loop is asked to stop, so health turns OUT_OF_SERVICE first.
        this.state = State.STOPPING;
        beginStop(callback);
    }

    private void beginStop(Runnable callback) {
        long began = System.nanoTime();
        // ordering: volatile write, read by destroy() on the lifecycle thread or the shutdown thread's report.
        this.stopBegan = began;
        Thread loopThread = this.mainThread;
        requestStop();
        Thread stopper = new Thread(() -> awaitStopped(began, loopThread, callback), "ioloop-shutdown");
        stopper.setDaemon(true);
        stopper.start();
    }

    /** Stops the probes and queues a {@code stop()} on every loop, behind what is already queued there. */
    private void requestStop() {
        this.busyReported.set(false);
        for (ManagedLoop loop : this.loops) {
            loop.lagProbe().stop();
        }
        // ordering: volatile read; the context's close sets it before Spring stops the lifecycle beans
        boolean close = this.contextClosing;
        for (ManagedLoop loop : this.loops) {
            // Queued behind what is already there: those callbacks run first. (loop.stop() alone would return after
            // the current iteration and leave queued callbacks unrun.) When the context closes, each loop also closes
            // on its own thread as it stops: Netty's io_uring accepts its shutdown from that thread only.
            IOLoop l = loop.loop();
            l.addCallback(close ? () -> l.stopAndClose(false) : l::stop);
        }
    }

    /**
     * Thread ioloop-shutdown: waits for the loops, reports, runs the callback; a busy loop is then outlasted and
     * closed when it ends (destroy() has left it open).
     */
    private void awaitStopped(long began, @Nullable Thread loopThread, Runnable callback) {
        boolean stopped;
        try {
            stopped = awaitLoops(loopThread, began + this.settings.shutdownTimeout().toNanos());
            // ordering: volatile write once every loop ended or the timeout passed.
            this.state = State.STOPPED;
            if (stopped) {
                joinGroup();
                logStopped(began);
            }
            else {
                reportBusy(began, "ioloop.shutdown.timeout of " + this.settings.shutdownTimeout() + " passed");
            }
        }
        finally {
            callback.run();
        }
        if (!stopped) {
            // Daemon thread: waiting here never holds the JVM.
            joinGroup();
            joinUninterruptibly(loopThread);
            logStopped(began);
        }
        closeIfDestroyed();
    }

    private void logStopped(long began) {
        // ordering: atomic read; a busy loop reported before (by either thread) gets its end reported too.
        if (this.busyReported.get()) {
            logger.info("{} ended {} ms after shutdown began", describeLoops(), millisSince(began));
        }
        else {
            logger.info("Stopped {} in {} ms", describeLoops(), millisSince(began));
        }
    }

    /** @return whether every loop ended before {@code deadline} ({@link System#nanoTime()}) */
    private boolean awaitLoops(@Nullable Thread thread, long deadline) {
        if (thread != null) {
            try {
                long left = deadline - System.nanoTime();
                if (left > 0) {
                    TimeUnit.NANOSECONDS.timedJoin(thread, left);
                }
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        if (thread != null && thread.isAlive()) {
            return false;
        }
        // The group's threads are its own: it joins them. Their stops were queued together with the main loop's,
        // so they have usually ended by now.
        try {
            return this.group == null
                    || this.group.awaitStopped(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Waits until every group loop thread ended (group.stop() joins them and resets the group for a restart). */
    private void joinGroup() {
        if (this.group != null) {
            this.group.stop();
        }
    }

    private static void joinUninterruptibly(@Nullable Thread thread) {
        if (thread == null) {
            return;
        }
        try {
            thread.join();
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Logs every loop still running at WARN with its thread's stack, once per stop: what it is busy with, and that
     * it will stop and be closed when that returns.
     */
    private void reportBusy(long began, String reason) {
        // ordering: atomic compare-and-set: the shutdown thread and destroy() may both get here; one reports.
        if (!this.busyReported.compareAndSet(false, true)) {
            return;
        }
        for (ManagedLoop managed : this.loops) {
            IOLoop loop = managed.loop();
            Thread thread = loop.thread();
            if (!loop.isRunning() || thread == null) {
                continue;
            }
            StringBuilder stack = new StringBuilder();
            for (StackTraceElement frame : thread.getStackTrace()) {
                stack.append(System.lineSeparator()).append("\tat ").append(frame);
            }
            logger.warn("IOLoop '{}' is still busy {} ms after shutdown began ({}): thread {} will stop, and the "
                    + "loop be closed, when its current callback returns. Its stack:{}", managed.name(),
                    (began != 0) ? millisSince(began) : "?", reason, thread.getName(), stack);
        }
    }

    private static String threadName(IOLoop loop) {
        Thread thread = loop.thread();
        return (thread != null) ? thread.getName() : "none";
    }

    private String describeLoops() {
        return (this.loops.size() == 1) ? "IOLoop '" + this.mainLoop.name() + "'" : this.loops.size() + " IOLoops";
    }

    private static long millisSince(long nanoTime) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - nanoTime);
    }

    @Override
    public boolean isRunning() {
        // ordering: volatile read.
        return this.state == State.RUNNING;
    }

    @Override
    public int getPhase() {
        return PHASE;
    }

    @Override
    public boolean isPauseable() {
        return false;
    }

    /**
     * Closes every loop that has stopped (the group's, then the main loop) and uninstalls the main loop as
     * {@code IOLoop.instance()}. A loop still running (busy past the shutdown phase) is reported at WARN with its
     * stack, if it was not yet, and closed by thread {@code ioloop-shutdown} once it ends.
     */
    /**
     * The application context is closing (published before Spring stops the lifecycle beans): the coming stop
     * closes each loop on its own thread instead of leaving that to {@link #destroy()} on the closing thread.
     *
     * @param event the context's close
     */
    @Override
    public void onApplicationEvent(ContextClosedEvent event) {
        if (event.getApplicationContext() == this.context) { // not a child context's close, which propagates here
            this.contextClosing = true;
        }
    }

    /**
     * The context this bean lives in, whose close {@link #onApplicationEvent} waits for.
     *
     * @param context the bean's context
     */
    @Override
    public void setApplicationContext(ApplicationContext context) {
        this.context = context;
    }

    @Override
    public void destroy() {
        boolean allClosed;
        synchronized (this.closeLock) {
            this.destroyed = true;
            allClosed = closeStoppedLoops();
        }
        if (!allClosed) {
            reportBusy(this.stopBegan, "spring.lifecycle.timeout-per-shutdown-phase passed");
        }
        this.mainLoop.uninstall();
    }

    private void closeIfDestroyed() {
        synchronized (this.closeLock) {
            if (this.destroyed) {
                closeStoppedLoops();
            }
        }
    }

    /** @return whether every loop is closed now; called under closeLock */
    private boolean closeStoppedLoops() {
        boolean allClosed = true;
        if (this.group != null) {
            if (this.group.loops().stream().noneMatch(IOLoop::isRunning)) {
                this.group.close(); // idempotent; the threads have ended, so this only joins them
            }
            else {
                allClosed = false;
            }
        }
        if (this.mainLoop.isRunning()) {
            allClosed = false;
        }
        else {
            this.mainLoop.close(); // idempotent
        }
        return allClosed;
    }
}
