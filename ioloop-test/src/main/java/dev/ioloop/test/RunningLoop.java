package dev.ioloop.test;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

import dev.ioloop.IOLoop;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.function.Executable;

/**
 * An {@link IOLoop} running on a thread of its own for a test, with the helpers a test needs to run code
 * on it and wait: Tornado's {@code AsyncTestCase.io_loop} with {@code gen_test} and {@code run_sync}.
 * {@link IOLoopTest} gives each test one; {@link #start(IOLoop)} runs any other loop the same way.
 *
 * <pre>{@code
 * @IOLoopTest
 * class GreetingTests {
 *     @Test
 *     void greetsOnTheLoop(RunningLoop loop) throws Exception {
 *         String thread = loop.call(() -> Thread.currentThread().getName());        // a value from the loop
 *         String reply = loop.runSync(() -> greeter.greet("ann"));                  // a stage made on the loop
 *         assertThat(reply).isEqualTo("hello ann");
 *     }
 * }
 * }</pre>
 *
 * <p>Every wait gives up after {@link Await#timeout()} (5 s unless {@value Await#TIMEOUT_PROPERTY} says
 * otherwise) with an {@link AssertionError} that shows the loop thread's stack. Safe from any thread
 * except the loop's own: a helper called there would wait for itself, and fails at once instead.
 */
public final class RunningLoop implements AutoCloseable {

    private final IOLoop loop;
    private final Thread thread;
    private final @Nullable FakeClock clock;
    // Completes with what the loop's start() threw, if it ever does: waits then fail at once, not at timeout.
    private final CompletableFuture<Throwable> died = new CompletableFuture<>();
    // ordering: volatile, written (true) by close() before it stops the loop and read by the loop thread after
    // start() returned; a loop that ended before the write is closed by close() on the test thread instead
    private volatile boolean closeOnExit;

    private RunningLoop(IOLoop loop, @Nullable FakeClock clock) {
        this.loop = loop;
        this.clock = clock;
        this.thread = new Thread(this::runLoop, loop.name());
        this.thread.setDaemon(true); // a test that forgot close() must not keep the test JVM alive
    }

    /**
     * Starts an idle loop on a new daemon thread named after it, and returns once the loop runs its
     * first callback. Close it at the end of the test (try-with-resources).
     *
     * @param loop an idle loop (not running, not closed)
     * @return the running loop
     * @throws AssertionError if the loop did not start within {@link Await#timeout()}, or its start() threw
     */
    public static RunningLoop start(IOLoop loop) {
        return startOn(loop, null);
    }

    static RunningLoop startOn(IOLoop loop, @Nullable FakeClock clock) {
        Objects.requireNonNull(loop, "loop");
        RunningLoop running = new RunningLoop(loop, clock);
        CompletableFuture<Void> started = new CompletableFuture<>();
        loop.addCallback(() -> started.complete(null));
        running.thread.start();
        try {
            Await.result(started, Await.timeout(), running.thread, running.died);
        } catch (Exception e) {
            throw new AssertionError("IOLoop '" + loop.name() + "' did not start", e);
        }
        return running;
    }

    private void runLoop() {
        try {
            loop.start();
        } catch (RuntimeException | Error e) {
            died.complete(e);
            throw e;
        } finally {
            if (closeOnExit) {
                loop.close(true); // on the thread that ran it: io_uring's ring accepts its shutdown from that thread only
            }
        }
    }

    /**
     * Returns the loop.
     *
     * @return the running loop
     */
    public IOLoop loop() {
        return loop;
    }

    /**
     * Returns the thread that runs the loop.
     *
     * @return the loop's thread
     */
    public Thread thread() {
        return thread;
    }

    /**
     * Runs a task on the loop thread and waits for its value.
     *
     * @param task the task; runs once, on the loop thread
     * @param <T> its value's type
     * @return what it returned
     * @throws Exception what it threw, as itself
     * @throws AssertionError if it did not finish within {@link Await#timeout()}
     */
    public <T> T call(Callable<T> task) throws Exception {
        Objects.requireNonNull(task, "task");
        CompletableFuture<T> result = new CompletableFuture<>();
        loop.addCallback(() -> {
            try {
                result.complete(task.call());
            } catch (Throwable t) {
                result.completeExceptionally(t);
            }
        });
        return await(result);
    }

