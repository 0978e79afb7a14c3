package dev.ioloop.spring.boot.metrics;

import java.util.function.LongSupplier;
import java.util.function.Supplier;

import dev.ioloop.LoopStats;
import org.jspecify.annotations.Nullable;

/**
 * One loop's {@link LoopStats} shared by all of its meters: a snapshot younger than {@code maxAge} is reused, so the
 * meters of one scrape (which reads them one after another, within milliseconds) all report the same snapshot,
 * and two scrapers at the same moment see the same values. Safe from any thread.
 */
final class SharedLoopStats {

    private final Supplier<LoopStats> source;

    private final LongSupplier nanoClock;

    private final long maxAgeNanos;

    // Guarded by this.
    private @Nullable LoopStats snapshot;

    // Guarded by this.
    private long takenAtNanos;

    /**
     * @param source takes a fresh snapshot ({@code loop::stats})
     * @param nanoClock a monotonic clock in nanoseconds ({@code System::nanoTime})
     * @param maxAgeNanos how long a snapshot is reused
     */
    SharedLoopStats(Supplier<LoopStats> source, LongSupplier nanoClock, long maxAgeNanos) {
        this.source = source;
        this.nanoClock = nanoClock;
        this.maxAgeNanos = maxAgeNanos;
    }

    /** @return the current snapshot, taken now if the previous one is {@code maxAge} old */
    synchronized LoopStats get() {
        long now = this.nanoClock.getAsLong();
        LoopStats current = this.snapshot;
        if (current == null || now - this.takenAtNanos >= this.maxAgeNanos) {
            current = this.source.get();
            this.snapshot = current;
            this.takenAtNanos = now;
        }
        return current;
    }
}
