package dev.ioloop.iostream;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;

import dev.ioloop.IOLoop;
import dev.ioloop.IOLoopThread;

/**
 * Test support: a named {@link IOLoop} running on its own thread ({@link IOLoopThread}), with helpers
 * that run code on it and wait (generously) for results, as {@code RunningLoop} but any
 * number per test and with failure helpers for stream tests. Closing stops the loop, joins its thread and closes
 * the loop with every registered channel. Use with {@code @IOLoopTest(makeCurrent = false)} for its
 * unexpected-log check.
 */
public final class LoopThread implements AutoCloseable {

    /** How long any single wait in these tests may take before it fails (a loaded 2-core box). */
    public static final Duration WAIT = Duration.ofSeconds(30);

    private final IOLoopThread running;

    public LoopThread(String name) {
        this(IOLoop.builder().name(name).makeCurrent(false).build());
    }

    /** Runs {@code loop} (not yet started; contract suites make it per backend) on a thread named after it. */
    public LoopThread(IOLoop loop) {
        running = IOLoopThread.start(loop, loop.name(), true);
    }

    public IOLoop loop() {
        return running.loop();
    }

    /** Runs {@code task} on the loop thread and returns its result. */
    public <T> T call(Callable<T> task) {
        CompletableFuture<T> result = new CompletableFuture<>();
        running.loop().addCallback(() -> {
            try {
                result.complete(task.call());
            } catch (Throwable e) {
                result.completeExceptionally(e);
            }
        });
        return await(result);
    }

    /** Runs {@code task} on the loop thread and waits for it. */
    public void run(ThrowingRunnable task) {
        call(() -> {
            task.run();
            return null;
        });
    }

    /** Waits for {@code stage} and returns its value; rethrows its failure as an AssertionError with the cause. */
    public static <T> T await(CompletionStage<T> stage) {
        try {
            return stage.toCompletableFuture().get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new AssertionError("stage failed: " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            throw new AssertionError("stage did not complete within " + WAIT, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** Waits for {@code stage} to fail and returns its failure (unwrapped from ExecutionException). */
    public static Throwable awaitFailure(CompletionStage<?> stage) {
        try {
            Object value = stage.toCompletableFuture().get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            throw new AssertionError("expected a failure but the stage completed with " + value);
        } catch (ExecutionException e) {
            return e.getCause();
        } catch (TimeoutException e) {
            throw new AssertionError("stage did not complete within " + WAIT, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** Polls {@code condition} on the loop thread until it holds (fails after {@link #WAIT}). */
    public void awaitOnLoop(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!call(condition::getAsBoolean)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting until " + what);
            }
            Thread.onSpinWait();
            try {
                Thread.sleep(1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    /**
     * Polls {@code condition} on the calling thread, asking for a garbage collection before each
     * look, until it holds (fails after {@link #WAIT}): for what happens when objects become
     * unreachable (a stream stage's check at its collection).
     */
    public static void awaitCollecting(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            System.gc();
            if (condition.getAsBoolean()) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting (collecting garbage) until " + what);
            }
            try {
                Thread.sleep(10); // the Cleaner's thread and then the loop act after a collection
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (!running.close(WAIT, true)) {
            throw new AssertionError("loop thread " + running.thread().getName() + " did not end");
        }
    }

    /** A task that may throw. */
    @FunctionalInterface
    public interface ThrowingRunnable {
        void run() throws Exception;
    }
}
