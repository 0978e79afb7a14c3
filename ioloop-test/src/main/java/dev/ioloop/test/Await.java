package dev.ioloop.test;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import dev.ioloop.IOLoop;
import org.jspecify.annotations.Nullable;

/**
 * Waits for a {@link CompletionStage} with a timeout, Tornado's {@code gen_test(timeout=...)}: the value,
 * or the stage's own failure, or on timeout an {@link AssertionError} that shows where the loop thread
 * was (what it was stuck on), not just "timed out".
 *
 * <p>The default timeout is {@value #DEFAULT_TIMEOUT_SECONDS} seconds, as Tornado's. Like Tornado's
 * {@code ASYNC_TEST_TIMEOUT}, it is set for a whole run with the system property
 * {@value #TIMEOUT_PROPERTY} or else the environment variable {@value #TIMEOUT_ENVIRONMENT_VARIABLE}: a
 * number of seconds ({@code 30}, {@code 0.5}) or an ISO-8601 duration ({@code PT1M}). Both are read at
 * each wait, so a test may change the property.
 *
 * <p>Most tests call these through {@link RunningLoop#await} and {@link RunningLoop#runSync}, which know
 * the loop. Safe from any thread except a loop's own (it would wait for itself).
 */
public final class Await {

    /** The system property that sets the default timeout: seconds, or an ISO-8601 duration. */
    public static final String TIMEOUT_PROPERTY = "ioloop.test.timeout";
    /** The environment variable read when {@value #TIMEOUT_PROPERTY} is not set. */
    public static final String TIMEOUT_ENVIRONMENT_VARIABLE = "IOLOOP_TEST_TIMEOUT";
    /** The default timeout, in seconds, when neither is set (Tornado's). */
    public static final int DEFAULT_TIMEOUT_SECONDS = 5;

    private Await() {
    }

    /**
     * Returns the default timeout of every wait in this module: {@value #TIMEOUT_PROPERTY}, else
     * {@value #TIMEOUT_ENVIRONMENT_VARIABLE}, else {@value #DEFAULT_TIMEOUT_SECONDS} seconds.
     *
     * @return a positive duration
     * @throws IllegalArgumentException if the property or variable is set to something else than a
     *     positive number of seconds or ISO-8601 duration; the message names it and its value
     */
    public static Duration timeout() {
        String property = System.getProperty(TIMEOUT_PROPERTY);
        if (property != null) {
            return parseTimeout("system property '" + TIMEOUT_PROPERTY + "'", property);
        }
        String variable = System.getenv(TIMEOUT_ENVIRONMENT_VARIABLE);
        if (variable != null) {
            return parseTimeout("environment variable '" + TIMEOUT_ENVIRONMENT_VARIABLE + "'", variable);
        }
        return Duration.ofSeconds(DEFAULT_TIMEOUT_SECONDS);
    }

    /**
     * Waits at most {@link #timeout()} for a stage. On timeout, the error shows the stack of the calling
     * thread's current loop ({@link IOLoop#current(boolean) IOLoop.current(false)}), when that loop runs on
     * another thread, as the test's loop does under {@link IOLoopTest}.
     *
     * @param stage the stage
     * @param <T> its value's type
     * @return its value
     * @throws Exception the stage's failure as itself (unwrapped from {@link ExecutionException} and
     *     {@link CompletionException}); {@link CancellationException} if it was cancelled
     * @throws AssertionError on timeout, or if interrupted while waiting
     */
    public static <T> T result(CompletionStage<T> stage) throws Exception {
        IOLoop current = IOLoop.current(false);
        return result(stage, timeout(), current == null ? null : current.thread(), null);
    }

    /**
     * Waits at most {@code timeout} for a stage; as {@link #result(CompletionStage)}.
     *
     * @param stage the stage
     * @param timeout how long to wait at most; positive
     * @param <T> its value's type
     * @return its value
     * @throws Exception the stage's failure as itself
     * @throws AssertionError on timeout, or if interrupted while waiting
     */
    public static <T> T result(CompletionStage<T> stage, Duration timeout) throws Exception {
        IOLoop current = IOLoop.current(false);
        return result(stage, timeout, current == null ? null : current.thread(), null);
    }

