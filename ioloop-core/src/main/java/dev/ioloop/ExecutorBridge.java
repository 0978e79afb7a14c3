package dev.ioloop;

import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;

import org.jspecify.annotations.Nullable;

/**
 * A loop's bridges to {@code java.util.concurrent} (Tornado's {@code run_in_executor} and
 * {@code set_default_executor}, plus scheduled-executor views): the default executor it creates on
 * first use, the {@code runInExecutor} results on their way back to the loop, and the views that
 * {@code close()} shuts down.
 *
 * <p>Safe from any thread.
 */
final class ExecutorBridge {

    private final IOLoop loop;
    // ordering: volatile so that runInExecutor reads the default without the lock once it exists;
    // both are written only under `this` (double-checked creation in defaultExecutor()).
    private volatile @Nullable ExecutorService ownedDefaultExecutor;
    private volatile @Nullable Executor defaultExecutor;
    /** The scheduled-executor views, weakly: close() shuts them down so their futures don't wait for ever. */
    private final Set<LoopScheduledExecutorService> views = Collections.newSetFromMap(new WeakHashMap<>());
    // ordering: see completeOnLoop; concurrent set, so executor threads and close() need no lock.
    private final Set<Runnable> pendingCompletions = ConcurrentHashMap.newKeySet();

    ExecutorBridge(IOLoop loop) {
        this.loop = loop;
    }

    <T> CompletableFuture<T> runInExecutor(@Nullable Executor executor, Callable<T> task) {
        Objects.requireNonNull(task, "task");
        CompletableFuture<T> future = new CompletableFuture<>();
        try {
            Executor target = executor != null ? executor : defaultExecutor();
            target.execute(() -> {
                T value = null;
                Throwable failure = null;
                try {
                    value = task.call();
                } catch (Throwable t) {
                    failure = t;
                }
                completeOnLoop(future, value, failure);
            });
        } catch (RejectedExecutionException e) {
            future.completeExceptionally(e);
        }
        return future;
    }

    void setDefaultExecutor(Executor executor) {
        Objects.requireNonNull(executor, "executor");
        ExecutorService owned;
        synchronized (this) {
            owned = ownedDefaultExecutor;
            ownedDefaultExecutor = null;
            defaultExecutor = executor;
        }
        if (owned != null && owned != executor) {
            owned.shutdown();
        }
    }

    ScheduledExecutorService newScheduledView() {
        LoopScheduledExecutorService view = new LoopScheduledExecutorService(loop);
        synchronized (views) {
            views.add(view);
        }
        return view;
    }

    /**
     * Once the loop is closed: completes runInExecutor futures whose callback was just dropped, shuts
     * the views down (their tasks can never run now) and the default executor this loop created.
     */
    void close() {
        for (Runnable complete : pendingCompletions) {
            pendingCompletions.remove(complete);
            complete.run();
        }
        List<LoopScheduledExecutorService> openViews;
        synchronized (views) {
            openViews = List.copyOf(views);
            views.clear();
        }
        openViews.forEach(LoopScheduledExecutorService::shutdownNow);
        ExecutorService owned;
        synchronized (this) { // against a first runInExecutor creating the default executor right now
            owned = ownedDefaultExecutor;
            ownedDefaultExecutor = null;
        }
        if (owned != null) {
            owned.shutdown();
        }
    }

    private Executor defaultExecutor() {
        Executor executor = defaultExecutor;
        if (executor != null) {
            return executor;
        }
        synchronized (this) {
            if (defaultExecutor == null) {
                if (loop.isClosed()) {
                    throw new RejectedExecutionException("IOLoop '" + loop.name() + "' is closed");
                }
                ExecutorService created = DefaultExecutor.create(loop.name());
                ownedDefaultExecutor = created;
                defaultExecutor = created;
            }
            return defaultExecutor;
        }
    }

    /**
     * Completes a runInExecutor future on the loop thread, or directly once the loop is closed: a
     * completion queued when close() drops the callbacks is completed by close() itself.
     */
    private <T> void completeOnLoop(CompletableFuture<T> future, @Nullable T value, @Nullable Throwable failure) {
        Runnable complete = () -> {
            if (failure == null) {
                future.complete(value);
            } else {
                future.completeExceptionally(failure);
            }
        };
        // ordering: add to the set (volatile writes inside the map), then read the state; close()
        // CASes the state, then scans the set. One of us sees the other, so the future is completed
        // here, by the loop, or by close() (twice is harmless: a CompletableFuture completes once).
        pendingCompletions.add(complete);
        if (loop.isClosed()) {
            pendingCompletions.remove(complete);
            complete.run(); // nobody will run the loop again: complete here rather than never
        } else {
            loop.addCallback(() -> {
                pendingCompletions.remove(complete);
                complete.run();
            });
        }
    }
}
