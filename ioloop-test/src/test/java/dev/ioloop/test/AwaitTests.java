package dev.ioloop.test;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;

import dev.ioloop.IOLoop;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The waits: values, failures as themselves, and timeouts that show where the loop thread was. */
class AwaitTests {

    /** The build sets the timeout (see the parent pom); tests that change it put it back. */
    private final String buildTimeout = System.getProperty(Await.TIMEOUT_PROPERTY);

    @AfterEach
    void restoreTimeout() {
        if (buildTimeout == null) {
            System.clearProperty(Await.TIMEOUT_PROPERTY);
        } else {
            System.setProperty(Await.TIMEOUT_PROPERTY, buildTimeout);
        }
    }

    @Test
    void theDefaultTimeoutIsFiveSecondsAsTornados() {
        System.clearProperty(Await.TIMEOUT_PROPERTY); // this build sets it (see the parent pom)
        assertThat(Await.timeout()).isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void theTimeoutPropertyTakesSecondsOrAnIsoDuration() {
        System.setProperty(Await.TIMEOUT_PROPERTY, "0.25");
        assertThat(Await.timeout()).isEqualTo(Duration.ofMillis(250));
        System.setProperty(Await.TIMEOUT_PROPERTY, " 30 ");
        assertThat(Await.timeout()).isEqualTo(Duration.ofSeconds(30));
        System.setProperty(Await.TIMEOUT_PROPERTY, "PT1M");
        assertThat(Await.timeout()).isEqualTo(Duration.ofMinutes(1));
    }

    @Test
    void aBadTimeoutPropertyIsRejectedNamingItAndItsValue() {
        for (String bad : new String[] {"soon", "0", "-1", "PT0S", "P"}) {
            System.setProperty(Await.TIMEOUT_PROPERTY, bad);
            assertThatThrownBy(Await::timeout).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("system property 'ioloop.test.timeout' must be a positive number of seconds (such as 30"
                            + " or 0.5) or an ISO-8601 duration (such as PT1M) (was '" + bad + "')");
        }
    }

    @Test
    void aStagesFailureIsThrownAsItselfCheckedOrNot() {
        IOException checked = new IOException("reset");
        assertThatThrownBy(() -> Await.result(CompletableFuture.failedFuture(checked))).isSameAs(checked);
        IllegalStateException unchecked = new IllegalStateException("closed");
        assertThatThrownBy(() -> Await.result(CompletableFuture.failedFuture(new CompletionException(unchecked))))
                .isSameAs(unchecked);
        AssertionError error = new AssertionError("inner");
        assertThatThrownBy(() -> Await.result(CompletableFuture.failedFuture(error))).isSameAs(error);
        CompletableFuture<String> cancelled = new CompletableFuture<>();
        cancelled.cancel(false);
        assertThatThrownBy(() -> Await.result(cancelled)).isInstanceOf(CancellationException.class);
    }

    @Test
    void aTimeoutWithoutALoopSaysHowLongAndHowToChangeIt() {
        assertThatThrownBy(() -> Await.result(new CompletableFuture<>(), Duration.ofMillis(50)))
                .isInstanceOf(AssertionError.class)
                .hasMessage("timed out after 50 ms waiting for a stage (the default is set with"
                        + " -Dioloop.test.timeout=<seconds>)");
    }

    @Test
    void aTimeoutShowsTheLoopThreadsStackInTheMessageAndAllOfItAsTheCause() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        try (RunningLoop loop = RunningLoop.start(IOLoop.builder().name("stuck-loop").makeCurrent(false).build())) {
            loop.run(() -> loop.loop().addCallback(() -> blockInACallback(release)));
            try {
                assertThatThrownBy(() -> loop.await(new CompletableFuture<>(), Duration.ofMillis(200)))
                        .isInstanceOf(AssertionError.class)
                        .hasMessageStartingWith("timed out after 200 ms waiting for a stage (the default is set with"
                                + " -Dioloop.test.timeout=<seconds>); the loop thread 'stuck-loop' (WAITING) was at:")
                        .hasMessageContaining("AwaitTests.blockInACallback(AwaitTests.java")
                        .cause().isInstanceOf(Await.LoopThreadStack.class)
                        .satisfies(stack -> assertThat(stack.getStackTrace()).anySatisfy(frame ->
                                assertThat(frame.getMethodName()).isEqualTo("blockInACallback")));
            } finally {
                release.countDown();
            }
        }
    }

    private static void blockInACallback(CountDownLatch release) {
        try {
            release.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void aTimeoutUnderIOLoopTestUsesTheCurrentLoopsThread() {
        Throwable failure = Fixtures.onlyFailure(Fixtures.run(AwaitTimesOutFixture.class));

        assertThat(failure).isInstanceOf(AssertionError.class)
                .hasMessageStartingWith("timed out after 300 ms waiting for a stage")
                .hasMessageContaining("the loop thread 'test-loop' (RUNNABLE) was at:")
                .hasMessageContaining("AwaitTimesOutFixture.spin");
    }

    @IOLoopTest
    @Fixtures.Fixture
    static class AwaitTimesOutFixture {
        static volatile boolean spinning = true;

        @Test
        void test(RunningLoop loop) throws Exception {
            loop.loop().addCallback(AwaitTimesOutFixture::spin);
            try {
                Await.result(new CompletableFuture<>(), Duration.ofMillis(300));
            } finally {
                spinning = false;
            }
        }

        static void spin() {
            while (spinning) {
                Thread.onSpinWait();
            }
        }
    }

    @Test
    void theDefaultTimeoutComesFromThePropertyAtEachWait() {
        System.setProperty(Await.TIMEOUT_PROPERTY, "0.1");

        assertThatThrownBy(() -> Await.result(new CompletableFuture<>())).hasMessageStartingWith("timed out after 100 ms");
    }

    @Test
    void waitingOnTheLoopThreadForTheLoopFailsAtOnce() throws Exception {
        try (RunningLoop loop = RunningLoop.start(IOLoop.builder().name("self").makeCurrent(false).build())) {
            Throwable failure = loop.call(() -> {
                try {
                    loop.await(new CompletableFuture<>());
                    return null;
                } catch (IllegalStateException e) {
                    return e;
                }
            });
            assertThat(failure).hasMessage("waiting for a stage on the loop's own thread 'self' would block the loop that"
                    + " completes it: wait from the test thread");
        }
    }

    @Test
    void runSyncCallsTheFunctionOnTheLoopAndReturnsTheStagesValue() throws Exception {
        try (RunningLoop loop = RunningLoop.start(IOLoop.builder().name("sync").makeCurrent(false).build())) {
            String value = loop.runSync(() -> CompletableFuture.completedFuture(Thread.currentThread().getName()));
            assertThat(value).isEqualTo("sync");
            assertThat(loop.<String>runSync(() -> null)).isNull();
            IOException failure = new IOException("refused");
            assertThatThrownBy(() -> loop.runSync(() -> {
                throw failure;
            })).isSameAs(failure);
        }
    }

    @Test
    void runSyncCancelsTheStageItGaveUpOn() throws Exception {
        try (RunningLoop loop = RunningLoop.start(IOLoop.builder().name("sync").makeCurrent(false).build())) {
            CompletableFuture<String> never = new CompletableFuture<>();
            assertThatThrownBy(() -> loop.runSync(() -> never, Duration.ofMillis(100)))
                    .hasMessageStartingWith("timed out after 100 ms");
            assertThat(never).isCancelled();
        }
    }
}
