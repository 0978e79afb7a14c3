package dev.ioloop.spring.boot.lifecycle;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.function.Supplier;

import dev.ioloop.BlockedLoopAction;
import dev.ioloop.IOLoop;
import dev.ioloop.spring.boot.metrics.LoopLagProbe;
import org.jspecify.annotations.Nullable;

/**
 * A monitored loop, with what the starter keeps about it: its name, its lag probe, its most recent blocked-loop
 * reports and the state of whoever runs it. The starter's own loops are made by {@link IOLoopLifecycle}; a loop
 * attached to an event loop the starter does not run is made by its attacher, registered in {@link MonitoredLoops},
 * and started with {@link #startMonitoring()}. Safe from any thread.
 */
public final class ManagedLoop {

    /**
     * How a loop is watched.
     * @param lagInterval the lag probe's interval, positive
     * @param watchdogThreshold the blocked-loop watchdog threshold, zero to disable
     * @param retainedReports how many blocked-loop reports to keep, at least 0
     */
    public record Monitoring(Duration lagInterval, Duration watchdogThreshold, int retainedReports) {
    }

    private final String name;

    private final IOLoop loop;

    private final Monitoring monitoring;

    private final Supplier<IOLoopLifecycle.State> state;

    private final LoopLagProbe lagProbe;

    // Guarded by itself: written by the core's watchdog thread, read by the endpoint.
    private final Deque<BlockedLoopReport> reports = new ArrayDeque<>();

    /**
     * Creates a stopped monitor of {@code loop}, named after it.
     * @param loop the loop
     * @param monitoring how it is watched
     * @param state the state of whoever runs the loop (health is OUT_OF_SERVICE unless RUNNING)
     */
    public ManagedLoop(IOLoop loop, Monitoring monitoring, Supplier<IOLoopLifecycle.State> state) {
        this(loop.name(), loop, monitoring, state);
    }

    /**
     * Creates a stopped monitor of {@code loop} under another name than the loop's own: an attached loop is known by
     * its event loop's thread ({@code reactor-http-epoll-1}).
     * @param name the name of its meters' tag, health component and endpoint entry
     * @param loop the loop
     * @param monitoring how it is watched
     * @param state the state of whoever runs the loop (health is OUT_OF_SERVICE unless RUNNING)
     */
    public ManagedLoop(String name, IOLoop loop, Monitoring monitoring, Supplier<IOLoopLifecycle.State> state) {
        this.name = name;
        this.loop = loop;
        this.monitoring = monitoring;
        this.state = state;
        this.lagProbe = new LoopLagProbe(loop, monitoring.lagInterval());
    }

    /** @return the loop's name (tag {@code loop} of the meters, component of the health indicator) */
    public String name() {
        return this.name;
    }

    /** @return the loop */
    public IOLoop loop() {
        return this.loop;
    }

    /** @return the loop's lag probe, started and stopped with the loop */
    public LoopLagProbe lagProbe() {
        return this.lagProbe;
    }

    /** @return the state of whoever runs the loop, now */
    public IOLoopLifecycle.State state() {
        return this.state.get();
    }

    /**
     * Subscribes to the loop's watchdog and starts the lag probe, for a loop that runs already and that other monitors
     * may watch too (an attached one, which every application context monitoring its event loop shares; the lifecycle
     * starts its own loops' monitoring in two steps around their start). The loop's watchdog then serves every monitor
     * subscribed to it, each past its own threshold.
     */
    public void startMonitoring() {
        Duration threshold = this.monitoring.watchdogThreshold();
        if (threshold != null && !threshold.isZero()) {
            SharedWatchdog.INSTANCE.subscribe(this, threshold);
        }
        this.lagProbe.start();
    }

    /** Stops the lag probe and unsubscribes from the loop's watchdog, which stays for the loop's other monitors. */
    public void stopMonitoring() {
        this.lagProbe.stop();
        SharedWatchdog.INSTANCE.unsubscribe(this);
    }

    /** @return the most recent blocked-loop reports, oldest first (a copy) */
    public List<BlockedLoopReport> blockedReports() {
        synchronized (this.reports) {
            return List.copyOf(this.reports);
        }
    }

    /**
     * Installs the watchdog on the loop: past {@code threshold}, the core logs the loop thread's stack (as
     * {@code setBlockingLogThreshold} does) and this object keeps a report with the captured stack.
     * @param threshold the watchdog threshold; zero or null disables the watchdog
     */
    void installWatchdog(@Nullable Duration threshold) {
        if (threshold == null || threshold.isZero()) {
            this.loop.setBlockingSignalThreshold(null, null);
            return;
        }
        this.loop.setBlockingSignalThreshold(threshold, watchdogAction(threshold.toMillis()));
    }

    /**
     * The watchdog's action: keeps a report and logs the stack, both with the blocked time the watchdog measured.
     * Reading {@code stats()} again here would show 0 (or a later iteration's time) whenever the block ended between
     * the watchdog's check and this action, which a loaded machine makes common.
     * @param thresholdMillis the threshold the reports name
     * @return the action
     */
    BlockedLoopAction watchdogAction(long thresholdMillis) {
        return (thread, blockedNanos) -> {
            record(thread, thresholdMillis, blockedNanos);
            this.loop.logStack(thread, blockedNanos);
        };
    }

    /**
     * Keeps a report of a blocked loop, dropping the oldest past the retained count; on the core's watchdog thread.
     * @param thread the blocked loop's thread, whose stack the report captures
     * @param thresholdMillis the threshold the report names
     * @param blockedNanos how long the loop was blocked, as the watchdog measured
     */
    void record(Thread thread, long thresholdMillis, long blockedNanos) {
        int retained = this.monitoring.retainedReports();
        if (retained == 0) {
            return;
        }
        List<String> stack = new ArrayList<>();
        for (StackTraceElement frame : thread.getStackTrace()) {
            stack.add(frame.toString());
        }
        BlockedLoopReport report = new BlockedLoopReport(Instant.now(), this.name, thread.getName(),
                thresholdMillis, blockedNanos / 1_000_000, List.copyOf(stack));
        synchronized (this.reports) {
            if (this.reports.size() == retained) {
                this.reports.removeFirst();
            }
            this.reports.addLast(report);
        }
    }
}
