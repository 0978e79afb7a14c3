package dev.ioloop;

import java.util.function.BooleanSupplier;

/**
 * How a loop that is about to park (the default backend with nothing registered) first lingers for
 * more callbacks from other threads: it gives its CPU away ({@link Thread#yield()}) again and again
 * and looks at its queue every {@link #LOOK_EVERY_NANOS} and once more at the end, for at most a budget
 * of real time, then parks. Adaptive, like Agrona's {@code BackoffIdleStrategy} and the JDK's
 * spin-then-park locks, but keyed to what the last linger found: a linger that found work restores the
 * budget to {@link #MAX_NANOS}; one that gave up halves it, down to {@link #MIN_NANOS}. So a stream of
 * callbacks from another thread keeps the loop awake across the gaps between them, and a loop woken now
 * and then by a lone callback soon lingers about a microsecond (one look) before it parks.
 *
 * <p>Why (B1 in BENCHMARKS.md, issue 9 "B1 quiet"): a parked loop is woken within a few
 * microseconds, so on two free cores it caught up with a producer in the middle of a burst, parked,
 * and the producer paid an {@code unpark} (a system call) for each catch-up (up to 134 per 1,000
 * callbacks). A pure spin removed the wake-ups but ran in lock-step with the producer, reading the
 * queue's lines as they were written (slower still); so did looks a yield (about a microsecond) apart
 * on two free cores. Looks {@value #LOOK_EVERY_NANOS} ns apart each find a batch, as a selecting loop's
 * late wake-up does; the yields between them leave the core to any other runnable thread (under load,
 * the producer).
 *
 * <p>Costs: a lingering loop counts as busy (it has not announced a wait); it uses at most
 * {@link #MAX_NANOS} of real time per linger, and lingers only right after an iteration that ran
 * other threads' callbacks, so a loop left idle parks within that and uses no CPU. A callback that
 * arrives during a linger waits up to {@value #LOOK_EVERY_NANOS} ns for the next look, about what a
 * parked loop's wake-up takes.
 *
 * <p>Loop thread only (one instance per loop; its budget is a plain field).
 */
final class ParkingLinger {

    /** The longest linger, in nanoseconds of real time: longer than the gap between the callbacks of a busy producer. */
    static final long MAX_NANOS = 20_000;
    /** The shortest linger once lingers keep giving up, in nanoseconds: one look, at its end. */
    static final long MIN_NANOS = 1_000;
    /** Time between two looks at the queue, in nanoseconds: long enough for a producer to queue a batch. */
    static final long LOOK_EVERY_NANOS = 8_000;

    private long budgetNanos = MAX_NANOS;

    /**
     * Yields, looking at {@code workArrived} every {@link #LOOK_EVERY_NANOS} and once when the budget,
     * capped at {@code limitNanos}, is spent: returns true at the first look that says true, false if
     * none did (at least one look, at the end). Reads {@link System#nanoTime()}, never the loop's clock:
     * a fake clock cannot make it endless.
     *
     * @param workArrived what the loop's wait would look at after announcing it; called on this thread
     * @param limitNanos at most this long (the time until the loop's next timeout), in nanoseconds
     */
    boolean linger(BooleanSupplier workArrived, long limitNanos) {
        long budget = budgetNanos;
        long now = System.nanoTime();
        long deadline = now + Math.min(budget, limitNanos);
        long nextLook = now + LOOK_EVERY_NANOS;
        while (now - deadline < 0) {
            Thread.yield();
            now = System.nanoTime();
            if (now - nextLook >= 0 && now - deadline < 0) {
                if (workArrived.getAsBoolean()) {
                    budgetNanos = MAX_NANOS;
                    return true;
                }
                nextLook = now + LOOK_EVERY_NANOS;
            }
        }
        if (workArrived.getAsBoolean()) { // the last look, at the end of the budget
            budgetNanos = MAX_NANOS;
            return true;
        }
        budgetNanos = Math.max(MIN_NANOS, budget / 2);
        return false;
    }

    /** The budget of the next linger, in nanoseconds. */
    long budgetNanos() {
        return budgetNanos;
    }
}
