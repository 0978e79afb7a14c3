package dev.ioloop.testing;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import dev.ioloop.LoopClock;

/**
 * A {@link LoopClock} that moves only when a test advances it (Netty's MockTicker, Tornado's fake
 * time). After advancing the clock of a running loop, wake the loop (any addCallback does) so that
 * it looks at its timeouts again. Safe from any thread.
 */
public final class FakeClock implements LoopClock {

    // ordering: atomic, so that a test thread's advance is visible to the loop thread's next read.
    private final AtomicLong nanos;

    /** Starts at an arbitrary non-zero origin, as a real monotonic clock would. */
    public FakeClock() {
        this(1_000_000_000_000L);
    }

    /**
     * Starts at a given reading.
     *
     * @param startNanos the first reading
     */
    public FakeClock(long startNanos) {
        this.nanos = new AtomicLong(startNanos);
    }

    @Override
    public long nanoTime() {
        return nanos.get();
    }

    /**
     * Moves the clock forward.
     *
     * @param duration how far; not negative
     */
    public void advance(Duration duration) {
        if (duration.isNegative()) {
            throw new IllegalArgumentException("'duration' must not be negative (was " + duration + ")");
        }
        nanos.addAndGet(duration.toNanos());
    }

    /**
     * Moves the clock by a number of nanoseconds (negative moves it back, to test clock steps).
     *
     * @param delta nanoseconds
     */
    public void advanceNanos(long delta) {
        nanos.addAndGet(delta);
    }
}
