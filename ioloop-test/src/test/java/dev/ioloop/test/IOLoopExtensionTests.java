package dev.ioloop.test;

import java.nio.channels.SocketChannel;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import dev.ioloop.IOLoop;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.platform.testkit.engine.Events;
import org.slf4j.LoggerFactory;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What {@link IOLoopTest} does for a test, and how a test that leaves a problem behind fails: each case runs
 * a fixture test in JUnit's test kit and checks its outcome and the message a user reads.
 */
class IOLoopExtensionTests {

    /** The build sets the timeout (see the parent pom); tests that change it put it back. */
    private final String buildTimeout = System.getProperty(Await.TIMEOUT_PROPERTY);

    static final AtomicReference<Object> seen = new AtomicReference<>();

    @AfterEach
    void forget() {
        seen.set(null);
        if (buildTimeout == null) {
            System.clearProperty(Await.TIMEOUT_PROPERTY);
        } else {
            System.setProperty(Await.TIMEOUT_PROPERTY, buildTimeout);
        }
    }

    @Test
    void aTestGetsARunningLoopOnItsOwnThreadThatIsCurrentOnTheTestThreadAndClosedAfterwards() {
        Events events = Fixtures.run(RunningLoopFixture.class);

        events.assertStatistics(stats -> stats.succeeded(1).failed(0));
        RunningLoopFixture.Seen values = (RunningLoopFixture.Seen) seen.get();
        assertThat(values.loopThread()).isEqualTo("test-loop");
        assertThat(values.sameLoopForEveryParameter()).isTrue();
        assertThat(values.currentOnTestThread()).isTrue();
        assertThat(values.loop().isClosed()).isTrue();
        assertThat(values.channel().isOpen()).as("a channel left registered is closed with the loop").isFalse();
        assertThat(IOLoop.current(false)).as("the test thread's current loop is restored").isNull();
    }

    @IOLoopTest
    @Fixtures.Fixture
    static class RunningLoopFixture {
        record Seen(String loopThread, boolean sameLoopForEveryParameter, boolean currentOnTestThread, IOLoop loop,
                SocketChannel channel) {
        }

        @Test
        void test(RunningLoop running, IOLoop loop) throws Exception {
            String thread = running.call(() -> Thread.currentThread().getName());
            SocketChannel channel = SocketChannel.open();
            channel.configureBlocking(false);
            running.run(() -> loop.addHandler(channel, (c, events) -> { }, IOLoop.READ));
            seen.set(new Seen(thread, running.loop() == loop, IOLoop.current(false) == loop, loop, channel));
        }
    }

    @Test
    void aCallbackThatThrowsFailsTheTestWithItsExceptionAsTheCause() {
        Throwable failure = Fixtures.onlyFailure(Fixtures.run(CallbackThrowsFixture.class));

        assertThat(failure).isInstanceOf(AssertionError.class)
                .hasMessageContaining("IOLoop 'test-loop': 1 problem in the test:")
                .hasMessageContaining("a callback on IOLoop 'test-loop' threw java.lang.IllegalStateException: boom")
                .hasMessageContaining("ExpectLog.error(IOLoop.class, \"Exception in callback\")")
                .hasCauseInstanceOf(IllegalStateException.class);
        assertThat(failure.getMessage()).as("the ERROR record of the same exception is not reported twice")
                .doesNotContain("unexpected log record");
    }

    @IOLoopTest
    @Fixtures.Fixture
    static class CallbackThrowsFixture {
        @Test
        void test(RunningLoop loop) throws Exception {
            loop.loop().addCallback(() -> {
                throw new IllegalStateException("boom");
            });
            loop.drain();
        }
    }

    @Test
    void aCallbackExceptionTheTestExpectsWithExpectLogPasses() {
        Fixtures.run(ExpectedCallbackExceptionFixture.class).assertStatistics(stats -> stats.succeeded(1).failed(0));
    }

    @IOLoopTest
    @Fixtures.Fixture
    static class ExpectedCallbackExceptionFixture {
        @Test
        void test(RunningLoop loop) throws Exception {
            try (ExpectLog expected = ExpectLog.error(IOLoop.class, "Exception in callback")) {
                loop.loop().addCallback(() -> {
                    throw new IllegalStateException("boom");
                });
                loop.drain();
                assertThat(expected.count()).isEqualTo(1);
            }
        }
    }

