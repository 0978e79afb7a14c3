package dev.ioloop;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;

import org.jspecify.annotations.Nullable;

/**
 * One {@link IOLoop#runSync} call: runs the function on the loop, stops the loop when its stage
 * completes or the timeout passes, and turns the outcome into a return value or an exception.
 *
 * <p>{@link #begin} and {@link #timeOut} run on the loop thread; the stage may complete on any
 * thread; {@link #outcome} runs on the caller's thread after {@code start()} returned.
 */
final class SyncRun<T> {

    private final IOLoop loop;
    private final Callable<? extends CompletionStage<T>> func;
    private final Thread caller;
    // ordering: plain; written and read only on the caller's thread (begin and timeOut check the
    // thread before reading it).
    private boolean abandoned;
    private final CompletableFuture<T> result = new CompletableFuture<>();
    private @Nullable CompletionStage<T> stage;
    // ordering: written on the loop thread before stop(); read by the caller after start() returned,
    // which happens-after (start's return follows the loop thread's own writes: same thread).
    private boolean timedOut;

    SyncRun(IOLoop loop, Callable<? extends CompletionStage<T>> func, Thread caller) {
        this.loop = loop;
        this.func = func;
        this.caller = caller;
    }

    /** Caller's thread: start() was refused, so begin and timeOut must do nothing when they run. */
    void abandon() {
        abandoned = true;
    }

    /** Whether this run's loop runs on the thread that called runSync and start() was not refused. */
    private boolean onCaller() {
        return Thread.currentThread() == caller && !abandoned;
    }

    void begin() {
        if (!onCaller()) {
            return; // runSync's start() was refused: the loop runs elsewhere and is none of ours
        }
        CompletionStage<T> returned;
        try {
            returned = func.call();
        } catch (Throwable t) {
            result.completeExceptionally(t);
            loop.stop();
            return;
        }
        if (returned == null) {
            result.complete(null);
            loop.stop();
            return;
        }
        stage = returned;
        returned.whenComplete((value, failure) -> {
            if (failure == null) {
                result.complete(value);
            } else {
                result.completeExceptionally(failure);
            }
            loop.stop();
        });
    }

    void timeOut() {
        if (!onCaller() || result.isDone()) {
            return; // refused start(), or the stage completed earlier in this same iteration: not a timeout
        }
        timedOut = true;
        loop.stop();
        CompletionStage<T> running = stage;
        if (running != null) {
            try {
                running.toCompletableFuture().cancel(false);
            } catch (UnsupportedOperationException e) {
                // a stage that cannot be cancelled: runSync still returns
            }
        }
    }

    T outcome(@Nullable Duration timeout) {
        if (timedOut) {
            throw new CompletionException("IOLoop.runSync: operation timed out after " + timeout,
                    new TimeoutException("operation timed out after " + timeout));
        }
        if (!result.isDone()) {
            throw new IllegalStateException("IOLoop '" + loop.name() + "' stopped before the stage of runSync completed");
        }
        try {
            return result.get();
        } catch (ExecutionException e) {
            throw rethrowable(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private static RuntimeException rethrowable(Throwable failure) {
        Throwable cause = failure;
        while (cause instanceof CompletionException && cause.getCause() != null) {
            cause = cause.getCause();
        }
        if (cause instanceof RuntimeException) {
            return (RuntimeException) cause;
        }
        if (cause instanceof Error) {
            throw (Error) cause;
        }
        return new CompletionException(cause);
    }
}
