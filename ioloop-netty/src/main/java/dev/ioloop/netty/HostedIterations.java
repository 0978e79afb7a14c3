package dev.ioloop.netty;

import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.ioloop.IOLoopBackend;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;
import org.jspecify.annotations.Nullable;

/**
 * The iterations of an IOLoop attached to someone else's running event loop (the host): each one is a
 * host task calling {@link IOLoopBackend.Context#runOnce()}. Where an owning backend would block,
 * this arranges the next iteration and returns: {@link #poll()} and {@link #wakeup()} queue one task
 * (at most one is pending), {@link #await(long)} schedules one for the timeout (at most one timer,
 * moved only when an earlier deadline comes). An extra iteration is harmless: it finds nothing to do.
 *
 * <p>A host that refuses tasks is shutting down; the IOLoop is closed when it terminates (see
 * {@link AttachedLoops}), so a refusal is not an error here.
 *
 * <p>Threading: {@link #wakeup()} and {@link #readinessReported()} are safe from any thread;
 * {@link #poll()}, {@link #await(long)} and {@link #close()} run on the host thread.
 */
final class HostedIterations implements EventLoopDriver {

    private final EventLoop host;
    private final IOLoopBackend.Context context;
    private final Runnable soonTask = this::runSoon;
    private final Runnable timerTask = this::runTimer;
    // ordering: CAS; true while a soon-task is queued on the host. Cleared before the iteration runs,
    // so a wake-up during it queues another rather than being lost.
    private final AtomicBoolean soonPending = new AtomicBoolean();
    // Host thread only: the pending timer and its deadline (System.nanoTime()).
    private @Nullable ScheduledFuture<?> timer;
    private long timerDeadline;

    HostedIterations(EventLoop host, IOLoopBackend.Context context) {
        this.host = host;
        this.context = context;
    }

    @Override
    public EventLoop eventLoop() {
        return host;
    }

    @Override
    public boolean ownsThread() {
        return false;
    }

    /** Never: a driven loop runs no bursts, its host runs one iteration per task. */
    @Override
    public boolean idle() {
        return false;
    }

    @Override
    public void poll() {
        runSoonOnHost();
    }

    @Override
    public void await(long timeoutNanos) {
        if (timeoutNanos == IOLoopBackend.FOREVER) {
            cancelTimer(); // woken by wakeup() or reported readiness only
            return;
        }
        long deadline = System.nanoTime() + timeoutNanos;
        if (timer != null && timerDeadline - deadline <= 0) {
            return; // the pending timer fires first; the iteration it runs arranges the next
        }
        cancelTimer();
        try {
            timer = host.schedule(timerTask, timeoutNanos, TimeUnit.NANOSECONDS);
            timerDeadline = deadline;
        } catch (RejectedExecutionException e) {
            // the host is shutting down
        }
    }

    @Override
    public void wakeup() {
        runSoonOnHost();
    }

    @Override
    public void readinessReported() {
        runSoonOnHost();
    }

    @Override
    public void close() {
        cancelTimer();
    }

    private void runSoonOnHost() {
        // ordering: CAS so that one task is queued per iteration, however many threads wake the loop.
        if (soonPending.compareAndSet(false, true)) {
            try {
                host.execute(soonTask);
            } catch (RejectedExecutionException e) {
                soonPending.set(false); // the host is shutting down; its termination closes the loop
            }
        }
    }

    private void runSoon() {
        soonPending.set(false); // ordering: volatile store before the iteration (see the field)
        context.runOnce();
    }

    private void runTimer() {
        timer = null;
        context.runOnce();
    }

    private void cancelTimer() {
        ScheduledFuture<?> pending = timer;
        if (pending != null) {
            timer = null;
            pending.cancel(false);
        }
    }
}
