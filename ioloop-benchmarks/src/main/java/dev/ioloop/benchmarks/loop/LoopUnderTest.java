package dev.ioloop.benchmarks.loop;

/**
 * A single-thread event loop as the benchmarks see it: submit a task, schedule and cancel a timer.
 *
 * <p>Timer handles are the implementation's own objects (no wrapper is allocated per timer), so a
 * benchmark measures the loop's cost and not this adapter's.
 */
public interface LoopUnderTest extends AutoCloseable {

    /**
     * Queues {@code task} to run on the loop thread, waking the loop if it sleeps.
     * Safe from any thread.
     *
     * @param task runs once on the loop thread
     */
    void execute(Runnable task);

    /**
     * Schedules {@code task} to run on the loop thread after {@code delayNanos}.
     * Safe from any thread; the benchmarks call it on the loop thread.
     *
     * @param task       runs once on the loop thread unless cancelled
     * @param delayNanos delay in nanoseconds, at least 0
     * @return the implementation's own handle, to pass to {@link #cancel(Object)}
     */
    Object schedule(Runnable task, long delayNanos);

    /**
     * Cancels a timer returned by {@link #schedule(Runnable, long)} of this loop; harmless if it ran.
     * Safe from any thread; the benchmarks call it on the loop thread.
     *
     * @param handle the value {@code schedule} returned
     */
    void cancel(Object handle);

    /**
     * B2's link: a task that, run on the loop thread, counts a link of {@code chain} and submits itself
     * again until the chain is done. Each implementation returns a class of its own whose resubmission
     * calls its loop directly: one task class shared by every contender of a JVM (InterleavedRatios)
     * would reach them through this interface, a megamorphic call that the JIT cannot inline and that
     * adds the same interface dispatch to every contender's link (BENCHMARKS.md, issue 9 B2).
     *
     * @param chain the count of links left and the signal of the last one
     * @return a task to hand to {@link #execute(Runnable)} for the first link
     */
    Runnable chainLink(Chain chain);

    /** Stops the loop and waits (up to 10 s) for its thread to end. Safe from any thread but the loop's. */
    @Override
    void close();
}
