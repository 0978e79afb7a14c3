package dev.ioloop.test;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import dev.ioloop.LoopClock;

/**
 * A {@link LoopClock} that moves only when a test moves it, so that timeouts and periodic callbacks are
 * tested without sleeping (Netty's {@code MockTicker}, Tornado's {@code TestPeriodicCallbackMath}).
 *
 * <pre>{@code
 * @IOLoopTest(fakeClock = true)
 * class RetryTests {
 *     @Test
 *     void retriesAfterOneSecond(RunningLoop loop, FakeClock clock) throws Exception {
 *         List<String> runs = new CopyOnWriteArrayList<>();
 *         loop.run(() -> loop.loop().callLater(Duration.ofSeconds(1), () -> runs.add("retry")));
 *         loop.advance(Duration.ofMillis(999));   // clock forward, then wait for what is due
 *         assertThat(runs).isEmpty();
 *         loop.advance(Duration.ofMillis(1));
 *         assertThat(runs).containsExactly("retry");
 *     }
 * }
 * }</pre>
 *
 * <p>Moving the clock does not wake a loop that waits: use {@link RunningLoop#advance}, which moves the
 * clock and then waits until the loop has run every timeout due by then. Safe from any thread.
 */
public final class FakeClock implements LoopClock {

    /** Where a clock made with {@link #FakeClock()} starts: far from zero, as a real monotonic clock. */
    public static final long DEFAULT_START_NANOS = 1_000_000_000_000L;

    // ordering: atomic, so that a test thread's move is visible to the loop thread's next read.
    private final AtomicLong nanos;

    /** Starts at {@link #DEFAULT_START_NANOS}. */
    public FakeClock() {
        this(DEFAULT_START_NANOS);
    }

    /**
     * Starts at a given reading.
     *
     * @param startNanos the first reading, in nanoseconds
     */
    public FakeClock(long startNanos) {
        this.nanos = new AtomicLong(startNanos);
    }

    @Override
    public long nanoTime() {
        return nanos.get();
    }

    /**
     * Moves the clock forward. The loop sees it on its next iteration.
     *
     * @param duration how far; zero or positive
     * @throws IllegalArgumentException if {@code duration} is negative
     */
    public void advance(Duration duration) {
        if (duration.isNegative()) {
            throw new IllegalArgumentException("'duration' must not be negative (was " + duration + ")");
        }
        nanos.addAndGet(duration.toNanos());
    }

    /**
     * Moves the clock by a number of nanoseconds; a negative value moves it back, to test how code
     * copes with a clock that steps (a real {@link LoopClock} never does).
     *
     * @param delta nanoseconds, either sign
     */
    public void advanceNanos(long delta) {
        nanos.addAndGet(delta);
    }

    @Override
    public String toString() {
        return "FakeClock[" + nanos.get() + " ns]";
    }
}
