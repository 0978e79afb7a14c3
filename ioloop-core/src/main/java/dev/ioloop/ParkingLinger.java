package dev.ioloop;

import java.util.function.BooleanSupplier;

/**
 * How a loop that is about to park (the default backend with nothing registered) first lingers for
 * more callbacks from other threads: it gives its CPU away ({@link Thread#yield()}) and looks again,
 * for at most a budget of real time, then parks. Adaptive, like Agrona's {@code BackoffIdleStrategy}
 * and the JDK's spin-then-park locks, but keyed to what the last linger found: a linger that found
 * work restores the budget to {@link #MAX_NANOS}; one that gave up halves it, down to
 * {@link #MIN_NANOS}. So a stream of callbacks from another thread keeps the loop awake across the
 * gaps between them, and a loop woken now and then by a lone callback soon lingers about a
 * microsecond (one or two yields) before it parks.
 *
 * <p>Why (B1 in BENCHMARKS.md, issue 9 "B1 quiet"): a parked loop is woken within a few
 * microseconds, so on two free cores it caught up with a producer in the middle of a burst, parked,
 * and the producer paid an {@code unpark} (a system call) for each catch-up (up to 134 per 1,000
 * callbacks). A pure spin removed the wake-ups but ran in lock-step with the producer, reading the
 * queue's lines as they were written (slower still). A yield between two looks spaces them by a
 * system call's length, so each look finds a batch, and leaves the core to any other runnable thread.
 *
 * <p>Costs: a lingering loop counts as busy (it has not announced a wait); it uses at most
 * {@link #MAX_NANOS} of real time per linger, and lingers only right after an iteration that ran
 * other threads' callbacks, so a loop left idle parks within that and uses no CPU.
 *
 * <p>Loop thread only (one instance per loop; its budget is a plain field).
 */
final class ParkingLinger {

    /** The longest linger, in nanoseconds of real time: longer than the gap between the callbacks of a busy producer. */
    static final long MAX_NANOS = 20_000;
    /** The shortest linger once lingers keep giving up, in nanoseconds: one or two looks. */
    static final long MIN_NANOS = 1_000;

    private long budgetNanos = MAX_NANOS;

    /**
     * Yields and looks at {@code workArrived} until it says true (returns true) or the budget, capped at
     * {@code limitNanos}, is spent (returns false, having looked at least once after a yield). Reads
     * {@link System#nanoTime()}, never the loop's clock: a fake clock cannot make it endless.
     *
     * @param workArrived what the loop's wait would look at after announcing it; called on this thread
     * @param limitNanos at most this long (the time until the loop's next timeout), in nanoseconds
     */
    boolean linger(BooleanSupplier workArrived, long limitNanos) {
        long budget = budgetNanos;
        long deadline = System.nanoTime() + Math.min(budget, limitNanos);
        do {
            Thread.yield();
            if (workArrived.getAsBoolean()) {
                budgetNanos = MAX_NANOS;
                return true;
            }
        } while (System.nanoTime() - deadline < 0);
        budgetNanos = Math.max(MIN_NANOS, budget / 2);
        return false;
    }

    /** The budget of the next linger, in nanoseconds. */
    long budgetNanos() {
        return budgetNanos;
    }
}
