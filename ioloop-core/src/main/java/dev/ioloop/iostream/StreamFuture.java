package dev.ioloop.iostream;

import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BiConsumer;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.ioloop.IOLoop;

/**
 * The future an {@link IOStream} returns, and every stage chained on one ({@code thenAccept},
 * {@code thenCompose}, {@code whenComplete}, ... and the stages chained on those): a stage that
 * fails while nothing handles its failure closes the stream with that cause and reports it to the
 * loop's {@code handleCallbackException}, once. A {@code Throwable} thrown by a function chained
 * on a stream's future is therefore never swallowed by {@link CompletableFuture}.
 *
 * <p>The rules:
 * <ul>
 *   <li>The stream's own futures (reads, writes) are never reported: their failure is the
 *       stream's report (it closed, or a write found the buffer full and left it open).
 *   <li>A stage is handled once anything is chained on it, or once {@code join}, {@code get},
 *       {@code getNow} or {@code isCompletedExceptionally} was called on it; chain the handler
 *       before the loop's next iteration (in practice, where the stage is created). A
 *       {@code whenComplete} stage that fails with the very failure its action was given is
 *       handled (the action saw it); one whose action threw on a success is not.
 *   <li>The check runs on the loop thread in the first loop callback after the stage failed: a
 *       stage that failed only because the stream closed ({@link StreamClosedException}), or was
 *       cancelled, is logged at DEBUG; any other failure closes the stream with its cause and is
 *       thrown to the loop's funnel ({@link IOLoop#handleCallbackException}: logged at ERROR,
 *       counted; a {@link VirtualMachineError} then propagates out of {@link IOLoop#start()}).
 * </ul>
 *
 * <p>How a failure is seen: {@link CompletableFuture} creates every dependent stage with
 * {@link #newIncompleteFuture()}, so each is a {@code StreamFuture} too. A stage created on a
 * source that is still pending gets an observer that schedules the check when it fails; a stage
 * created on a completed source is completed inside the chaining call without notifying
 * observers, so it is checked on the next loop callback whatever its outcome.
 *
 * <p>Threading: completes on the stream's loop thread (a stage with an executor completes on that
 * executor); may be chained on and read from any thread; the check runs on the loop thread.
 *
 * @param <T> the value's type
 */
final class StreamFuture<T> extends CompletableFuture<T> {

    private static final Logger log = LoggerFactory.getLogger(StreamFuture.class);

    private final IOStream stream;
    /** Plain: true only while newIncompleteFuture registers this stage's observer, before it is published. */
    private boolean registeringObserver;
    // ordering: volatile: set by any thread that chains on or joins this stage, read by the check
    // on the loop thread. The check is scheduled after the failure and after the chaining call that
    // created this stage (a callback hand-off: a happens-before edge), so a handler chained in that
    // call or before the failure is always seen; one chained from another thread at the very moment
    // of the check may be missed, and then the stream is closed although the handler also runs.
    private volatile boolean handled;
    // ordering: volatile for the same reason; set right after the whenComplete call that created this stage.
    private volatile @Nullable StreamFuture<?> observedSource;

    /**
     * A future of {@code stream}: as a stream's own future (a read or a write) never reported
     * itself; as a stage chained on one, reported when it fails unhandled.
     *
     * @param stream the stream whose loop runs the checks and which a failed stage closes
     */
    StreamFuture(IOStream stream) {
        this.stream = stream;
    }

    /**
     * Creates the next stage of a chain: a {@code StreamFuture} whose unhandled failure is
     * reported, and marks this one handled.
     *
     * @param <U> the stage's value type
     * @return the new, incomplete stage
     */
    @Override
    public <U> CompletableFuture<U> newIncompleteFuture() {
        if (registeringObserver) {
            return new CompletableFuture<>(); // the observer's own result: nothing to report there
        }
        handled = true;
        StreamFuture<U> next = new StreamFuture<>(stream);
        if (isDone()) {
            // CompletableFuture completes a stage of a completed source inside the chaining call,
            // setting its result without running its observers: look at it on the loop instead.
            next.checkOnLoop();
        } else {
            // Not yet published: no other thread can chain on it while the flag is up.
            next.registeringObserver = true;
            next.whenComplete((value, failure) -> {
                if (failure != null) {
                    next.checkOnLoop();
                }
            });
            next.registeringObserver = false;
        }
        return next;
    }

