package dev.ioloop;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Delayed;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.RunnableFuture;
import java.util.concurrent.RunnableScheduledFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

import org.jspecify.annotations.Nullable;

/**
 * {@link IOLoop#asScheduledExecutorService()}: a {@link ScheduledExecutorService} whose tasks run on
 * the loop thread. Delays are loop timeouts; cancelling a future removes its timeout.
 *
 * <p>Differences from {@link java.util.concurrent.ScheduledThreadPoolExecutor}, on purpose:
 * fixed-rate tasks keep the {@link PeriodicCallback} grid, skipping missed runs instead of running
 * them back to back; {@code execute} runs the command directly on the loop, so its exceptions reach
 * {@link IOLoop#handleCallbackException} instead of vanishing in a future. As that pool by default,
 * shutdown cancels periodic tasks and lets delayed one-shot tasks run.
 *
 * <p>Safe from any thread, but never block on this view's futures on the loop thread (the loop
 * would wait for itself): {@code invokeAll}/{@code invokeAny} there throw IllegalStateException.
 */
final class LoopScheduledExecutorService extends AbstractExecutorService implements ScheduledExecutorService {

    private final IOLoop loop;
    private final Set<Object> active = ConcurrentHashMap.newKeySet();
    // ordering: volatile, checked before a task is accepted; a submit racing with shutdown may be
    // accepted or rejected, and an accepted one is tracked in `active` before it can run.
    private volatile boolean shutdown;

    LoopScheduledExecutorService(IOLoop loop) {
        this.loop = loop;
    }

    @Override
    public void execute(Runnable command) {
        Objects.requireNonNull(command, "command");
        checkAccepting();
        ExecuteTask task = new ExecuteTask(command);
        track(task);
        try {
            loop.execute(task);
        } catch (RejectedExecutionException e) {
            finished(task);
            throw e;
        }
    }

