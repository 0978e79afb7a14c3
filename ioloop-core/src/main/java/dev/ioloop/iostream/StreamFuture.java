package dev.ioloop.iostream;

import java.lang.ref.Cleaner;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BiConsumer;
import java.util.function.BiFunction;

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
 *       {@code getNow} or {@code isCompletedExceptionally} was called on it. A
 *       {@code whenComplete} stage that fails with the very failure its action was given is
 *       handled (the action saw it); one whose action threw on a success is not.
 *   <li>A stage created on the loop thread is checked in the first loop callback after it failed:
 *       chain its handler before the loop's next iteration (in practice, where the stage is
 *       created). That callback is ordered after the failure and after the loop callback that
 *       created the stage, so the verdict does not depend on timing.
 *   <li>A stage created on another thread is checked when it has failed and is garbage-collected
 *       unhandled ({@link Cleaner}): that thread may chain its handler at any time while it holds
 *       the stage, and only unreachability proves that nobody will, whatever the machine's load.
 *       The report comes later than for a loop thread's stage (at the next collection that finds
 *       it) and never while the stage is still referenced.
 *   <li>A failure that counts: one only because the stream closed ({@link StreamClosedException}),
 *       or a cancellation, is logged at DEBUG; any other closes the stream with its cause and is
 *       thrown to the loop's funnel in a loop callback ({@link IOLoop#handleCallbackException}:
 *       logged at ERROR, counted; a {@link VirtualMachineError} then propagates out of
 *       {@link IOLoop#start()}).
 * </ul>
 *
 * <p>How a failure is seen, without an observer per stage: {@link CompletableFuture} creates every
 * dependent stage with {@link #newIncompleteFuture()}, so each is a {@code StreamFuture} too, and
 * remembers the stages chained on it while it is pending. When a stream future is completed
 * ({@link #complete}, {@link #completeExceptionally}), the stages that depend only on it have
 * already run, inside that call; it then walks them and schedules the check for each that failed
 * (one still pending, e.g. a {@code thenCompose} waiting for another future, gets an observer
 * then). A stage created on a completed future is completed inside the chaining call without
 * notifying anyone: the chaining method checks it on its way out (the synchronous ones are
 * overridden for that); an asynchronous one notifies an observer registered when it was created.
 *
 * <p>Threading: completes on the stream's loop thread (a stage with an executor completes on that
 * executor); may be chained on and read from any thread; the check runs on the loop thread.
 *
 * @param <T> the value's type
 */
final class StreamFuture<T> extends CompletableFuture<T> {

    private static final Logger log = LoggerFactory.getLogger(StreamFuture.class);

    private final IOStream stream;
    // ordering: volatile, written under this future's lock (stages may be chained from any thread),
    // read without it: each value is immutable (null, one stage, or a copied array of stages).
    private volatile @Nullable Object stages;
    /** Plain: read and written only by Check.run, on the loop thread; a stage is reported once. */
    private boolean checked;
    /** Plain: set before publication; whether this stage was created on a completed future. */
    private boolean createdOnDone;
    /**
     * Null for a stream's own future and a stage created on the loop thread; for a stage created on
     * another thread, what the check at its collection needs (the Cleaner's action must not hold
     * the stage). Final, so that every thread that sees the stage sees it.
     */
    private final @Nullable Unreachable unreachable;
    /** Plain: true only while newIncompleteFuture registers this stage's observer, before it is published. */
    private boolean registeringObserver;
    // ordering: volatile: set by any thread that chains on or joins this stage, read by the check
    // on the loop thread (a stage created there; one created elsewhere is judged by Unreachable).
    // The check runs in a loop callback after the one that created the stage (program order on the
    // loop thread) and after the failure (a callback hand-off when an executor ran the stage), so
    // a handler chained in the creating callback is always seen. A handler chained later by another
    // thread the loop handed the stage to is outside the rule and may come too late.
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
        this(stream, false);
    }

    private StreamFuture(IOStream stream, boolean offLoop) {
        this.stream = stream;
        this.unreachable = offLoop ? new Unreachable(stream) : null;
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
            return new CompletableFuture<>(); // an observer's own result: nothing to report there
        }
        markHandled();
        StreamFuture<U> next = new StreamFuture<>(stream, !stream.ioLoop().inLoopThread());
        if (!isDone()) {
            addStage(next); // checked when this one completes (see checkStages)
            if (!isDone()) {
                return next;
            }
            // completed meanwhile on another thread, whose walk may have missed it: observe it
        }
        // On a completed source, an asynchronous stage completes later and notifies observers; a
        // synchronous one is completed inside the chaining call without notifying anyone, so the
        // chaining method checks it once the call has set its result (see afterChaining).
        next.createdOnDone = true;
        next.registeringObserver = true; // not yet published: no other thread chains on it meanwhile
        next.whenComplete((value, failure) -> {
            if (failure != null) {
                next.checkOnLoop();
            }
            next.checkStages();
        });
        next.registeringObserver = false;
        return next;
    }

    /**
     * A synchronous chaining method has returned {@code next}: a stage created on a completed
     * future is complete now (its result set without notifying observers), so check it.
     */
    private <U> CompletableFuture<U> afterChaining(CompletableFuture<U> next) {
        if (next instanceof StreamFuture<U> stage && stage.createdOnDone) {
            stage.checkOnLoop();
            stage.checkStages();
        }
        return next;
    }

    // The synchronous chaining methods: each runs its function inside the call when this future is
    // already complete, so the stage it returns is checked once the call has set its result.

    @Override
    public <U> CompletableFuture<U> thenApply(java.util.function.Function<? super T, ? extends U> fn) {
        return afterChaining(super.thenApply(fn));
    }

    @Override
    public CompletableFuture<Void> thenAccept(java.util.function.Consumer<? super T> action) {
        return afterChaining(super.thenAccept(action));
    }

    @Override
    public CompletableFuture<Void> thenRun(Runnable action) {
        return afterChaining(super.thenRun(action));
    }

    @Override
    public <U, V> CompletableFuture<V> thenCombine(java.util.concurrent.CompletionStage<? extends U> other,
            BiFunction<? super T, ? super U, ? extends V> fn) {
        return afterChaining(super.thenCombine(other, fn));
    }

    @Override
    public <U> CompletableFuture<Void> thenAcceptBoth(java.util.concurrent.CompletionStage<? extends U> other,
            BiConsumer<? super T, ? super U> action) {
        return afterChaining(super.thenAcceptBoth(other, action));
    }

    @Override
    public CompletableFuture<Void> runAfterBoth(java.util.concurrent.CompletionStage<?> other, Runnable action) {
        return afterChaining(super.runAfterBoth(other, action));
    }

    @Override
    public <U> CompletableFuture<U> applyToEither(java.util.concurrent.CompletionStage<? extends T> other,
            java.util.function.Function<? super T, U> fn) {
        return afterChaining(super.applyToEither(other, fn));
    }

    @Override
    public CompletableFuture<Void> acceptEither(java.util.concurrent.CompletionStage<? extends T> other,
            java.util.function.Consumer<? super T> action) {
        return afterChaining(super.acceptEither(other, action));
    }

    @Override
    public CompletableFuture<Void> runAfterEither(java.util.concurrent.CompletionStage<?> other, Runnable action) {
        return afterChaining(super.runAfterEither(other, action));
    }

    @Override
    public <U> CompletableFuture<U> thenCompose(
            java.util.function.Function<? super T, ? extends java.util.concurrent.CompletionStage<U>> fn) {
        return afterChaining(super.thenCompose(fn));
    }

    @Override
    public <U> CompletableFuture<U> handle(BiFunction<? super T, Throwable, ? extends U> fn) {
        return afterChaining(super.handle(fn));
    }

    @Override
    public CompletableFuture<T> exceptionally(java.util.function.Function<Throwable, ? extends T> fn) {
        return afterChaining(super.exceptionally(fn));
    }

    @Override
    public CompletableFuture<T> exceptionallyCompose(
            java.util.function.Function<Throwable, ? extends java.util.concurrent.CompletionStage<T>> fn) {
        return afterChaining(super.exceptionallyCompose(fn));
    }

    @Override
    public CompletableFuture<T> copy() {
        return afterChaining(super.copy());
    }

    /**
     * Completes this future as {@link CompletableFuture#complete} does, then checks the stages
     * that ran because of it.
     *
     * @param value the value
     * @return whether this call completed it
     */
    @Override
    public boolean complete(T value) {
        boolean completed = super.complete(value);
        if (completed) {
            checkStages();
        }
        return completed;
    }

    /**
     * Fails this future as {@link CompletableFuture#completeExceptionally} does, then checks the
     * stages that ran because of it.
     *
     * @param failure the failure
     * @return whether this call completed it
     */
    @Override
    public boolean completeExceptionally(Throwable failure) {
        boolean completed = super.completeExceptionally(failure);
        if (completed) {
            checkStages();
        }
        return completed;
    }

    private void addStage(StreamFuture<?> stage) {
        synchronized (this) {
            Object current = stages;
            if (current == null) {
                stages = stage;
            } else if (current instanceof StreamFuture<?> one) {
                stages = new StreamFuture<?>[] {one, stage};
            } else {
                StreamFuture<?>[] many = (StreamFuture<?>[]) current;
                StreamFuture<?>[] more = java.util.Arrays.copyOf(many, many.length + 1);
                more[many.length] = stage;
                stages = more;
            }
        }
    }

    /** Takes the stages chained on this one (they are checked once). */
    private @Nullable Object takeStages() {
        if (stages == null) {
            return null; // the common case: nothing chained, no lock
        }
        synchronized (this) {
            Object taken = stages;
            stages = null;
            return taken;
        }
    }

    /**
     * Walks the stages that depended on this future, now complete: a failed one is checked on the
     * loop, a done one's own stages are walked in turn, a pending one is observed until it completes.
     * Iterative, so a long chain does not grow the stack.
     */
    private void checkStages() {
        java.util.ArrayDeque<StreamFuture<?>> todo = null;
        Object taken = takeStages();
        while (true) {
            if (taken instanceof StreamFuture<?> one) {
                todo = visit(one, todo);
            } else if (taken != null) {
                for (StreamFuture<?> each : (StreamFuture<?>[]) taken) {
                    todo = visit(each, todo);
                }
            }
            if (todo == null || todo.isEmpty()) {
                return;
            }
            taken = todo.poll().takeStages();
        }
    }

    private static java.util.ArrayDeque<StreamFuture<?>> visit(StreamFuture<?> stage,
            java.util.@Nullable ArrayDeque<StreamFuture<?>> todo) {
        if (!stage.isDone()) {
            // completes later (thenCompose, thenCombine, an executor): check it and its stages then
            stage.minimalCompletionStage().whenComplete((value, failure) -> {
                if (failure != null) {
                    stage.checkOnLoop();
                }
                stage.checkStages();
            });
            return todo;
        }
        if (stage.superFailed()) {
            stage.checkOnLoop();
        }
        if (stage.stages != null) {
            java.util.ArrayDeque<StreamFuture<?>> next = todo != null ? todo : new java.util.ArrayDeque<>();
            next.add(stage);
            return next;
        }
        return todo;
    }

    private boolean superFailed() {
        return super.isCompletedExceptionally();
    }

    @Override
    public CompletableFuture<T> whenComplete(BiConsumer<? super T, ? super Throwable> action) {
        if (registeringObserver) {
            return super.whenComplete(action); // newIncompleteFuture's own observer
        }
        return afterChaining(observing(super.whenComplete(action)));
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
            Unreachable u = stage.unreachable;
            if (u != null) {
                u.observedSource = this;
                java.lang.ref.Reference.reachabilityFence(stage); // as in markHandled
            }
        }
        return next;
    }

    @Override
    public T join() {
        markHandled();
        return super.join();
    }

    @Override
    public T get() throws InterruptedException, ExecutionException {
        markHandled();
        return super.get();
    }

    @Override
    public T get(long timeout, TimeUnit unit) throws InterruptedException, ExecutionException, TimeoutException {
        markHandled();
        return super.get(timeout, unit);
    }

    @Override
    public T getNow(T valueIfAbsent) {
        markHandled();
        return super.getNow(valueIfAbsent);
    }

    @Override
    public boolean isCompletedExceptionally() {
        markHandled();
        return super.isCompletedExceptionally();
    }

    /** Marks this stage handled: something is chained on it, or its result was read. */
    private void markHandled() {
        handled = true;
        Unreachable u = unreachable;
        if (u != null) {
            u.handled = true;
            // ordering: this stage stays strongly reachable until the mark is written, so the
            // Cleaner (which runs only after the stage became unreachable) cannot miss the mark
            java.lang.ref.Reference.reachabilityFence(this);
        }
    }

    /**
     * This stage failed: schedules the check on the stream's loop, or for a stage created on
     * another thread, arms the check at its collection (any thread).
     */
    private void checkOnLoop() {
        Unreachable u = unreachable;
        if (u != null) {
            u.failed(this, failureOrNull());
            return;
        }
        IOLoop loop = stream.ioLoop();
        if (loop.isClosed()) {
            log.error("Unhandled failure of a stage chained on {} after its loop closed", stream, failureOrNull());
            return;
        }
        loop.addCallback(new Check()); // after the callback that created the stage has returned
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
                    checkStages();
                });
                return;
            }
            if (checked) {
                return;
            }
            checked = true;
            Throwable failure = failureOrNull();
            if (failure == null || handled) {
                return;
            }
            StreamFuture<?> source = observedSource;
            if (source != null && source.isDone() && failure == source.failureOrNull()) {
                return; // a whenComplete stage passing on the failure its action was given
            }
            report(stream, failure);
        }

        @Override
        public String toString() {
            return "unhandled failure of a stage chained on " + stream + " (the stream is closed)";
        }
    }

    /**
     * Reports an unhandled failure, in a loop callback: closes the stream with it and throws it to
     * the loop's funnel; a failure only because the stream closed is logged at DEBUG.
     */
    private static void report(IOStream stream, Throwable failure) {
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

    /** Runs the collection checks; its thread starts with the first stage created off a loop thread. */
    private static final class Collector {
        static final Cleaner CLEANER = Cleaner.create();
        /** Collection checks armed (a stage created off the loop failed unhandled) and run so far. */
        static final java.util.concurrent.atomic.LongAdder ARMED = new java.util.concurrent.atomic.LongAdder();
        static final java.util.concurrent.atomic.LongAdder JUDGED = new java.util.concurrent.atomic.LongAdder();
    }

    /**
     * Whether every collection check armed so far has run (for tests: the checks of stages made
     * unreachable before a collection are done once this holds after it). Any thread.
     *
     * @return true when no armed check is still waiting for its stage's collection
     */
    static boolean collectionChecksIdle() {
        // JUDGED first: a check that runs between the two reads cannot make this true too early
        long judged = Collector.JUDGED.sum();
        return judged == Collector.ARMED.sum();
    }

    /**
     * The check of a stage created on another thread than the loop's, run by the {@link Cleaner}
     * once that stage is unreachable: nothing can chain a handler on it any more, so a failure that
     * is still unhandled is reported on the loop (as a loop callback, like {@link Check}).
     */
    private static final class Unreachable implements Runnable {

        private final IOStream stream;
        // ordering: volatile: set by whichever thread chains on or reads the stage, read by the
        // Cleaner's thread. The marking thread keeps the stage reachable until the write
        // (reachabilityFence), and the Cleaner runs only after the stage became unreachable, so
        // its action sees every mark. Monotonic: false -> true only.
        volatile boolean handled;
        // ordering: volatile for the same reason; set right after the whenComplete call that made the stage.
        volatile @Nullable StreamFuture<?> observedSource;
        /** The stage's failure once it failed; written under this object's lock, once. */
        private @Nullable Throwable failure;

        Unreachable(IOStream stream) {
            this.stream = stream;
        }

        /** The stage failed with {@code cause} (null: cancelled): arms the check, once (any thread). */
        void failed(StreamFuture<?> stage, @Nullable Throwable cause) {
            synchronized (this) {
                if (cause == null || failure != null || handled) {
                    return;
                }
                failure = cause;
            }
            Collector.ARMED.increment();
            Collector.CLEANER.register(stage, this);
        }

        @Override
        public void run() {
            try {
                judge();
            } finally {
                Collector.JUDGED.increment();
            }
        }

        private void judge() {
            Throwable cause;
            synchronized (this) {
                cause = failure;
            }
            if (cause == null || handled) {
                return;
            }
            StreamFuture<?> source = observedSource;
            if (source != null && source.isDone() && cause == source.failureOrNull()) {
                return; // a whenComplete stage passing on the failure its action was given
            }
            IOLoop loop = stream.ioLoop();
            try {
                loop.execute(new Runnable() { // as addCallback, but says when the loop is closed
                    @Override
                    public void run() {
                        report(stream, cause);
                    }

                    @Override
                    public String toString() {
                        return "unhandled failure of a stage chained on " + stream + " (the stream is closed)";
                    }
                });
            } catch (java.util.concurrent.RejectedExecutionException closed) {
                log.error("Unhandled failure of a stage chained on {} after its loop closed", stream, cause);
            }
        }
    }
}
