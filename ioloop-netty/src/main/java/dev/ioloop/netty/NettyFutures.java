package dev.ioloop.netty;

import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;

/**
 * Converts between Netty's futures and Java's: Tornado's {@code to_tornado_future} and
 * {@code to_asyncio_future}. Both directions carry a value, a failure and a cancellation, and
 * cancelling the returned future cancels the one it was made from (as asyncio's {@code wrap_future}
 * does).
 *
 * <pre>{@code
 * CompletableFuture<Void> bound = NettyFutures.toCompletableFuture(bootstrap.bind(0));
 * loop.addFuture(bound, done -> log.info("listening"));          // continue on the IOLoop's thread
 *
 * Future<String> forNetty = NettyFutures.toNettyFuture(stage, channel.eventLoop());
 * forNetty.addListener(f -> channel.writeAndFlush(f.getNow()));  // listener on the channel's event loop
 * }</pre>
 *
 * <p>Safe from any thread.
 */
public final class NettyFutures {

    private NettyFutures() {
    }

    /**
     * Returns a {@link CompletableFuture} that completes when {@code future} does: with its value, its
     * failure (the cause itself), or cancelled when it was cancelled. A future done already converts at
     * once; otherwise the thread that notifies the Netty future's listeners (its executor's) completes it.
     * Cancelling the returned future cancels {@code future} ({@code cancel(false)}).
     *
     * @param future a Netty future, done or not
     * @param <T> the value's type
     * @return a new CompletableFuture
     */
    public static <T> CompletableFuture<T> toCompletableFuture(Future<T> future) {
        Objects.requireNonNull(future, "future");
        CompletableFuture<T> result = new CompletableFuture<>();
        if (future.isDone()) {
            copyOutcome(future, result); // at once: a listener would be notified later, on the executor
        } else {
            future.addListener(done -> copyOutcome(future, result));
        }
        result.whenComplete((value, failure) -> {
            if (result.isCancelled()) {
                future.cancel(false); // does nothing if the Netty future completed first
            }
        });
        return result;
    }

    /**
     * Returns a Netty {@link Future} of {@code executor} that completes when {@code stage} does: with
     * its value, its failure (a {@link CompletionException} unwrapped to its cause), or cancelled.
     * Its listeners are notified on {@code executor}. Cancelling the returned future cancels the stage
     * where the stage allows it ({@code toCompletableFuture().cancel(false)}).
     *
     * @param stage the stage, done or not
     * @param executor the executor that notifies the listeners, such as a channel's event loop
     * @param <T> the value's type
     * @return a new Netty future
     * @throws IllegalArgumentException if {@code executor} is shut down (no listener could ever run)
     */
    public static <T> Future<T> toNettyFuture(CompletionStage<T> stage, EventExecutor executor) {
        Objects.requireNonNull(stage, "stage");
        Objects.requireNonNull(executor, "executor");
        if (executor.isShutdown()) {
            throw new IllegalArgumentException("executor " + executor + " is shut down: the future's listeners"
                    + " could never be notified; pass a running EventExecutor");
        }
        Promise<T> promise = executor.newPromise();
        stage.whenComplete((value, failure) -> {
            if (failure == null) {
                promise.trySuccess(value);
                return;
            }
            Throwable cause = unwrap(failure);
            if (cause instanceof CancellationException) {
                promise.cancel(false);
            } else {
                promise.tryFailure(cause);
            }
        });
        promise.addListener(done -> {
            if (done.isCancelled()) {
                cancel(stage);
            }
        });
        return promise;
    }

    private static <T> void copyOutcome(Future<T> done, CompletableFuture<T> result) {
        if (done.isSuccess()) {
            result.complete(done.getNow());
        } else if (done.isCancelled()) {
            result.cancel(false);
        } else {
            result.completeExceptionally(done.cause());
        }
    }

    private static void cancel(CompletionStage<?> stage) {
        try {
            stage.toCompletableFuture().cancel(false);
        } catch (UnsupportedOperationException e) {
            // a stage without a CompletableFuture view cannot be cancelled: it completes on its own
        }
    }

    private static Throwable unwrap(Throwable failure) {
        Throwable cause = failure;
        while (cause instanceof CompletionException && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }
}