    @Override
    public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
        Objects.requireNonNull(command, "command");
        return arm(new Task<Void>(Executors.callable(command, null), triggerTime(delay, unit), 0));
    }

    @Override
    public <V> ScheduledFuture<V> schedule(Callable<V> callable, long delay, TimeUnit unit) {
        Objects.requireNonNull(callable, "callable");
        return arm(new Task<>(callable, triggerTime(delay, unit), 0));
    }

    @Override
    public ScheduledFuture<?> scheduleAtFixedRate(Runnable command, long initialDelay, long period, TimeUnit unit) {
        Objects.requireNonNull(command, "command");
        checkPeriod("period", period, unit);
        return arm(new Task<Void>(Executors.callable(command, null), triggerTime(initialDelay, unit),
                unit.toNanos(period)));
    }

    @Override
    public ScheduledFuture<?> scheduleWithFixedDelay(Runnable command, long initialDelay, long delay, TimeUnit unit) {
        Objects.requireNonNull(command, "command");
        checkPeriod("delay", delay, unit);
        return arm(new Task<Void>(Executors.callable(command, null), triggerTime(initialDelay, unit),
                -unit.toNanos(delay)));
    }

    @Override
    public void shutdown() {
        shutdown = true;
        for (Object task : active) {
            if (task instanceof Task && ((Task<?>) task).isPeriodic()) {
                ((Task<?>) task).cancel(false);
            }
        }
        signalIfTerminated();
    }

    @Override
    public List<Runnable> shutdownNow() {
        shutdown = true;
        List<Runnable> neverRun = new ArrayList<>();
        for (Object task : active) {
            if (task instanceof Task) {
                Task<?> scheduled = (Task<?>) task;
                if (scheduled.claimNeverStarted()) {
                    if (scheduled.cancel(false)) {
                        neverRun.add(scheduled);
                    }
                } else if (scheduled.isPeriodic()) {
                    scheduled.cancel(false); // it ran before: stop it, but it is not "never run"
                } // a one-shot task that started runs to its end, as on a pool thread
            } else if (((ExecuteTask) task).cancel()) {
                neverRun.add(((ExecuteTask) task).command);
            }
        }
        signalIfTerminated();
        return neverRun;
    }

    @Override
    public boolean isShutdown() {
        return shutdown;
    }

    @Override
    public boolean isTerminated() {
        return shutdown && active.isEmpty();
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
        long deadline = System.nanoTime() + unit.toNanos(timeout);
        synchronized (this) {
            while (!isTerminated()) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                TimeUnit.NANOSECONDS.timedWait(this, left);
            }
            return true;
        }
    }

    @Override
    public <T> List<Future<T>> invokeAll(Collection<? extends Callable<T>> tasks) throws InterruptedException {
        checkNotLoopThread("invokeAll");
        return super.invokeAll(tasks);
    }

    @Override
    public <T> List<Future<T>> invokeAll(Collection<? extends Callable<T>> tasks, long timeout, TimeUnit unit)
            throws InterruptedException {
        checkNotLoopThread("invokeAll");
        return super.invokeAll(tasks, timeout, unit);
    }

    @Override
    public <T> T invokeAny(Collection<? extends Callable<T>> tasks) throws InterruptedException, ExecutionException {
        checkNotLoopThread("invokeAny");
        return super.invokeAny(tasks);
    }

    @Override
    public <T> T invokeAny(Collection<? extends Callable<T>> tasks, long timeout, TimeUnit unit)
            throws InterruptedException, ExecutionException, TimeoutException {
        checkNotLoopThread("invokeAny");
        return super.invokeAny(tasks, timeout, unit);
    }

    /** The futures of submit/invokeAll/invokeAny: their cancel(true) must not interrupt the loop thread. */
    @Override
    protected <T> RunnableFuture<T> newTaskFor(Callable<T> callable) {
        return new LoopFutureTask<>(callable);
    }

    @Override
    protected <T> RunnableFuture<T> newTaskFor(Runnable runnable, T value) {
        return new LoopFutureTask<>(Executors.callable(runnable, value));
    }

    @Override
    public String toString() {
        return "ScheduledExecutorService view of " + loop + (shutdown ? " (shut down)" : "");
    }

    private <V> Task<V> arm(Task<V> task) {
        checkAccepting();
        if (loop.isClosed()) {
            throw new RejectedExecutionException(loop + " is closed");
        }
        track(task);
        task.armAt(task.triggerNanos);
        return task;
    }

    /** Tracks an accepted task, or undoes that and rejects it if shutdown() ran meanwhile. */
    private void track(Object task) {
        active.add(task);
        // ordering: add to `active` (volatile writes inside the map), then read `shutdown`; shutdown()
        // writes `shutdown`, then scans `active`. One of us sees the other, so a task racing with
        // shutdown() is either seen by its scan (a periodic one is cancelled) or rejected here; none
        // slips in unseen, which would leave a periodic task running after shutdown.
        if (shutdown) {
            finished(task);
            checkAccepting();
        }
    }

    private void finished(Object task) {
        active.remove(task);
        signalIfTerminated();
    }

    private void signalIfTerminated() {
        if (isTerminated()) {
            synchronized (this) {
                notifyAll();
            }
        }
    }

    private void checkAccepting() {
        if (shutdown) {
            throw new RejectedExecutionException("the ScheduledExecutorService view of " + loop + " is shut down");
        }
    }

    private void checkNotLoopThread(String method) {
        if (loop.inLoopThread()) {
            throw new IllegalStateException(method + " would block the loop thread waiting for tasks that need"
                    + " it: call it from another thread");
        }
    }

    private long triggerTime(long delay, TimeUnit unit) {
        Objects.requireNonNull(unit, "unit");
        return loop.clock().nanoTime() + Math.max(0, Math.min(unit.toNanos(delay), 1L << 62));
    }

    private static void checkPeriod(String name, long period, TimeUnit unit) {
        Objects.requireNonNull(unit, "unit");
        if (period <= 0) {
            throw new IllegalArgumentException("'" + name + "' must be positive (was " + period + " " + unit + ")");
        }
    }

    /**
     * A submitted task's future that never interrupts: the thread running it is the loop thread, and
     * an interrupt left on it would make every later select return at once (the loop would spin).
     */
    private static final class LoopFutureTask<V> extends FutureTask<V> {
        LoopFutureTask(Callable<V> callable) {
            super(callable);
        }

        @Override
        public boolean cancel(boolean mayInterruptIfRunning) {
            return super.cancel(false);
        }
    }

    /** A command passed to execute(): runs once unless shutdownNow claims it first. */
    private final class ExecuteTask implements Runnable {
        final Runnable command;
        // ordering: CAS decides between run() on the loop and cancel() from shutdownNow.
        private final AtomicBoolean claimed = new AtomicBoolean();

        ExecuteTask(Runnable command) {
            this.command = command;
        }

        boolean cancel() {
            if (claimed.compareAndSet(false, true)) {
                finished(this);
                return true;
            }
            return false;
        }

        @Override
        public void run() {
            if (!claimed.compareAndSet(false, true)) {
                return;
            }
            try {
                command.run();
            } finally {
                finished(this);
            }
        }

        @Override
        public String toString() {
            return command.toString();
        }
    }

    /** A scheduled task: one-shot (period 0), fixed-rate (period &gt; 0) or fixed-delay (period &lt; 0). */
    private final class Task<V> extends FutureTask<V> implements RunnableScheduledFuture<V> {
        final long triggerNanos;
        private final long period;
        // ordering: volatile, written on the loop thread when (re)armed, read by getDelay on any thread.
        private volatile long nextNanos;
        // ordering: volatile; armAt writes it, then reads the future's state (isCancelled); cancel()
        // writes that state (CAS), then reads this. One of them sees the other, so a timeout armed
        // while a cancel runs is always removed by one of the two.
        private volatile @Nullable Timeout timeout;
        // ordering: CAS decides between the first run on the loop and shutdownNow() reporting the
        // task as never started; later runs only read it.
        private final AtomicBoolean started = new AtomicBoolean();

        Task(Callable<V> callable, long triggerNanos, long period) {
            super(callable);
            this.triggerNanos = triggerNanos;
            this.nextNanos = triggerNanos;
            this.period = period;
        }

        void armAt(long deadlineNanos) {
            nextNanos = deadlineNanos;
            timeout = loop.schedule(deadlineNanos, this);
            if (isCancelled()) { // cancelled while arming: don't leave the timeout behind
                loop.removeTimeout(Objects.requireNonNull(timeout));
            }
        }

        @Override
        public void run() {
            if (isDone() || (!started.get() && !started.compareAndSet(false, true))) {
                return; // cancelled, or claimed by shutdownNow as never started
            }
            if (period == 0) {
                super.run();
                finished(this);
            } else if (super.runAndReset() && !shutdown) {
                long now = loop.clock().nanoTime();
                armAt(period > 0 ? PeriodicCallback.nextTimeout(nextNanos, now, period) : now - period);
            } else {
                cancel(false); // failed (the future holds the exception) or shut down
                finished(this);
            }
        }

        @Override
        public boolean cancel(boolean mayInterruptIfRunning) {
            // Never interrupt: the running thread is the loop thread.
            boolean cancelled = super.cancel(false);
            if (cancelled) {
                Timeout pending = timeout;
                if (pending != null) {
                    loop.removeTimeout(pending);
                }
                finished(this);
            }
            return cancelled;
        }

        /** Claims a task that never started running, for shutdownNow(); false once a run began. */
        boolean claimNeverStarted() {
            return started.compareAndSet(false, true);
        }

        @Override
        public boolean isPeriodic() {
            return period != 0;
        }

        @Override
        public long getDelay(TimeUnit unit) {
            return unit.convert(nextNanos - loop.clock().nanoTime(), TimeUnit.NANOSECONDS);
        }

        @Override
        public int compareTo(Delayed other) {
            if (other == this) {
                return 0;
            }
            return Long.compare(getDelay(TimeUnit.NANOSECONDS), other.getDelay(TimeUnit.NANOSECONDS));
        }
    }
}
