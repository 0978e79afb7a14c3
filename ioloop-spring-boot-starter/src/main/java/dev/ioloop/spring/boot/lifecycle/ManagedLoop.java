package dev.ioloop.spring.boot.lifecycle;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

import dev.ioloop.IOLoop;
import dev.ioloop.spring.boot.metrics.LoopLagProbe;
import org.jspecify.annotations.Nullable;

/**
 * A loop run by {@link IOLoopLifecycle}, with what the starter keeps about it: its name, its lag probe and its most
 * recent blocked-loop reports. Safe from any thread.
 */
public final class ManagedLoop {

    private final String name;

    private final IOLoop loop;

    private final LoopLagProbe lagProbe;

    private final int retainedReports;

    private final Clock clock;

    // Guarded by itself: written by the core's watchdog thread, read by the endpoint.
    private final Deque<BlockedLoopReport> reports = new ArrayDeque<>();

    ManagedLoop(String name, IOLoop loop, Duration lagInterval, int retainedReports, Clock clock) {
        this.name = name;
        this.loop = loop;
        this.lagProbe = new LoopLagProbe(loop, lagInterval);
        this.retainedReports = retainedReports;
        this.clock = clock;
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
        long thresholdMillis = threshold.toMillis();
        this.loop.setBlockingSignalThreshold(threshold, (thread) -> {
            record(thread, thresholdMillis);
            this.loop.logStack(thread);
        });
    }

    private void record(Thread thread, long thresholdMillis) {
        if (this.retainedReports == 0) {
            return;
        }
        List<String> stack = new ArrayList<>();
        for (StackTraceElement frame : thread.getStackTrace()) {
            stack.add(frame.toString());
        }
        BlockedLoopReport report = new BlockedLoopReport(this.clock.instant(), this.name, thread.getName(),
                thresholdMillis, List.copyOf(stack));
        synchronized (this.reports) {
            if (this.reports.size() == this.retainedReports) {
                this.reports.removeFirst();
            }
            this.reports.addLast(report);
        }
    }
}