    /**
     * Runs a task on the loop thread and waits until it ran.
     *
     * @param task the task; runs once, on the loop thread
     * @throws Exception what it threw, as itself
     * @throws AssertionError if it did not finish within {@link Await#timeout()}
     */
    public void run(Executable task) throws Exception {
        Objects.requireNonNull(task, "task");
        call(() -> {
            try {
                task.execute();
            } catch (Exception | Error e) {
                throw e;
            } catch (Throwable t) {
                throw new java.util.concurrent.ExecutionException(t);
            }
            return null;
        });
    }

    /**
     * Calls {@code func} on the loop thread and waits for the stage it returns: Tornado's {@code gen_test}
     * and {@code IOLoop.run_sync}, for a loop that is already running.
     *
     * @param func makes the stage; runs on the loop thread, may return null (then this returns null)
     * @param <T> the stage's value type
     * @return the stage's value
     * @throws Exception what {@code func} threw or the stage failed with, as itself
     * @throws AssertionError if the stage did not complete within {@link Await#timeout()}; it is then
     *     cancelled (which a {@link CompletableFuture} passes on to nothing else)
     */
    public <T> @Nullable T runSync(Callable<? extends @Nullable CompletionStage<T>> func) throws Exception {
        return runSync(func, Await.timeout());
    }

    /**
     * As {@link #runSync(Callable)}, with a timeout of its own (Tornado's {@code gen_test(timeout=...)}).
     *
     * @param func makes the stage; runs on the loop thread, may return null (then this returns null)
     * @param timeout how long to wait for the stage at most; positive
     * @param <T> the stage's value type
     * @return the stage's value
     * @throws Exception what {@code func} threw or the stage failed with, as itself
     * @throws AssertionError if the stage did not complete within {@code timeout}
     */
    public <T> @Nullable T runSync(Callable<? extends @Nullable CompletionStage<T>> func, Duration timeout)
            throws Exception {
        Objects.requireNonNull(func, "func");
        Await.requirePositive(timeout);
        CompletableFuture<@Nullable CompletionStage<T>> made = new CompletableFuture<>();
        loop.addCallback(() -> {
            try {
                made.complete(func.call());
            } catch (Throwable t) {
                made.completeExceptionally(t);
            }
        });
        CompletableFuture<@Nullable T> result = made.thenCompose(
                stage -> stage == null ? CompletableFuture.<@Nullable T>completedFuture(null) : stage);
        try {
            return await(result, timeout);
        } catch (AssertionError timedOut) {
            CompletionStage<T> stage = made.isDone() && !made.isCompletedExceptionally() ? made.join() : null;
            if (stage != null) {
                stage.toCompletableFuture().cancel(false);
            }
            throw timedOut;
        }
    }

    /**
     * Waits at most {@link Await#timeout()} for a stage.
     *
     * @param stage the stage
     * @param <T> its value's type
     * @return its value
     * @throws Exception its failure, as itself
     * @throws AssertionError on timeout, with the loop thread's stack; at once if the loop thread died
     */
    public <T> T await(CompletionStage<T> stage) throws Exception {
        return await(stage, Await.timeout());
    }

    /**
     * Waits at most {@code timeout} for a stage.
     *
     * @param stage the stage
     * @param timeout how long at most; positive
     * @param <T> its value's type
     * @return its value
     * @throws Exception its failure, as itself
     * @throws AssertionError on timeout, with the loop thread's stack; at once if the loop thread died
     */
    public <T> T await(CompletionStage<T> stage, Duration timeout) throws Exception {
        try {
            return Await.result(stage, timeout, thread, died);
        } catch (AssertionError e) {
            if (loop instanceof TestIOLoop testLoop) {
                testLoop.callbackErrors().forEach(error -> e.addSuppressed(error.asThrowable()));
            }
            throw e;
        }
    }

    /**
     * Waits until the loop has run every callback queued before this call.
     *
     * @throws Exception if interrupted
     * @throws AssertionError if the loop did not get there within {@link Await#timeout()}
     */
    public void drain() throws Exception {
        run(() -> { });
    }

