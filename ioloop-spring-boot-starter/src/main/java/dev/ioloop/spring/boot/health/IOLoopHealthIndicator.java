package dev.ioloop.spring.boot.health;

import java.time.Duration;

import dev.ioloop.IOLoop;
import dev.ioloop.LoopStats;
import dev.ioloop.spring.boot.lifecycle.IOLoopLifecycle;
import dev.ioloop.spring.boot.lifecycle.ManagedLoop;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;

/**
 * Health of one loop: UP while its thread is alive, the loop runs and its lag is under the threshold; DOWN when it
 * is blocked past the threshold or its thread died; OUT_OF_SERVICE while whoever runs it (the starter's lifecycle,
 * or an attacher) starts or stops it.
 *
 * <p>Details: {@code lagMillis} (the larger of the last probe's lag and how overdue the current probe is),
 * {@code blockedForMillis} (as the core reports it), {@code thread}, {@code threadState} ({@code NONE} when the loop has no thread), {@code running}, {@code pendingCallbacks},
 * {@code pendingTimeouts}. Reads only thread-safe state: safe from any thread, never touches the loop thread.
 */
public final class IOLoopHealthIndicator implements HealthIndicator {

    private final ManagedLoop managed;

    private final Duration lagThreshold;

    /**
     * Creates the indicator.
     * @param managed the loop, with the state of whoever runs it
     * @param lagThreshold lag at or above which the loop is DOWN
     */
    public IOLoopHealthIndicator(ManagedLoop managed, Duration lagThreshold) {
        this.managed = managed;
        this.lagThreshold = lagThreshold;
    }

    @Override
    public Health health() {
        IOLoop loop = this.managed.loop();
        LoopStats stats = loop.stats();
        long lagNanos = this.managed.lagProbe().currentLagNanos();
        Thread thread = loop.thread();
        IOLoopLifecycle.State lifecycle = this.managed.state();
        Health.Builder builder = new Health.Builder(status(lifecycle, loop, thread, lagNanos))
            .withDetail("lagMillis", lagNanos / 1_000_000.0)
            .withDetail("lagThresholdMillis", this.lagThreshold.toMillis())
            .withDetail("blockedForMillis", stats.blockedForNanos() / 1_000_000.0)
            .withDetail("thread", (thread != null) ? thread.getName() : "none")
            .withDetail("threadState", (thread != null) ? thread.getState().name() : "NONE")
            .withDetail("running", loop.isRunning())
            .withDetail("pendingCallbacks", stats.pendingCallbacks())
            .withDetail("pendingTimeouts", stats.pendingTimeouts());
        if (lifecycle != IOLoopLifecycle.State.RUNNING) {
            builder.withDetail("lifecycle", lifecycle.name());
        }
        return builder.build();
    }

    private Status status(IOLoopLifecycle.State lifecycle, IOLoop loop, Thread thread, long lagNanos) {
        if (lifecycle != IOLoopLifecycle.State.RUNNING) {
            return Status.OUT_OF_SERVICE;
        }
        if (thread == null || !thread.isAlive() || !loop.isRunning()) {
            return Status.DOWN;
        }
        return (lagNanos >= this.lagThreshold.toNanos()) ? Status.DOWN : Status.UP;
    }
}