    @Test
    void anUnexpectedErrorRecordFromAnyThreadFailsTheTestNamingTheRecord() {
        Throwable failure = Fixtures.onlyFailure(Fixtures.run(UnexpectedErrorFixture.class));

        assertThat(failure).isInstanceOf(AssertionError.class)
                .hasMessageContaining("unexpected log record: ERROR dev.ioloop.test.Payments [test-loop]: card declined")
                .hasMessageContaining("(java.io.IOException: gateway)")
                .hasCauseInstanceOf(java.io.IOException.class);
    }

    @IOLoopTest
    @Fixtures.Fixture
    static class UnexpectedErrorFixture {
        @Test
        void test(RunningLoop loop) throws Exception {
            loop.run(() -> LoggerFactory.getLogger("dev.ioloop.test.Payments")
                    .error("card {}", "declined", new java.io.IOException("gateway")));
        }
    }

    @Test
    void aWarnRecordNoExpectLogMatchedFailsTheTestEvenWhileAnotherIsOpen() {
        Throwable failure = Fixtures.onlyFailure(Fixtures.run(UnmatchedWarnFixture.class));

        assertThat(failure).hasMessageContaining("1 problem")
                .hasMessageContaining("unexpected log record: WARN dev.ioloop.test.Other [")
                .hasMessageContaining("]: disk almost full")
                .hasMessageNotContaining("retrying");
    }

    @IOLoopTest
    @Fixtures.Fixture
    static class UnmatchedWarnFixture {
        @Test
        void test() {
            try (ExpectLog expected = ExpectLog.warn(Payments.class, "retrying")) {
                LoggerFactory.getLogger(Payments.class).warn("retrying in 1 s");
                LoggerFactory.getLogger("dev.ioloop.test.Other").warn("disk almost full");
            }
        }
    }

    static final class Payments {
    }

    @Test
    void aTestThatFailsAlsoReportsTheCallbackExceptionThatProbablyCausedIt() {
        Throwable failure = Fixtures.onlyFailure(Fixtures.run(FailingTestAndCallbackFixture.class));

        assertThat(failure).as("the test's own failure comes first").hasMessageContaining("timed out after 200 ms");
        assertThat(failure.getSuppressed()).anySatisfy(suppressed -> assertThat(suppressed)
                .hasMessageContaining("threw java.lang.ArithmeticException: / by zero"));
    }

    @IOLoopTest
    @Fixtures.Fixture
    static class FailingTestAndCallbackFixture {
        @Test
        void test(RunningLoop loop) throws Exception {
            java.util.concurrent.CompletableFuture<Integer> never = new java.util.concurrent.CompletableFuture<>();
            loop.loop().addCallback(() -> never.complete(1 / zero()));
            loop.await(never, java.time.Duration.ofMillis(200));
        }

        private static int zero() {
            return 0;
        }
    }

    @Test
    void aLoopThatDoesNotStopFailsTheTestShowingWhereItsThreadIs() throws Exception {
        System.setProperty(Await.TIMEOUT_PROPERTY, "0.5");
        try {
            Throwable failure = Fixtures.onlyFailure(Fixtures.run(StuckLoopFixture.class));

            assertThat(failure).hasMessageContaining("IOLoop 'test-loop' did not stop within 500 ms")
                    .hasMessageContaining("the loop thread 'test-loop' (WAITING) was at")
                    .hasMessageContaining("StuckLoopFixture.waitForever");
        } finally {
            StuckLoopFixture.release.countDown();
        }
        RunningLoop stuck = (RunningLoop) seen.get();
        stuck.thread().join(TimeUnit.SECONDS.toMillis(30));
        assertThat(stuck.thread().isAlive()).as("the loop stops once its callback returns").isFalse();
        assertThat(stuck.loop().isClosed()).as("the extension could not close a running loop").isFalse();
        stuck.loop().close(true);
    }

    @IOLoopTest
    @Fixtures.Fixture
    static class StuckLoopFixture {
        static final CountDownLatch release = new CountDownLatch(1);
        static final CountDownLatch entered = new CountDownLatch(1);

        @Test
        void test(RunningLoop loop) throws Exception {
            seen.set(loop);
            loop.loop().addCallback(StuckLoopFixture::waitForever);
            assertThat(entered.await(30, TimeUnit.SECONDS)).isTrue();
        }

