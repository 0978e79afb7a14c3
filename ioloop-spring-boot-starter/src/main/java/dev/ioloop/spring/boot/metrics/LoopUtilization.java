package dev.ioloop.spring.boot.metrics;

import java.util.function.Supplier;

import dev.ioloop.LoopStats;

/**
 * A loop's utilisation since the previous reading: busy time over busy plus idle time (Node's event-loop
 * utilisation), from two {@link LoopStats} snapshots. Safe from any thread (readings are serialised).
 */
final class LoopUtilization {

    private final Supplier<LoopStats> stats;

    // Guarded by this.
    private long lastBusy;

    private long lastIdle;

    private double last;

    LoopUtilization(Supplier<LoopStats> stats) {
        this.stats = stats;
    }

    /** @return the utilisation since the previous call, 0..1; the previous value if no iteration ended meanwhile */
    synchronized double value() {
        LoopStats now = this.stats.get();
        long busy = now.busyNanos() - this.lastBusy;
        long idle = now.idleNanos() - this.lastIdle;
        // An iteration still running (blocked) has not been counted yet: it counts as busy up to now.
        long blocked = now.blockedForNanos();
        if (busy + idle + blocked > 0) {
            this.last = Math.min(1.0, (double) (busy + blocked) / (busy + idle + blocked));
            this.lastBusy = now.busyNanos();
            this.lastIdle = now.idleNanos();
        }
        return this.last;
    }
}