    /**
     * Waits until the loop has run every timeout due at its clock's current reading, and the callbacks
     * queued before this call. With a {@link FakeClock}, that is everything due "now".
     *
     * @throws Exception if interrupted
     * @throws AssertionError if the loop did not get there within {@link Await#timeout()}
     */
    public void settle() throws Exception {
        // A timeout due now is ordered after every timeout due earlier or at the same reading (insertion
        // order breaks ties), so when it runs they all ran, in an iteration that read the clock after this call.
        CompletableFuture<Void> done = new CompletableFuture<>();
        loop.callLater(Duration.ZERO, () -> done.complete(null));
        await(done);
    }

    /**
     * Moves the fake clock forward and waits until the loop has run every timeout due by then
     * ({@link #settle()}).
     *
     * @param duration how far; zero or positive
     * @throws Exception if interrupted
     * @throws IllegalStateException if this loop does not run on a {@link FakeClock}
     * @throws AssertionError if the loop did not settle within {@link Await#timeout()}
     */
    public void advance(Duration duration) throws Exception {
        clock().advance(duration);
        settle();
    }

    /**
     * Returns the fake clock this loop runs on.
     *
     * @return the clock
     * @throws IllegalStateException if the loop runs on another clock: use
     *     {@code @IOLoopTest(fakeClock = true)}, or start a loop built with a FakeClock through
     *     {@link #start(IOLoop, FakeClock)}
     */
    public FakeClock clock() {
        if (clock == null) {
            throw new IllegalStateException("IOLoop '" + loop.name() + "' does not run on a FakeClock: annotate the"
                    + " test with @IOLoopTest(fakeClock = true), or start the loop with RunningLoop.start(loop, clock)");
        }
        return clock;
    }

    /**
     * Starts an idle loop built on {@code clock} (its builder's {@code clock(clock)}), so that
     * {@link #advance} and {@link #clock()} work; otherwise as {@link #start(IOLoop)}.
     *
     * @param loop an idle loop whose clock is {@code clock}
     * @param clock the loop's clock
     * @return the running loop
     */
    public static RunningLoop start(IOLoop loop, FakeClock clock) {
        return startOn(loop, Objects.requireNonNull(clock, "clock"));
    }

    /**
     * Stops the loop, waits for its thread to end and closes the loop with every channel still
     * registered on it (the loop thread closes it as its {@code start()} returns, so that a backend that
     * accepts its shutdown only from that thread, Netty's io_uring, is closed there). Idempotent.
     *
     * @throws AssertionError if the loop thread did not end within {@link Await#timeout()} (the loop is
     *     then left open); the message shows where the thread was
     * @throws IllegalStateException if called on the loop thread
     */
    @Override
    public void close() {
        if (Thread.currentThread() == thread) {
            throw new IllegalStateException("RunningLoop.close() called on the loop's own thread '" + thread.getName()
                    + "': it would wait for itself; call it from the test thread");
        }
        if (loop.isClosed()) {
            return;
        }
        closeOnExit = true;
        loop.stop();
        Duration timeout = Await.timeout();
        try {
            TimeUnit.NANOSECONDS.timedJoin(thread, timeout.toNanos());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting for the thread of IOLoop '" + loop.name() + "' to end", e);
        }
        if (thread.isAlive()) {
            closeOnExit = false; // left open, as documented: a loop that stops later is not closed behind the test
            Await.LoopThreadStack stack = new Await.LoopThreadStack(thread);
            throw new AssertionError("IOLoop '" + loop.name() + "' did not stop within " + Await.describe(timeout)
                    + " (a callback that never returns?); " + stack.getMessage() + ":\n" + stack.topFrames(12), stack);
        }
        loop.close(true);
    }

    /** What the loop's start() threw, if it did; null while it runs or after a normal stop. */
    @Nullable Throwable death() {
        return died.getNow(null);
    }

    @Override
    public String toString() {
        return "RunningLoop[" + loop.name() + (thread.isAlive() ? "" : ", ended") + "]";
    }
}
