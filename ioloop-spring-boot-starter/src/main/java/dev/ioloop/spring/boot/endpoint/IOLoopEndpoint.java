package dev.ioloop.spring.boot.endpoint;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import dev.ioloop.IOLoop;
import dev.ioloop.LoopStats;
import dev.ioloop.spring.boot.lifecycle.BlockedLoopReport;
import dev.ioloop.spring.boot.lifecycle.IOLoopLifecycle;
import dev.ioloop.spring.boot.lifecycle.ManagedLoop;
import dev.ioloop.spring.boot.lifecycle.MonitoredLoops;
import dev.ioloop.spring.boot.scheduling.PeriodicCallbackHolder;
import dev.ioloop.spring.boot.scheduling.ScheduledPeriodicCallback;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.actuate.endpoint.OperationResponseBody;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;

/**
 * The {@code ioloop} actuator endpoint: every loop with its state, stats and lag, its {@code @PeriodicCallback}
 * methods (period, jitter, last and next run, runs, skipped, errors) and its last blocked-loop reports with the
 * captured stack. {@code /actuator/ioloop/{name}} shows one loop. Reads only thread-safe state: safe from any
 * thread.
 */
@Endpoint(id = "ioloop")
public class IOLoopEndpoint {

    private final IOLoopLifecycle lifecycle;

    private final MonitoredLoops loops;

    private final List<PeriodicCallbackHolder> holders;

    /**
     * Creates the endpoint.
     * @param lifecycle runs the starter's own loops (its state is the top-level {@code state})
     * @param loops every monitored loop, the starter's own and attached ones
     * @param holders where the periodic callbacks are known
     */
    public IOLoopEndpoint(IOLoopLifecycle lifecycle, MonitoredLoops loops, List<PeriodicCallbackHolder> holders) {
        this.lifecycle = lifecycle;
        this.loops = loops;
        this.holders = List.copyOf(holders);
    }

    /** @return every monitored loop, in registration order (main loop first) */
    @ReadOperation
    public LoopsDescriptor loops() {
        return new LoopsDescriptor(this.lifecycle.state().name(),
                this.loops.loops().stream().map(this::describe).toList());
    }

    /**
     * @param name a loop's name
     * @return that loop, or null (404) when there is none
     */
    @ReadOperation
    public @Nullable LoopDescriptor loop(@Selector String name) {
        ManagedLoop managed = this.loops.find(name);
        return (managed != null) ? describe(managed) : null;
    }

    private LoopDescriptor describe(ManagedLoop managed) {
        IOLoop loop = managed.loop();
        Thread thread = loop.thread();
        List<PeriodicCallbackDescriptor> callbacks = this.holders.stream()
            .flatMap((holder) -> holder.getPeriodicCallbacks().stream())
            .filter((callback) -> callback.getLoopName().equals(managed.name()))
            .map(PeriodicCallbackDescriptor::of)
            .toList();
        return new LoopDescriptor(managed.name(), managed.state().name(), (thread != null) ? thread.getName() : null,
                (thread != null) ? thread.getState().name() : null, loop.isRunning(),
                managed.lagProbe().currentLagNanos() / 1_000_000.0, loop.stats(), callbacks,
                managed.blockedReports());
    }

    /**
     * All loops.
     * @param state the lifecycle state ({@code RUNNING}, {@code STOPPING}, ...)
     * @param loops each loop, main loop first
     */
    public record LoopsDescriptor(String state, List<LoopDescriptor> loops) implements OperationResponseBody {
    }

    /**
     * One loop.
     * @param name the loop's name
     * @param state the state of whoever runs it ({@code RUNNING}, {@code STOPPING}, ...)
     * @param thread its thread's name, or null when it has none
     * @param threadState its thread's state, or null
     * @param running whether the loop runs
     * @param lagMillis its current lag in milliseconds
     * @param stats its counters
     * @param periodicCallbacks its {@code @PeriodicCallback} methods
     * @param blockedReports its most recent blocked-loop reports, oldest first
     */
    public record LoopDescriptor(String name, String state, @Nullable String thread, @Nullable String threadState, boolean running,
            double lagMillis, LoopStats stats, List<PeriodicCallbackDescriptor> periodicCallbacks,
            List<BlockedLoopReport> blockedReports) implements OperationResponseBody {
    }

    /**
     * One {@code @PeriodicCallback} method.
     * @param callback {@code bean#method}
     * @param method the method, as {@code com.acme.Jobs.tick()}
     * @param period its period
     * @param jitter its jitter, a fraction of the period
     * @param lastRun when the last run started, or null
     * @param nextRun when the next run is expected, or null
     * @param runs completed runs
     * @param skipped skipped periods
     * @param errors failed runs
     */
    public record PeriodicCallbackDescriptor(String callback, String method, Duration period, double jitter,
            @Nullable Instant lastRun, @Nullable Instant nextRun, long runs, long skipped, long errors) {

        static PeriodicCallbackDescriptor of(ScheduledPeriodicCallback callback) {
            return new PeriodicCallbackDescriptor(callback.getId(), callback.getMethod(), callback.getPeriod(),
                    callback.getJitter(), callback.getLastRun(), callback.getNextRun(), callback.getRuns(),
                    callback.getSkipped(), callback.getErrors());
        }
    }
}
