package dev.ioloop;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.ioloop.testing.BackendSuite;
import dev.ioloop.test.FakeClock;
import dev.ioloop.test.RunningLoop;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

public abstract class IOLoopRunSyncTests extends BackendSuite {

    private final IOLoop loop = IOLoop.builder().name("sync").makeCurrent(false).build();

    @AfterEach
    void close() {
        loop.close();
    }

    @Test
    void returnsTheStagesValueAndRunsFuncOnTheLoop() {
        String value = loop.runSync(() -> CompletableFuture.completedFuture(Thread.currentThread().getName()
                + (loop.inLoopThread() ? " on loop" : " elsewhere")));
        assertThat(value).endsWith(" on loop");
        assertThat(loop.isRunning()).isFalse();
    }

    @Test
    void waitsForAStageCompletedLaterOnTheLoop() {
        String value = loop.runSync(() -> {
            CompletableFuture<String> later = new CompletableFuture<>();
            loop.callLater(0.01, () -> later.complete("later"));
            return later;
        });
        assertThat(value).isEqualTo("later");
    }

    @Test
    void waitsForAStageCompletedOnAnotherThread() {
        String value = loop.runSync(() -> CompletableFuture.supplyAsync(() -> "elsewhere"));
        assertThat(value).isEqualTo("elsewhere");
    }

    @Test
    void aNullStageReturnsNull() {
        Object value = loop.runSync(() -> null);
        assertThat(value).isNull();
    }

    @Test
    void anUncheckedFailureOfFuncIsRethrownAsItself() {
        assertThatThrownBy(() -> loop.runSync(() -> {
            throw new IllegalArgumentException("func failed");
        })).isExactlyInstanceOf(IllegalArgumentException.class).hasMessage("func failed");
    }

    @Test
    void aCheckedFailureIsWrappedWithTheOriginalAsCause() {
        assertThatThrownBy(() -> loop.runSync(() -> CompletableFuture.failedFuture(new IOException("io failed"))))
                .isInstanceOf(CompletionException.class).hasCauseExactlyInstanceOf(IOException.class)
                .hasRootCauseMessage("io failed");
        assertThatThrownBy(() -> loop.runSync(() -> {
            throw new IOException("func io");
        })).isInstanceOf(CompletionException.class).hasCauseInstanceOf(IOException.class);
    }

    @Test
    void anUncheckedFailureOfTheStageIsRethrownAsItself() {
        assertThatThrownBy(() -> loop.runSync(() -> CompletableFuture.supplyAsync(() -> {
            throw new UnsupportedOperationException("stage failed");
        }))).isExactlyInstanceOf(UnsupportedOperationException.class).hasMessage("stage failed");
    }

    @Test
    void aTimeoutThrowsWithTimeoutExceptionAsCauseAndCancelsTheStage() {
        CompletableFuture<String> never = new CompletableFuture<>();
        assertThatThrownBy(() -> loop.runSync(() -> never, Duration.ofMillis(20)))
                .isInstanceOf(CompletionException.class).hasCauseInstanceOf(TimeoutException.class)
                .hasMessageContaining("timed out after PT0.02S");
        assertThat(never).isCancelled();
        assertThat(loop.isRunning()).isFalse();
    }

    @Test
    void aTimeoutThatDidNotFireIsRemoved() {
        assertThat(loop.runSync(() -> CompletableFuture.completedFuture(1), Duration.ofSeconds(30))).isEqualTo(1);
        assertThat(loop.runSync(() -> CompletableFuture.completedFuture(2))).isEqualTo(2);
        assertThat(loop.stats().pendingTimeouts()).isZero();
    }

    @Test
    void stoppingTheLoopBeforeTheStageCompletesThrows() {
        assertThatIllegalStateException().isThrownBy(() -> loop.runSync(() -> {
            loop.stop();
            return new CompletableFuture<String>();
        })).withMessageContaining("stopped before the stage of runSync completed");
    }

    @Test
    void badTimeoutsAndNullFuncAreRejected() {
        assertThatIllegalArgumentException().isThrownBy(() -> loop.runSync(() -> null, Duration.ZERO))
                .withMessage("'timeout' must be positive (was PT0S)");
        assertThatThrownBy(() -> loop.runSync(null)).isInstanceOf(NullPointerException.class).hasMessage("func");
    }

    @Test
    void runSyncOnAClosedLoopThrows() {
        loop.close();
        assertThatIllegalStateException().isThrownBy(() -> loop.runSync(() -> null)).withMessageContaining("closed");
    }

    @Test
    void aStageCompletedInTheIterationWhereTheTimeoutIsDueReturnsItsValue() {
        // The stage completes in a callback of the same iteration whose due timeouts include the
        // runSync timer: the value was there before the timer ran, so it is the outcome.
        FakeClock clock = new FakeClock();
        try (IOLoop fake = IOLoop.builder().name("sync-fake").clock(clock).makeCurrent(false).build()) {
            String value = fake.runSync(() -> {
                CompletableFuture<String> later = new CompletableFuture<>();
                clock.advance(Duration.ofSeconds(2)); // the 1 s timer is due in the next iteration
                fake.addCallback(() -> later.complete("in time"));
                return later;
            }, Duration.ofSeconds(1));
            assertThat(value).isEqualTo("in time");
        }
    }

    @Test
    void runSyncOnALoopRunningElsewhereThrowsAndLeavesThatLoopAlone() throws Exception {
        RunningLoop running = RunningLoop.start(loop);
        try {
            AtomicBoolean called = new AtomicBoolean();
            assertThatIllegalStateException().isThrownBy(() -> loop.runSync(() -> {
                called.set(true);
                return null;
            }, Duration.ofMillis(1))).withMessageContaining("already running");
            // a sentinel due well after the rejected call's 1 ms timer: the loop must still run it
            CompletableFuture<Void> sentinel = new CompletableFuture<>();
            loop.callLater(0.05, () -> sentinel.complete(null));
            running.await(sentinel);
            running.drain();
            assertThat(called).as("func of the rejected runSync ran on the other thread's loop").isFalse();
            assertThat(loop.isRunning()).isTrue();
        } finally {
            loop.stop();
            running.thread().join(30_000);
        }
    }

    @Test
    void aNestedRunSyncOnTheLoopThreadThrowsAndNeitherCallsFuncNorStopsTheLoop() throws Exception {
        RunningLoop running = RunningLoop.start(loop);
        try {
            AtomicBoolean called = new AtomicBoolean();
            Throwable refused = running.call(() -> {
                try {
                    loop.runSync(() -> {
                        called.set(true);
                        return null;
                    });
                    return null;
                } catch (IllegalStateException e) {
                    return e;
                }
            });
            assertThat(refused).isInstanceOf(IllegalStateException.class).hasMessageContaining("already running");
            running.drain();
            running.drain();
            assertThat(called).as("func of the refused nested runSync ran later on the loop").isFalse();
            assertThat(loop.isRunning()).isTrue();
        } finally {
            loop.stop();
            running.thread().join(30_000);
        }
    }
}
