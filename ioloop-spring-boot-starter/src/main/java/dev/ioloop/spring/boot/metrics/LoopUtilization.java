package dev.ioloop.spring.boot.metrics;

import java.util.function.Supplier;

import dev.ioloop.LoopStats;
import org.jspecify.annotations.Nullable;

/**
 * A loop's utilisation since the previous reading: busy time over busy plus idle time (Node's event-loop
 * utilisation), from two {@link LoopStats} snapshots ({@link LoopStats#utilizationSince}). An iteration still
 * running counts as busy up to the reading. Safe from any thread (readings are serialised).
 */
final class LoopUtilization {

    private final Supplier<LoopStats> stats;

    // Guarded by this.
    private @Nullable LoopStats previous;

    LoopUtilization(Supplier<LoopStats> stats) {
        this.stats = stats;
    }

    /** @return the utilisation since the previous call (since the loop was created, the first time), 0..1 */
    synchronized double value() {
        LoopStats now = this.stats.get();
        LoopStats earlier = this.previous;
        this.previous = now;
        if (earlier == null) {
            earlier = new LoopStats(now.name(), 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
        }
        return now.utilizationSince(earlier);
    }
}
