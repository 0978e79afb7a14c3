package dev.ioloop.benchmarks.loop;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * A one-waiter, reusable "done" flag: the benchmark thread {@linkplain #arm() arms} it, hands work
 * to a loop, and {@linkplain #await() parks} until the loop thread {@linkplain #fire() fires} it.
 *
 * <p>Parking instead of spinning keeps a 2-core machine's second core for the loop; every
 * implementation pays the same unpark per signal.
 */
public final class Signal {

    private static final long TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(60);

    private volatile boolean done;
    private volatile Thread waiter;

    /** Makes the calling thread the waiter and clears the flag. Waiter thread only, before handing off work. */
    public void arm() {
        // ordering: volatile writes; the hand-off of the work to the loop (a queue) publishes them.
        waiter = Thread.currentThread();
        done = false;
    }

    /** Sets the flag and wakes the waiter. Called once per {@link #arm()}, from any thread. */
    public void fire() {
        // ordering: volatile write of done before reading waiter, so a waiter that re-checks after
        // park sees it; unpark before park is remembered by LockSupport.
        done = true;
        LockSupport.unpark(waiter);
    }

    /**
     * Parks until {@link #fire()} ran. Waiter thread only.
     *
     * @throws IllegalStateException if it does not fire within 60 s (a lost task: the benchmark is broken)
     */
    public void await() {
        long deadline = System.nanoTime() + TIMEOUT_NANOS;
        // ordering: volatile read pairs with fire()'s write; everything the loop did before fire() is visible.
        while (!done) {
            LockSupport.parkNanos(this, TimeUnit.MILLISECONDS.toNanos(100));
            if (System.nanoTime() - deadline > 0) {
                throw new IllegalStateException("the loop did not signal completion within 60 s");
            }
        }
    }
}
