package dev.ioloop;

import java.nio.channels.SelectableChannel;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import org.jspecify.annotations.Nullable;

/**
 * A loop's life: idle, running, closed; which thread runs it; and the release of everything it holds.
 *
 * <p>An owning backend's loop is idle until {@link #start()}, which runs it on the calling thread
 * until {@code stop()}, and may be started again; {@link #close(boolean)} needs it idle. A driven
 * backend's loop is running from construction: its host calls {@link #runOnce()}, and
 * {@link #close(boolean)} works from any thread — on the host thread outside an iteration it releases
 * at once; inside an iteration, when the iteration ends; on another thread it marks the loop closed
 * and wakes it, and the host's next {@code runOnce()} releases.
 *
 * <p>Safe from any thread, except {@link #runOnce()} (the host's).
 */
final class LoopLifecycle {

    private enum State { IDLE, RUNNING, CLOSED }

    private final IOLoop loop;
    private final LoopRunner runner;
    private final boolean owning;
    // ordering: one atomic holds the lifecycle so that start/close races resolve to one winner; it also
    // orders one loop thread's last iteration before the next one's first (start and stop on any thread).
    private final AtomicReference<State> state;
    // ordering: volatile, so that thread() and inLoopThread() on another thread never see a stale
    // owner. For a driven loop: stored before the state is re-read in runOnce, while close() CASes the
    // state before reading it (Dekker), so close() never releases under a running iteration.
    private volatile @Nullable Thread thread;
    // ordering: volatile, written by close() before its CAS of the state; read after seeing CLOSED.
    private volatile boolean closeAllFds;
    // ordering: CAS, so that exactly one thread releases.
    private final AtomicBoolean released = new AtomicBoolean();

    private static final int KEEP_OPEN = 0;
    private static final int CLOSE = 1;
    private static final int CLOSE_ALL_FDS = 2;
    /** What start() does as it returns: {@link #stopAndClose} asked to close the loop on its thread. */
    private volatile int closeWhenStopped = KEEP_OPEN;

    LoopLifecycle(IOLoop loop, LoopRunner runner) {
        this.loop = loop;
        this.runner = runner;
        this.owning = runner.backend().ownsThread();
        this.state = new AtomicReference<>(owning ? State.IDLE : State.RUNNING);
    }

    void start() {
        if (!owning) {
            throw new IllegalStateException(driven("start()"));
        }
        if (!state.compareAndSet(State.IDLE, State.RUNNING)) {
            Thread running = thread;
            throw state.get() == State.CLOSED
                    ? new IllegalStateException("IOLoop '" + loop.name() + "' is closed: create a new IOLoop")
                    : new IllegalStateException("IOLoop '" + loop.name() + "' is already running on thread "
                            + (running == null ? "(starting)" : running.getName())
                            + ": call stop() and let start() return first");
        }
        IOLoop previous = LoopRegistry.CURRENT.get();
        try {
            LoopRegistry.CURRENT.set(loop);
            thread = Thread.currentThread();
            runner.run();
        } finally {
            thread = null;
            restoreCurrent(previous);
            state.set(State.IDLE);
            int close = closeWhenStopped;
            if (close != KEEP_OPEN) {
                closeWhenStopped = KEEP_OPEN;
                close(close == CLOSE_ALL_FDS); // on the thread that ran the loop
            }
        }
    }

    void stop() {
        if (owning) {
            runner.requestStop();
        }
    }

    void stopAndClose(boolean allFds) {
        if (!owning) {
            close(allFds); // a driven loop closes from any thread (released by its host)
            return;
        }
        // ordering: volatile write before the stop request; start() reads it after its state turned IDLE. A loop
        // that is idle now is closed here; one whose start() is returning either sees the flag or is idle by the
        // time close() below looks (close() is idempotent, and refuses only a loop still running, which then sees it).
        closeWhenStopped = allFds ? CLOSE_ALL_FDS : CLOSE;
        runner.requestStop();
        if (state.get() == State.IDLE) {
            closeWhenStopped = KEEP_OPEN;
            try {
                close(allFds);
            } catch (IllegalStateException e) {
                // started meanwhile: it will see the flag set again below and close itself when it stops
                closeWhenStopped = allFds ? CLOSE_ALL_FDS : CLOSE;
            }
        }
    }

    /** For runSync: refuses a driven loop before anything is queued on it. */
    void checkCanRunSync() {
        if (!owning) {
            throw new IllegalStateException(driven("runSync()"));
        }
    }

    boolean isRunning() {
        return state.get() == State.RUNNING;
    }

    boolean isClosed() {
        return state.get() == State.CLOSED;
    }

    @Nullable Thread thread() {
        return thread;
    }

    void close(boolean allFds) {
        if (owning) {
            if (!state.compareAndSet(State.IDLE, State.CLOSED)) {
                if (state.get() == State.CLOSED) {
                    return;
                }
                throw new IllegalStateException("IOLoop '" + loop.name() + "' is running: call stop() and let start()"
                        + " return before close()");
            }
            release(allFds);
            return;
        }
        closeAllFds = allFds;
        if (!state.compareAndSet(State.RUNNING, State.CLOSED)) {
            return; // closed already
        }
        if (runner.inIteration()) {
            return; // runOnce releases when this iteration ends
        }
        // ordering: volatile read after the CAS (see `thread`).
        Thread host = thread;
        if (host == null || host == Thread.currentThread()) {
            release(allFds); // never ran, or on the host between iterations: nothing runs concurrently
        } else {
            runner.wakeUp(); // the host's next runOnce releases
        }
    }

    /** Driven loops, on the host thread: one iteration, as {@link IOLoopBackend.Context#runOnce()}. */
    void runOnce() {
        if (owning) {
            throw new IllegalStateException("IOLoop '" + loop.name() + "' runs in start() on its backend's thread ("
                    + runner.backend().name() + "): runOnce() is for backends that do not own their thread");
        }
        if (state.get() != State.CLOSED) {
            Thread self = Thread.currentThread();
            if (thread != self) {
                thread = self; // ordering: volatile store before the state re-read below (see `thread`)
            }
            if (state.get() != State.CLOSED) {
                iterateAsCurrent();
            }
        }
        if (state.get() == State.CLOSED) {
            release(closeAllFds);
        }
    }

    private void iterateAsCurrent() {
        IOLoop previous = LoopRegistry.CURRENT.get();
        LoopRegistry.CURRENT.set(loop);
        try {
            runner.runDriven();
        } finally {
            restoreCurrent(previous);
        }
    }

    /** Releases handlers, callbacks, timeouts, executors and the backend, once. */
    private void release(boolean allFds) {
        if (!released.compareAndSet(false, true)) {
            return;
        }
        BlockedLoopWatchdog.INSTANCE.unwatch(loop);
        List<SelectableChannel> channels = runner.release();
        if (allFds) {
            channels.forEach(IOLoop::closeFd);
        }
        loop.executors().close();
        runner.backend().close();
        thread = null;
        if (LoopRegistry.CURRENT.get() == loop) {
            LoopRegistry.CURRENT.remove();
        }
        LoopRegistry.INSTANCE.compareAndSet(loop, null);
    }

    private String driven(String method) {
        return "IOLoop '" + loop.name() + "' is driven by its backend (" + runner.backend().name()
                + ") on that backend's own thread, from creation until close(): " + method + " is not available";
    }

    private static void restoreCurrent(@Nullable IOLoop previous) {
        if (previous == null) {
            LoopRegistry.CURRENT.remove();
        } else {
            LoopRegistry.CURRENT.set(previous);
        }
    }
}
