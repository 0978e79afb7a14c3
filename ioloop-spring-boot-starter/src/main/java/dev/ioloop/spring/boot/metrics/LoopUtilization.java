package dev.ioloop.spring.boot.metrics;

import java.util.function.Supplier;

import dev.ioloop.LoopStats;
import org.jspecify.annotations.Nullable;

/**
 * A loop's utilisation over the last complete fixed window: busy time over busy plus idle time (Node's event-loop
 * utilisation) between the {@link LoopStats} snapshots taken at the window's two ends. The windows are rolled by
 * one sampling thread ({@link #sample}); reading ({@link #value()}) never moves them, so any number of readers see
 * the same value.
 *
 * <p>Threading: {@link #sample} on one thread at a time; {@link #value()} from any thread.
 */
final class LoopUtilization {

    private final long windowNanos;

    // Sampling thread only.
    private @Nullable LoopStats windowStart;

    // Sampling thread only.
    private long windowStartNanos;

    // ordering: volatile; written by the sampling thread once per window, read by any reader.
    private volatile double value = Double.NaN;

    /** @param windowNanos the window's length in nanoseconds, positive */
    LoopUtilization(long windowNanos) {
        this.windowNanos = windowNanos;
    }

    /**
     * Closes the window once it is {@code windowNanos} long, and opens the next one; takes a snapshot only then.
     * @param stats takes a snapshot of the loop
     * @param nowNanos the sampling thread's monotonic clock
     */
    void sample(Supplier<LoopStats> stats, long nowNanos) {
        LoopStats start = this.windowStart;
        if (start == null) {
            this.windowStart = stats.get();
            this.windowStartNanos = nowNanos;
            return;
        }
        if (nowNanos - this.windowStartNanos < this.windowNanos) {
            return;
        }
        LoopStats end = stats.get();
        // ordering: volatile write publishes the closed window's value.
        this.value = end.utilizationSince(start);
        this.windowStart = end;
        this.windowStartNanos = nowNanos;
    }

    /** @return the last complete window's utilisation, 0..1, or NaN before the first window closed */
    double value() {
        // ordering: volatile read.
        return this.value;
    }
}
