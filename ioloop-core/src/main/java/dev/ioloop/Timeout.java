package dev.ioloop;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A handle to a callback scheduled with {@link IOLoop#addTimeout}, {@link IOLoop#callAt} or
 * {@link IOLoop#callLater}; pass it to {@link IOLoop#removeTimeout} (or call {@link #cancel()}) to
 * cancel the callback.
 *
 * <p>Safe from any thread. A timeout fires at most once; cancelling after it fired, or twice, does
 * nothing.
 */
public final class Timeout {

    private static final int PENDING = 0;
    private static final int FIRED = 1;
    private static final int CANCELLED = 2;
    private static final VarHandle STATE;

    static {
        try {
            STATE = MethodHandles.lookup().findVarHandle(Timeout.class, "state", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final IOLoop loop;
    private final long deadlineNanos;
    private Runnable callback;
    /** Loop thread only: the order of equal deadlines, assigned when the timeout enters the heap. */
    long sequence;
    /** Loop thread only: the position in the heap, or -1 when not in it. */
    int heapIndex = -1;
    @SuppressWarnings("unused") // accessed through STATE
    private volatile int state;

    Timeout(IOLoop loop, long deadlineNanos, Runnable callback) {
        this.loop = loop;
        this.deadlineNanos = deadlineNanos;
        this.callback = callback;
    }

    /**
     * Returns when this timeout is (or was) due.
     *
     * @return the deadline in seconds, on the scale of {@link IOLoop#time()}
     */
    public double deadline() {
        return deadlineNanos / 1e9;
    }

    /**
     * Cancels this timeout, as {@code loop.removeTimeout(this)}. Safe from any thread.
     */
    public void cancel() {
        loop.removeTimeout(this);
    }

    /**
     * Returns whether this timeout was cancelled before it fired.
     *
     * @return true once {@link #cancel()} or {@link IOLoop#removeTimeout} took effect
     */
    public boolean isCancelled() {
        // ordering: volatile read; pairs with the CAS in markCancelled.
        return state == CANCELLED;
    }

    /**
     * Returns whether this timeout's callback has run (or is running).
     *
     * @return true once the loop claimed the timeout to run it
     */
    public boolean hasFired() {
        // ordering: volatile read; pairs with the CAS in markFired.
        return state == FIRED;
    }

    long deadlineNanos() {
        return deadlineNanos;
    }

    IOLoop loop() {
        return loop;
    }

    /** Claims the timeout for cancellation; false if it already fired or was cancelled. */
    boolean markCancelled() {
        // ordering: CAS, so that exactly one of markCancelled and markFired wins even when the
        // cancel comes from another thread while the loop is about to run the callback.
        return STATE.compareAndSet(this, PENDING, CANCELLED);
    }

    /** Loop thread only: claims the timeout to run it and returns its callback, or null if cancelled. */
    Runnable markFired() {
        // ordering: CAS against a concurrent markCancelled (see there).
        if (!STATE.compareAndSet(this, PENDING, FIRED)) {
            return null;
        }
        Runnable run = callback;
        callback = null; // let the callback be collected once it ran
        return run;
    }

    /** Loop thread only: releases the callback of a cancelled timeout. */
    void forgetCallback() {
        callback = null;
    }

    /** Loop thread only: heap order, earliest deadline first, then the order of insertion. */
    boolean isBefore(Timeout other) {
        if (deadlineNanos != other.deadlineNanos) {
            // ordering of values, not memory: a difference, as System.nanoTime values must be compared
            return deadlineNanos - other.deadlineNanos < 0;
        }
        return sequence < other.sequence;
    }

    @Override
    public String toString() {
        return "Timeout[deadline=" + deadline() + ", state=" + stateName() + "]";
    }

    private String stateName() {
        switch ((int) STATE.getVolatile(this)) {
            case PENDING: return "pending";
            case FIRED: return "fired";
            default: return "cancelled";
        }
    }
}