    @Override
    public CompletableFuture<T> whenComplete(BiConsumer<? super T, ? super Throwable> action) {
        return observing(super.whenComplete(action));
    }

    @Override
    public CompletableFuture<T> whenCompleteAsync(BiConsumer<? super T, ? super Throwable> action) {
        return observing(super.whenCompleteAsync(action));
    }

    @Override
    public CompletableFuture<T> whenCompleteAsync(BiConsumer<? super T, ? super Throwable> action, Executor executor) {
        return observing(super.whenCompleteAsync(action, executor));
    }

    /**
     * Marks a {@code whenComplete} stage: its action receives this future's failure, and the stage
     * then fails with that same failure, which is therefore handled, not new.
     */
    private CompletableFuture<T> observing(CompletableFuture<T> next) {
        if (next instanceof StreamFuture<T> stage) {
            stage.observedSource = this;
        }
        return next;
    }

    @Override
    public T join() {
        handled = true;
        return super.join();
    }

    @Override
    public T get() throws InterruptedException, ExecutionException {
        handled = true;
        return super.get();
    }

    @Override
    public T get(long timeout, TimeUnit unit) throws InterruptedException, ExecutionException, TimeoutException {
        handled = true;
        return super.get(timeout, unit);
    }

    @Override
    public T getNow(T valueIfAbsent) {
        handled = true;
        return super.getNow(valueIfAbsent);
    }

    @Override
    public boolean isCompletedExceptionally() {
        handled = true;
        return super.isCompletedExceptionally();
    }

    /** Schedules the check on the stream's loop (any thread). */
    private void checkOnLoop() {
        IOLoop loop = stream.ioLoop();
        if (loop.isClosed()) {
            log.error("Unhandled failure of a stage chained on {} after its loop closed", stream, failureOrNull());
            return;
        }
        loop.addCallback(new Check());
    }

    /** The failure of this stage, unwrapped; null if it did not fail or was cancelled. */
    private @Nullable Throwable failureOrNull() {
        if (!super.isCompletedExceptionally()) {
            return null;
        }
        try {
            super.join();
            return null;
        } catch (CancellationException e) {
            return null;
        } catch (CompletionException e) {
            Throwable cause = e;
            while (cause instanceof CompletionException && cause.getCause() != null) {
                cause = cause.getCause();
            }
            return cause;
        }
    }

    /**
     * The check of one stage, a loop callback: reports an unhandled failure by closing the stream
     * and throwing the cause to the loop's funnel, so it is logged once and counted there.
     */
    private final class Check implements Runnable {

        @Override
        public void run() {
            if (!isDone()) {
                // A stage run by an executor completes later: look again when it fails.
                minimalCompletionStage().whenComplete((value, failure) -> {
                    if (failure != null) {
                        checkOnLoop();
                    }
                });
                return;
            }
            Throwable failure = failureOrNull();
            if (failure == null || handled) {
                return;
            }
            StreamFuture<?> source = observedSource;
            if (source != null && source.isDone() && failure == source.failureOrNull()) {
                return; // a whenComplete stage passing on the failure its action was given
            }
            if (failure instanceof StreamClosedException) {
                log.debug("A stage chained on {} failed because the stream closed", stream, failure);
                return;
            }
            stream.close(failure);
            if (failure instanceof Error error) {
                throw error;
            }
            if (failure instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new CompletionException(failure);
        }

        @Override
        public String toString() {
            return "unhandled failure of a stage chained on " + stream + " (the stream is closed)";
        }
    }
}
