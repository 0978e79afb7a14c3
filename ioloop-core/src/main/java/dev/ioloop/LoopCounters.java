package dev.ioloop;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The cumulative counters behind {@link IOLoop#stats()}: plain fields, each with a single writer
 * (the loop thread, or for {@code blockedEvents} the watchdog thread), read racily by any thread.
 *
 * <p>ordering: the writer reads its own field plainly and writes it opaque (VarHandle setOpaque);
 * readers read opaque. Each value is read whole (no torn longs) and becomes visible promptly, with no
 * fence on the loop's hot path; no reader needs them ordered with anything else. (An opaque read by
 * the writer as well measured slower in the loop's most inlined code, B2 in BENCHMARKS.md.)
 */
final class LoopCounters {

    private static final VarHandle CALLBACKS_RUN;
    private static final VarHandle CALLBACK_ERRORS;
    private static final VarHandle ITERATIONS;
    private static final VarHandle BUSY_NANOS;
    private static final VarHandle IDLE_NANOS;
    private static final VarHandle BLOCKED_EVENTS;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            CALLBACKS_RUN = lookup.findVarHandle(LoopCounters.class, "callbacksRun", long.class);
            CALLBACK_ERRORS = lookup.findVarHandle(LoopCounters.class, "callbackErrors", long.class);
            ITERATIONS = lookup.findVarHandle(LoopCounters.class, "iterations", long.class);
            BUSY_NANOS = lookup.findVarHandle(LoopCounters.class, "busyNanos", long.class);
            IDLE_NANOS = lookup.findVarHandle(LoopCounters.class, "idleNanos", long.class);
            BLOCKED_EVENTS = lookup.findVarHandle(LoopCounters.class, "blockedEvents", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    @SuppressWarnings("unused") private long callbacksRun;
    @SuppressWarnings("unused") private long callbackErrors;
    @SuppressWarnings("unused") private long iterations;
    @SuppressWarnings("unused") private long busyNanos;
    @SuppressWarnings("unused") private long idleNanos;
    @SuppressWarnings("unused") private long blockedEvents;

    /** Loop thread only. */
    void addCallbacksRun(long n) {
        CALLBACKS_RUN.setOpaque(this, callbacksRun + n);
    }

    /** Loop thread only. */
    void incrementCallbackErrors() {
        CALLBACK_ERRORS.setOpaque(this, callbackErrors + 1);
    }

    /** Loop thread only. */
    void incrementIterations() {
        ITERATIONS.setOpaque(this, iterations + 1);
    }

    /** Loop thread only. */
    void addBusyNanos(long n) {
        // ordering: release, so a reader whose acquire read sees the stretch added also sees the wait the
        // loop announced before adding it (IterationStamps#busyNanos relies on this).
        BUSY_NANOS.setRelease(this, busyNanos + n);
    }

    /** Loop thread only. */
    void addIdleNanos(long n) {
        IDLE_NANOS.setOpaque(this, idleNanos + n);
    }

    /** Watchdog thread only. */
    void incrementBlockedEvents() {
        BLOCKED_EVENTS.setOpaque(this, blockedEvents + 1);
    }

    long callbacksRun() {
        return (long) CALLBACKS_RUN.getOpaque(this);
    }

    long callbackErrors() {
        return (long) CALLBACK_ERRORS.getOpaque(this);
    }

    long iterations() {
        return (long) ITERATIONS.getOpaque(this);
    }

    /** Loop thread only: the writer reads its own field plainly (see the class comment). */
    long iterationsOnLoopThread() {
        return iterations;
    }

    long busyNanos() {
        return (long) BUSY_NANOS.getAcquire(this); // ordering: pairs with addBusyNanos's release
    }

    long idleNanos() {
        return (long) IDLE_NANOS.getOpaque(this);
    }

    long blockedEvents() {
        return (long) BLOCKED_EVENTS.getOpaque(this);
    }
}