        static void waitForever() {
            entered.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Test
    void aLoopThreadThatDiesFailsTheWaitAtOnceAndTheTest() {
        Throwable failure = Fixtures.onlyFailure(Fixtures.run(DyingLoopFixture.class));

        assertThat(failure).hasMessageContaining("the loop thread 'test-loop' died before the stage completed: its"
                + " start() threw java.lang.InternalError: simulated");
        assertThat(failure.getSuppressed()).anySatisfy(suppressed -> assertThat(suppressed)
                .hasMessageContaining("the loop thread 'test-loop' died: its start() threw java.lang.InternalError"));
    }

    @IOLoopTest
    @Fixtures.Fixture
    static class DyingLoopFixture {
        @Test
        void test(RunningLoop loop) throws Exception {
            try (ExpectLog expected = ExpectLog.error(IOLoop.class, "Exception in callback")) {
                loop.loop().addCallback(() -> {
                    throw new InternalError("simulated"); // a VirtualMachineError ends start()
                });
                // Well within the default timeout: the wait must end because the thread died, not time out.
                loop.await(new java.util.concurrent.CompletableFuture<Void>(), java.time.Duration.ofSeconds(60));
            }
        }
    }

    @Test
    void aFakeClockParameterWithoutAFakeClockLoopFailsNamingTheAttribute() {
        Throwable failure = Fixtures.onlyFailure(Fixtures.run(FakeClockMissingFixture.class));

        assertThat(failure).hasMessageContaining("a FakeClock parameter needs @IOLoopTest(fakeClock = true)");
    }

    @IOLoopTest
    @Fixtures.Fixture
    static class FakeClockMissingFixture {
        @Test
        void test(FakeClock clock) {
        }
    }

    @Test
    void registeringTheExtensionTwiceFailsSayingSo() {
        Throwable failure = Fixtures.onlyFailure(Fixtures.run(TwiceFixture.class));

        assertThat(failure).hasMessageContaining("IOLoopExtension is registered twice");
    }

    @IOLoopTest
    @Fixtures.Fixture
    static class TwiceFixture {
        @RegisterExtension
        final IOLoopExtension again = IOLoopExtension.customizing(builder -> { });

        @Test
        void test() {
        }
    }

    @Test
    void methodAttributesOverrideTheClassesAndTheCustomizerShapesTheBuilder() {
        Fixtures.run(AttributesFixture.class).assertStatistics(stats -> stats.succeeded(2).failed(0));
    }

    @IOLoopTest(name = "class-loop")
    @Fixtures.Fixture
    static class AttributesFixture {
        @Test
        void classAttributes(RunningLoop loop) {
            assertThat(loop.loop().name()).isEqualTo("class-loop");
            assertThat(IOLoop.current(false)).isSameAs(loop.loop());
        }

        @Test
        @IOLoopTest(name = "method-loop", makeCurrent = false, fakeClock = true)
        void methodAttributes(RunningLoop loop, FakeClock clock) {
            assertThat(loop.loop().name()).isEqualTo("method-loop");
            assertThat(loop.thread().getName()).isEqualTo("method-loop");
            assertThat(IOLoop.current(false)).isNull();
            assertThat(loop.clock()).isSameAs(clock);
            assertThat(loop.loop().time()).isEqualTo(FakeClock.DEFAULT_START_NANOS / 1e9);
        }
    }

    @Test
    void aRegisteredExtensionPassesEachBuilderToItsCustomizer() {
        Fixtures.run(CustomizedFixture.class).assertStatistics(stats -> stats.succeeded(1).failed(0));
    }

    @Fixtures.Fixture
    static class CustomizedFixture {
        static final FakeClock CLOCK = new FakeClock(42_000_000_000L);

        @RegisterExtension
        final IOLoopExtension loops = IOLoopExtension.customizing(builder -> builder.name("custom").clock(CLOCK));

        @Test
        void test(IOLoop loop) {
            assertThat(loop.name()).isEqualTo("custom");
            assertThat(loop.time()).isEqualTo(42.0);
        }
    }

    @Nested
    class LifecycleMethods {
        @Test
        void beforeAndAfterEachMethodsGetTheTestsLoop() {
            Fixtures.run(LifecycleFixture.class).assertStatistics(stats -> stats.succeeded(1).failed(0));
            assertThat(seen.get()).isEqualTo("before, test, after on one loop");
        }
    }

    @IOLoopTest
    @Fixtures.Fixture
    static class LifecycleFixture {
        private IOLoop before;

        @BeforeEach
        void before(IOLoop loop) {
            this.before = loop;
        }

        @Test
        void test(IOLoop loop) {
            assertThat(loop).isSameAs(before);
        }

        @AfterEach
        void after(RunningLoop loop) {
            if (loop.loop() == before && !loop.loop().isClosed()) {
                seen.set("before, test, after on one loop");
            }
        }
    }
}
