package dev.ioloop;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import org.jspecify.annotations.Nullable;

/**
 * When the loop's current iteration began and how long it has been busy, for the watchdog and
 * {@code stats()}: the loop thread stamps an iteration when it wakes from a wait (or starts), and any
 * thread can ask what the loop is doing now without touching the loop thread.
 *
 * <p>An iteration that began after a wait has an exact start. One that began without waiting
 * (callbacks were queued: no clock read on that path, which keeps a callback chain cheap) is timed
 * from when a reader first saw its number, so a reported blocked time is never more than the truth.
 *
 * <p>The wait in progress is kept here too: the loop thread writes these fields at every wait, and no
 * other thread reads this object on its hot path (see LoopRunner's fields).
 *
 * <p>{@link #begin}, {@link #awakeSince()} and the wait methods are loop thread only; the rest is safe
 * from any thread.
 */
final class IterationStamps {

    private static final VarHandle ITERATION_START;
    private static final VarHandle AWAKE_SINCE;
    private static final VarHandle STAMPED_ITERATION;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            ITERATION_START = lookup.findVarHandle(IterationStamps.class, "iterationStart", long.class);
            AWAKE_SINCE = lookup.findVarHandle(IterationStamps.class, "awakeSince", long.class);
            STAMPED_ITERATION = lookup.findVarHandle(IterationStamps.class, "stampedIteration", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final LoopClock clock;
    private final LoopCounters counters;
    // ordering: written with release stores by the loop thread when it wakes from a wait (or starts),
    // read with acquire loads after WakeupGate#isWaiting, so a reader never pairs a stale start with
    // an awake loop.
    @SuppressWarnings("unused") private long iterationStart;   // through ITERATION_START only
    @SuppressWarnings("unused") private long stampedIteration; // through STAMPED_ITERATION only
    @SuppressWarnings("unused") private long awakeSince;       // through AWAKE_SINCE only
    // ordering: read, then CAS by any reader (see firstSighting), so that all readers of one
    // unstamped iteration agree on when it was first seen; the loop thread never touches it.
    private final AtomicReference<@Nullable Sighting> sighting = new AtomicReference<>();
    // ordering: see busyNanos; the highest busy time any snapshot reported.
    private final AtomicLong busyReported = new AtomicLong();
    // Loop thread only: the wait in progress (a driven loop's lasts from one runOnce to the next).
    private boolean waitPending;
    private long waitStart;
    // Loop thread only, plain: the iteration's time (see iterationNanos) and the iteration it belongs to.
    private long timeOfIteration = -1;
    private long iterationTime;

    IterationStamps(LoopClock clock, LoopCounters counters) {
        this.clock = clock;
        this.counters = counters;
    }

    /**
     * Loop thread only: starts an iteration whose start is known (the loop woke from a wait, or is
     * starting), before the gate's release store of AWAKE.
     */
    void begin(long now) {
        // ordering: release stores, in this order, all before WakeupGate#markAwake's release store: a
        // reader that sees the counter (opaque) equal to the stamped iteration (acquire) also sees this
        // iteration's start, or a later one (which only shortens what it reports).
        long iteration = counters.iterationsOnLoopThread() + 1;
        AWAKE_SINCE.setRelease(this, now);
        ITERATION_START.setRelease(this, now);
        STAMPED_ITERATION.setRelease(this, iteration);
        counters.incrementIterations();
        timeOfIteration = iteration; // loop thread only: plain
        iterationTime = now;
    }

    /**
     * Loop thread only: the current iteration's time: its start when it began with a stamp ({@link #begin}),
     * else the first reading taken in it (by this method or {@link #recordIterationTime}), taken now if none was.
     * The same value for every call in one iteration; never later than the clock.
     */
    long iterationNanos() {
        long iteration = counters.iterationsOnLoopThread();
        if (iteration != timeOfIteration) { // an iteration that began without waiting (or a burst's): read once
            iterationTime = clock.nanoTime();
            timeOfIteration = iteration;
        }
        return iterationTime;
    }

    /**
     * Loop thread only: offers a reading taken during the current iteration as its time; kept only if the
     * iteration has none yet, so that {@link #iterationNanos()} never changes within an iteration.
     */
    void recordIterationTime(long now) {
        long iteration = counters.iterationsOnLoopThread();
        if (iteration != timeOfIteration) {
            iterationTime = now;
            timeOfIteration = iteration;
        }
    }

    /** Loop thread only: a wait began at {@code now} (clock nanoseconds). */
    void waitBegan(long now) {
        waitPending = true;
        waitStart = now;
    }

    /** Loop thread only: the wait in progress ended; returns when it began. */
    long waitEnded() {
        waitPending = false;
        return waitStart;
    }

    /** Loop thread only: whether a wait began and has not ended. */
    boolean waitPending() {
        return waitPending;
    }

    /** Loop thread only: when the loop last woke (or started); the start of its current busy stretch. */
    long awakeSince() {
        return (long) AWAKE_SINCE.getAcquire(this);
    }

    /**
     * What the loop thread is doing now, or null if it is waiting or not running.
     *
     * @param running the loop thread, or null
     * @param gate the loop's gate
     */
    @Nullable IterationProbe probe(@Nullable Thread running, WakeupGate gate) {
        // ordering: acquire read of the waiting flag first, then of the iteration fields (see begin).
        if (running == null || gate.isWaiting()) {
            return null;
        }
        long now = clock.nanoTime();
        long iteration = counters.iterations();
        // ordering: volatile re-read of the waiting flag after the clock: a reader held between the
        // first check and the clock reading (preempted) while the loop went idle would otherwise
        // report the idle time as blocked. Still awake in the same iteration: `now` fell within it.
        if (gate.isWaiting() || counters.iterations() != iteration) {
            return null;
        }
        long start = (long) STAMPED_ITERATION.getAcquire(this) == iteration
                ? (long) ITERATION_START.getAcquire(this)
                : firstSighting(iteration, now);
        return new IterationProbe(running, iteration, Math.max(0, now - start));
    }

    /**
     * The loop's busy time so far, including the stretch it is in now. A later call never returns less
     * than an earlier one, whichever threads made them.
     *
     * @param awake whether the loop is running and not waiting (a probe was not null)
     * @param gate the loop's gate, re-read after the busy counter
     */
    long busyNanos(long now, boolean awake, WakeupGate gate) {
        long busy = counters.busyNanos();
        // ordering: the loop announces its wait (the gate's volatile store) before it adds the stretch's busy
        // time (release). `awake` was decided before the counter was read, so the loop may have added the stretch
        // in between; re-reading the gate after the counter's acquire read tells: a reader that saw the stretch
        // added sees the wait announced (or a later wake, whose start it then reads below), so the stretch is
        // never counted twice. Counting it twice once made a snapshot run ahead, and the max below then held
        // every later snapshot back until the real time caught up.
        if (awake && !gate.isWaiting()) {
            busy += Math.max(0, now - (long) AWAKE_SINCE.getAcquire(this));
        }
        // ordering: CAS loop (accumulateAndGet) so that concurrent readers never report less than
        // any earlier snapshot: the loop announces its wait before it adds the stretch's busy time,
        // so a reader in between sees neither the awake time nor the added one.
        return busyReported.accumulateAndGet(busy, Math::max);
    }

    /** When any reader first saw this (unstamped) iteration running. Safe from any thread. */
    private long firstSighting(long iteration, long now) {
        Sighting seen = sighting.get();
        if (seen != null && seen.iteration() == iteration) {
            return seen.at();
        }
        // ordering: CAS so that concurrent readers (watchdog, meters, health) agree on one first sighting.
        if (sighting.compareAndSet(seen, new Sighting(iteration, now))) {
            return now;
        }
        Sighting winner = sighting.get();
        return winner != null && winner.iteration() == iteration ? winner.at() : now;
    }

    /** An iteration number and when a reader first saw it. */
    private record Sighting(long iteration, long at) {
    }
}
