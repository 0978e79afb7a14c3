package dev.ioloop;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeoutException;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class IOLoopRunSyncTests {

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
}
