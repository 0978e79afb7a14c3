package dev.ioloop;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Decides when another thread must wake the loop: only while the loop is waiting (or about to) in
 * its backend, and then exactly once per wait (Netty's "selecting" flag, with a third state so that
 * one waker pays for {@link IOLoopBackend#wakeup()} and the others pay one volatile read).
 * <pre>
 *   loop:      state = WAITING  (full fence)      waker:  enqueue work  (full fence)
 *              if (work queued) don't block                if (state == WAITING
 *              backend.await(timeout)                          &amp;&amp; CAS(WAITING, WOKEN)) backend.wakeup()
 *              stamp the iteration; state = AWAKE (release)
 * </pre>
 * Interleavings: (a) the waker's enqueue precedes the loop's check: the loop does not block; (b) the
 * loop's store precedes the waker's read: the waker wakes the backend, whose wake-up is never lost
 * even when it lands before the backend blocks; (c) both: the loop does not block, and the spurious
 * wake-up only shortens a later wait. Both sides store then load with full fences, so "neither sees
 * the other" cannot happen. "Work" is a callback in the shared queue, a stop request, a channel
 * registered from another thread, or a close of a driven loop.
 *
 * <p>The same word tells the loop that something happened during a burst (iterations that only run
 * the loop thread's own callbacks, see LoopRunner#runBurst): the loop stores BURST (full fence) and
 * then looks at every other source once; a waker that reads BURST after its enqueue sets it back to
 * AWAKE, which ends the burst at the next iteration. A timeout the loop thread schedules during a
 * burst ends it the same way ({@link #endBurst()}). So one volatile read per iteration replaces a
 * look at every source, and a waker pays one CAS per burst at most.
 *
 * <p>The watchdog and {@code stats()} read {@link #isWaiting()} to tell an idle loop from a busy one.
 *
 * <p>Loop thread only, except {@link #wakeUpIfWaiting()}, {@link #isWaiting()} and {@link #wakeups()}.
 */
final class WakeupGate {

    private static final int AWAKE = 0;
    private static final int WAITING = 1;
    private static final int WOKEN = 2;
    private static final int BURST = 3;
    private static final VarHandle STATE;

    static {
        try {
            STATE = MethodHandles.lookup().findVarHandle(WakeupGate.class, "state", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final IOLoopBackend backend;
    // ordering: volatile, changed with plain volatile stores by the loop and CAS by wakers (STATE).
    private volatile int state = AWAKE;
    // ordering: counted only on the rare wake-up path; read by tests.
    private final AtomicLong wakeups = new AtomicLong();

    WakeupGate(IOLoopBackend backend) {
        this.backend = backend;
    }

    /**
     * Loop thread only: announces that the loop is about to wait. The caller must check for work after
     * this call and must not block if there is any.
     */
    void prepareToWait() {
        // ordering: volatile store (full fence): visible before the loop reads the queues and the
        // stop flag; pairs with the waker's enqueue-then-read in wakeUpIfWaiting.
        state = WAITING;
    }

    /** Loop thread only, after the wait and after the loop stamped its new iteration: leaves the waiting state. */
    void markAwake() {
        // ordering: release store after the loop stamped the new iteration (IterationStamps#begin); the
        // watchdog and stats() read this flag (acquire) before those stamps, so seeing AWAKE
        // guarantees they see the new iteration's start, never the stale one from before a long wait.
        STATE.setRelease(this, AWAKE);
    }

    /**
     * Loop thread only: starts a burst. The caller must then look at every other source of work once
     * and end the burst if there is any.
     */
    void enterBurst() {
        // ordering: volatile store (full fence) before the caller's reads of the other sources; pairs
        // with the waker's enqueue-then-read, as prepareToWait.
        state = BURST;
    }

    /** Loop thread only: whether no other thread queued work (or stopped the loop) since the burst began. */
    boolean inBurst() {
        // ordering: volatile read; a waker that enqueued work has set AWAKE before it returned.
        return state == BURST;
    }

    /** Loop thread only, during an iteration: makes a burst in progress end after its current iteration. */
    void endBurst() {
        // ordering: volatile read, then a release store only in a burst; a waker's CAS from BURST may
        // race with it and fail harmlessly (both set AWAKE).
        if (state == BURST) {
            STATE.setRelease(this, AWAKE);
        }
    }

    /** Loop thread only: ends a burst. */
    void leaveBurst() {
        // ordering: release store; a waker that read BURST and CASes now fails harmlessly.
        STATE.setRelease(this, AWAKE);
    }

    /** Safe from any thread, after enqueueing work: wakes the backend if the loop waits, ends a burst. */
    void wakeUpIfWaiting() {
        // ordering: volatile read after the caller's full-fence enqueue (see the class comment); the
        // CAS makes exactly one waker pay for the backend's wake-up per wait.
        int current = state;
        if (current == WAITING) {
            if (STATE.compareAndSet(this, WAITING, WOKEN)) {
                wakeups.incrementAndGet();
                backend.wakeup();
            }
        } else if (current == BURST) {
            STATE.compareAndSet(this, BURST, AWAKE);
        }
    }

    /** Safe from any thread: whether the loop is waiting in its backend (or about to). */
    boolean isWaiting() {
        // ordering: volatile read (acquire), pairs with markAwake's release store.
        int current = state;
        return current == WAITING || current == WOKEN;
    }

    /** Safe from any thread: how many times {@link #wakeUpIfWaiting()} woke the backend. */
    long wakeups() {
        // ordering: volatile read of a counter nothing else is ordered with.
        return wakeups.get();
    }
}
