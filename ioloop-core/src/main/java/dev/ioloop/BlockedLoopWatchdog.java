package dev.ioloop;

import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One daemon thread, {@code ioloop-watchdog}, that checks every watched loop for an iteration
 * running longer than its threshold (as Vert.x's BlockedThreadChecker). The loop's only cost is
 * the per-iteration release store of its iteration start; time waiting in its backend never counts.
 *
 * <p>A loop whose backend shares its thread ({@link IOLoopBackend#sharesThread()}: a host's tasks, a
 * Netty event loop's own I/O) can be blocked while it waits, by work that is not its own. For such a
 * loop the watchdog also posts a {@link Heartbeat} whenever it finds the loop waiting, and reports the
 * loop blocked when the heartbeat has not run within the threshold. The selector backend runs nothing
 * but the loop on its thread: it gets no heartbeats, so its loop pays nothing for them.
 *
 * <p>Each blocked iteration is reported once when it passes the threshold, then again each time
 * its blocked time doubles (2×, 4×, 8× the threshold ...), so a loop stuck for minutes logs a
 * handful of reports, not thousands. Reports run on the watchdog thread.
 *
 * <p>Safe from any thread.
 */
final class BlockedLoopWatchdog implements Runnable {

    static final BlockedLoopWatchdog INSTANCE = new BlockedLoopWatchdog();

    private static final Logger logger = LoggerFactory.getLogger(BlockedLoopWatchdog.class);
    private static final long MIN_CHECK_NANOS = TimeUnit.MILLISECONDS.toNanos(5);
    private static final long MAX_CHECK_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final CopyOnWriteArrayList<IOLoop> watched = new CopyOnWriteArrayList<>();
    private Thread thread; // guarded by this

    private BlockedLoopWatchdog() {
    }

    /** Starts watching a loop (idempotent); its threshold is read at every check. */
    synchronized void watch(IOLoop loop) {
        watched.addIfAbsent(loop);
        if (thread == null) {
            thread = new Thread(this, "ioloop-watchdog");
            thread.setDaemon(true);
            thread.start();
        } else {
            LockSupport.unpark(thread); // a new, possibly shorter threshold: recompute the interval now
        }
    }

    /** Stops watching a loop. */
    void unwatch(IOLoop loop) {
        watched.remove(loop);
    }

    @Override
    public void run() {
        while (true) {
            long interval = MAX_CHECK_NANOS;
            for (IOLoop loop : watched) {
                if (loop.isClosed()) {
                    unwatch(loop); // closed without clearing its threshold (a host that ended, say)
                    continue;
                }
                long threshold = loop.blockingThresholdNanos();
                if (threshold > 0) {
                    interval = Math.min(interval, Math.max(MIN_CHECK_NANOS, threshold / 4));
                    check(loop, threshold);
                }
            }
            if (watched.isEmpty()) {
                LockSupport.park(this);
            } else {
                LockSupport.parkNanos(this, interval);
            }
        }
    }

    private static void check(IOLoop loop, long threshold) {
        IterationProbe probe = loop.iterationProbe();
        if (probe != null) {
            report(loop, threshold, probe.iteration(), probe.blockedNanos(), probe.thread());
            return;
        }
        Heartbeat heartbeat = loop.heartbeat();
        if (heartbeat == null) {
            return; // idle in its backend, or not running
        }
        Thread thread = loop.thread();
        long blocked = heartbeat.check(loop, thread);
        if (thread != null && blocked > 0) {
            // heartbeat episodes are numbered from 1 and keyed below 0, apart from iteration numbers
            report(loop, threshold, -heartbeat.episode(), blocked, thread);
        }
    }

    /**
     * Reports one blocked episode (an iteration, or a heartbeat's wait) once when it passes the
     * threshold, then each time its blocked time doubles.
     */
    private static void report(IOLoop loop, long threshold, long episode, long blocked, Thread thread) {
        if (blocked < threshold) {
            return;
        }
        BlockedState state = loop.blockedState();
        if (state.episode != episode) {
            state.episode = episode;
            state.nextReportNanos = threshold;
        }
        if (blocked >= state.nextReportNanos) {
            state.nextReportNanos = Math.max(blocked, state.nextReportNanos) * 2;
            try {
                loop.reportBlocked(thread, blocked);
            } catch (RuntimeException e) {
                logger.warn("blocked-loop action of IOLoop '{}' failed", loop.name(), e);
            }
        }
    }

    /** Per-loop report bookkeeping; written only by the watchdog thread. */
    static final class BlockedState {
        long episode = Long.MIN_VALUE;
        long nextReportNanos;
    }
}
