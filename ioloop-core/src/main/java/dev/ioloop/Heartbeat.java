package dev.ioloop;

import org.jspecify.annotations.Nullable;

/**
 * The watchdog's probe of a loop whose thread also runs work that is not the loop's
 * ({@link IOLoopBackend#sharesThread()}: a host's tasks, a Netty event loop's own I/O and tasks). That
 * work runs while the loop waits, where the iteration stamps cannot see it, so the watchdog posts this
 * task to the loop and times how long it waits to run (Vert.x's BlockedThreadChecker times a task from
 * its start; we cannot see a host task start, so we time ours from its posting). A heartbeat still
 * queued after the threshold means the loop thread has not got to the loop's work for that long: it is
 * busy with something else, and its stack says with what.
 *
 * <p>What is timed is how long the loop thread has been unresponsive to the loop: from the posting, or
 * from the watchdog's first sight of a later iteration while the heartbeat is still queued (an
 * iteration the loop ran since shows the thread was not stuck before it). It includes the time the
 * thread spent on the host's other tasks queued before the heartbeat. It is timed on
 * {@link System#nanoTime()}, not the loop's clock: a fake clock moves the loop's timeouts, not the
 * host's thread.
 *
 * <p>Threading: {@link #check} is the watchdog thread's; {@link #run()} runs on the loop thread;
 * {@link #blockedNanos} is safe from any thread.
 */
final class Heartbeat implements Runnable {

    /** When the timing began and at which iteration count; immutable, so readers never see a torn pair. */
    private record Timing(long since, long iterations, long episode) {
    }

    // ordering: volatile; set by the watchdog before it posts the heartbeat (so the loop thread's clear,
    // which happens after the post, is never overwritten by it), cleared by the loop thread when it runs.
    private volatile boolean pending;
    // ordering: volatile reference to an immutable Timing, written by the watchdog thread only and read
    // by stats() on any thread: a reader sees one whole timing or the one before it.
    private volatile @Nullable Timing timing;
    // Watchdog thread only: timings begun so far (each one is a separate blocked episode).
    private long episodes;

    /** Loop thread: the heartbeat got its turn. */
    @Override
    public void run() {
        pending = false;
    }

    /**
     * Watchdog thread: posts a heartbeat if none is queued, or returns how long the queued one has
     * waited.
     *
     * @param loop the watched loop
     * @param thread the loop thread, or null if the loop does not run (nothing is timed then)
     * @return nanoseconds the loop thread has been unresponsive, 0 if not known to be
     */
    long check(IOLoop loop, @Nullable Thread thread) {
        if (thread == null) {
            timing = null; // a stopped loop is not blocked; time afresh once it runs again
            return 0;
        }
        long now = System.nanoTime();
        long iterations = loop.iterations();
        if (!pending) {
            timing = new Timing(now, iterations, ++episodes);
            pending = true;
            if (!loop.offerHeartbeat(this)) {
                pending = false; // closed: nothing will run it
            }
            return 0;
        }
        Timing current = timing;
        if (current == null || current.iterations() != iterations) {
            timing = new Timing(now, iterations, ++episodes); // the loop ran an iteration since: not stuck before now
            return 0;
        }
        return now - current.since();
    }

    /** Watchdog thread: the episode the last {@link #check} timed, so each is reported on its own schedule. */
    long episode() {
        Timing current = timing;
        return current == null ? 0 : current.episode();
    }

    /**
     * How long the loop thread has been unresponsive, as far as the queued heartbeat shows: 0 if none is
     * queued, the loop does not run, or it ran an iteration since the watchdog last looked. Safe from
     * any thread.
     *
     * @param loop the watched loop
     * @return nanoseconds, at least 0
     */
    long blockedNanos(IOLoop loop) {
        // ordering: volatile reads: pending, then the timing, then the loop's iteration count (opaque);
        // a timing from before the last iteration the loop ran is ignored, so a stale one never counts.
        if (!pending || loop.thread() == null) {
            return 0;
        }
        Timing current = timing;
        if (current == null || current.iterations() != loop.iterations()) {
            return 0;
        }
        return Math.max(0, System.nanoTime() - current.since());
    }
}
