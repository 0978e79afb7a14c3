package dev.ioloop.spring.boot.lifecycle;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import dev.ioloop.IOLoop;
import dev.ioloop.IOLoopGroup;
import dev.ioloop.IOLoopThread;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.context.SmartLifecycle;

/**
 * Runs the main loop on its own thread and the loop group on theirs, as a {@link SmartLifecycle} in phase
 * {@link #PHASE}: the loops start before the web server accepts requests and stop after it has drained.
 *
 * <p>Stopping queues a {@code stop()} behind the callbacks already queued on each loop, so those still run, and
 * waits at most the shutdown timeout for every loop thread to end (group first, then the main loop). {@link #destroy()}
 * closes the loops that have stopped; a loop still running after the timeout is reported and left open.
 *
 * <p>Threading: the {@code SmartLifecycle} methods are called by Spring's lifecycle processor, one at a time;
 * {@link #state()} and {@link #loops()} are safe from any thread.
 */
public class IOLoopLifecycle implements SmartLifecycle, DisposableBean {

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
        /** {@link #stop()} is running: loops finish their queued callbacks. */
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

    private final @Nullable IOLoopGroup group;

    private final Settings settings;

    private final List<ManagedLoop> loops;

    // ordering: volatile so that health and endpoint threads see the lifecycle processor's last transition.
    private volatile State state = State.NEW;

    // Lifecycle processor thread only.
    private @Nullable IOLoopThread mainThread;

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
        return new ManagedLoop(loop.name(), loop, this.settings.lagInterval(), this.settings.retainedReports(),
                Clock.systemUTC());
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
        boolean groupStarted = false;
        try {
            startMainLoop();
            if (this.group != null) {
                this.group.start();
                groupStarted = true;
            }
            for (ManagedLoop loop : this.loops) {
                loop.lagProbe().start();
            }
        }
        catch (RuntimeException | Error ex) {
            // Spring stops only lifecycles that report running: undo what did start, or the (non-daemon) loop
            // threads would outlive the failed context and keep its JVM alive.
            abortStart(groupStarted);
            throw ex;
        }
        // ordering: volatile write after every loop runs, so a RUNNING reader finds running loops.
        this.state = State.RUNNING;
        logger.debug("Started {} IOLoop(s)", this.loops.size());
    }

    private void abortStart(boolean groupStarted) {
        long deadline = System.nanoTime() + this.settings.shutdownTimeout().toNanos();
        for (ManagedLoop loop : this.loops) {
            loop.lagProbe().stop();
        }
        if (groupStarted && this.group != null) {
            stopGroup(this.group, deadline);
        }
        stopMainLoop(deadline);
        // ordering: volatile write, as in stop().
        this.state = State.STOPPED;
    }

    private void startMainLoop() {
        this.mainThread = IOLoopThread.start(this.mainLoop, MAIN_THREAD_NAME, false);
    }

    @Override
    public void stop() {
        // ordering: volatile read, as in start().
        if (this.state != State.RUNNING) {
            return;
        }
        // ordering: volatile write before the first loop is asked to stop, so health turns OUT_OF_SERVICE first.
        this.state = State.STOPPING;
        long deadline = System.nanoTime() + this.settings.shutdownTimeout().toNanos();
        for (ManagedLoop loop : this.loops) {
            loop.lagProbe().stop();
        }
        if (this.group != null) {
            stopGroup(this.group, deadline);
        }
        stopMainLoop(deadline);
        // ordering: volatile write after every loop thread ended (or the timeout passed).
        this.state = State.STOPPED;
    }

    @Override
    public void stop(Runnable callback) {
        try {
            stop();
        }
        finally {
            callback.run();
        }
    }

    private void stopGroup(IOLoopGroup group, long deadline) {
        for (IOLoop loop : group.loops()) {
            // Queued behind what is already there: those callbacks run first. (group.stop() alone would
            // return after the current iteration and leave queued callbacks unrun.)
            loop.addCallback(loop::stop);
        }
        if (!awaitStopped(group, deadline)) {
            logger.warn("IOLoopGroup did not stop within {} (ioloop.shutdown.timeout); busy loops stay open",
                    this.settings.shutdownTimeout());
            // Stops them after their current iteration, off this thread: a blocked loop must not hold shutdown.
            Thread stopper = new Thread(group::stop, "ioloop-group-stop");
            stopper.setDaemon(true);
            stopper.start();
            return;
        }
        group.stop(); // every loop returned from start(): this only joins the ended threads
    }

    private static boolean awaitStopped(IOLoopGroup group, long deadline) {
        try {
            return group.awaitStopped(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private void stopMainLoop(long deadline) {
        this.mainLoop.addCallback(this.mainLoop::stop);
        IOLoopThread thread = this.mainThread;
        if (thread != null && !join(thread, deadline)) {
            logger.warn("IOLoop '{}' did not stop within {} (ioloop.shutdown.timeout): thread {} is still busy",
                    this.mainLoop.name(), this.settings.shutdownTimeout(), thread.thread().getName());
            this.mainLoop.stop();
        }
        this.mainThread = null;
    }

    private static boolean join(IOLoopThread thread, long deadline) {
        try {
            return thread.join(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            return !thread.thread().isAlive();
        }
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
     * {@code IOLoop.instance()}. A loop still running is reported at WARN and left open.
     */
    @Override
    public void destroy() {
        if (this.group != null) {
            if (this.group.loops().stream().noneMatch(IOLoop::isRunning)) {
                this.group.close();
            }
            else {
                logger.warn("Not closing IOLoopGroup: some of its loops are still running");
            }
        }
        if (this.mainLoop.isRunning()) {
            logger.warn("Not closing IOLoop '{}': it is still running", this.mainLoop.name());
        }
        else if (!this.mainLoop.isClosed()) {
            this.mainLoop.close();
        }
        this.mainLoop.uninstall();
    }
}