    /**
     * The wait behind every helper: the stage's value, its failure as itself, or on timeout an
     * {@link AssertionError} naming the timeout and how to change it, with the loop thread's stack in the
     * message (its top frames) and as the cause (all of them).
     *
     * @param loopThread the loop's thread, whose stack a timeout reports; null for none
     * @param loopDied completes when the loop thread died of an exception; null if not known
     */
    static <T> T result(CompletionStage<T> stage, Duration timeout, @Nullable Thread loopThread,
            @Nullable CompletableFuture<Throwable> loopDied) throws Exception {
        Objects.requireNonNull(stage, "stage");
        requirePositive(timeout);
        CompletableFuture<T> future = stage.toCompletableFuture();
        if (loopThread != null && loopThread == Thread.currentThread()) {
            throw new IllegalStateException("waiting for a stage on the loop's own thread '" + loopThread.getName()
                    + "' would block the loop that completes it: wait from the test thread");
        }
        try {
            if (loopDied == null) {
                return future.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
            }
            CompletableFuture.anyOf(future, loopDied).get(timeout.toNanos(), TimeUnit.NANOSECONDS);
            if (!future.isDone()) {
                Throwable death = loopDied.join();
                throw new AssertionError("the loop thread '" + Objects.requireNonNull(loopThread).getName()
                        + "' died before the stage completed: its start() threw " + death, death);
            }
            return future.get();
        } catch (ExecutionException e) {
            throw rethrow(e.getCause());
        } catch (TimeoutException e) {
            throw timedOut(timeout, loopThread);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting for a stage", e);
        }
    }

    static Exception rethrow(@Nullable Throwable failure) {
        Throwable cause = failure;
        while (cause instanceof CompletionException && cause.getCause() != null) {
            cause = cause.getCause();
        }
        if (cause instanceof Error error) {
            throw error;
        }
        if (cause instanceof Exception exception) {
            return exception;
        }
        return new ExecutionException(cause);
    }

    static AssertionError timedOut(Duration timeout, @Nullable Thread loopThread) {
        String advice = " (the default is set with -D" + TIMEOUT_PROPERTY + "=<seconds>)";
        if (loopThread == null) {
            return new AssertionError("timed out after " + describe(timeout) + " waiting for a stage" + advice);
        }
        LoopThreadStack stack = new LoopThreadStack(loopThread);
        return new AssertionError("timed out after " + describe(timeout) + " waiting for a stage" + advice
                + "; " + stack.getMessage() + ":\n" + stack.topFrames(12), stack);
    }

    static String describe(Duration duration) {
        long millis = duration.toMillis();
        return millis % 1000 == 0 ? (millis / 1000) + " s" : millis + " ms";
    }

    static void requirePositive(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("'timeout' must be positive (was " + timeout + ")");
        }
    }

    private static Duration parseTimeout(String source, String value) {
        Duration parsed;
        try {
            String text = value.trim();
            parsed = text.regionMatches(true, 0, "P", 0, 1) ? Duration.parse(text)
                    : Duration.ofNanos(Math.round(Double.parseDouble(text) * 1e9));
        } catch (NumberFormatException | DateTimeParseException | ArithmeticException e) {
            throw new IllegalArgumentException(invalid(source, value), e);
        }
        if (parsed.isNegative() || parsed.isZero()) {
            throw new IllegalArgumentException(invalid(source, value));
        }
        return parsed;
    }

    private static String invalid(String source, String value) {
        return source + " must be a positive number of seconds (such as 30 or 0.5) or an ISO-8601 duration (such"
                + " as PT1M) (was '" + value + "')";
    }

    /** A loop thread's stack at the moment a wait gave up, as a throwable whose stack trace is that stack. */
    static final class LoopThreadStack extends Throwable {
        private static final long serialVersionUID = 1L;

        LoopThreadStack(Thread thread) {
            super("the loop thread '" + thread.getName() + "' (" + thread.getState() + ") was at", null, false, true);
            setStackTrace(thread.getStackTrace());
        }

        String topFrames(int count) {
            StackTraceElement[] frames = getStackTrace();
            if (frames.length == 0) {
                return "\t(no stack: the thread has ended)";
            }
            StringBuilder text = new StringBuilder();
            for (int i = 0; i < Math.min(count, frames.length); i++) {
                text.append(i == 0 ? "" : "\n").append("\tat ").append(frames[i]);
            }
            if (frames.length > count) {
                text.append("\n\t... ").append(frames.length - count).append(" more (the cause has them all)");
            }
            return text.toString();
        }
    }
}
