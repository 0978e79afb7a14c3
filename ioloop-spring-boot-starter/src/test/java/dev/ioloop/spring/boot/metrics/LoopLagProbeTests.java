package dev.ioloop.spring.boot.metrics;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import dev.ioloop.IOLoop;
import dev.ioloop.IOLoopThread;
import dev.ioloop.test.RunningLoop;
import dev.ioloop.test.FakeClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.awaitility.Awaitility.await;

class LoopLagProbeTests {

    private static final Duration WAIT = Duration.ofSeconds(30);

    private IOLoop loop;

    private RunningLoop running;

    @BeforeEach
    void startLoop() {
        this.running = RunningLoop.start(IOLoop.builder().name("probe-test").makeCurrent(false).build());
        this.loop = this.running.loop();
    }

    @AfterEach
    void closeLoop() throws InterruptedException {
        this.running.close();
    }

    @Test
    void recordsOneSamplePerIntervalAndDrainsEachOnce() {
        LoopLagProbe probe = new LoopLagProbe(this.loop, Duration.ofMillis(5));
        probe.start();
        List<Long> samples = new ArrayList<>();
        await().atMost(WAIT).until(() -> {
            probe.drain(samples::add);
            return samples.size() >= 5;
        });
        assertThat(samples).allSatisfy((lag) -> assertThat(lag).isNotNegative());
        int before = samples.size();
        probe.stop();
        // Once stop() has been handled on the loop, no probe is armed: at most the samples already taken remain.
        CountDownLatch handled = new CountDownLatch(1);
        this.loop.addCallback(handled::countDown);
        await().atMost(WAIT).until(() -> handled.getCount() == 0);
        probe.drain(samples::add);
        int afterStop = samples.size();
        CountDownLatch later = new CountDownLatch(1);
        this.loop.callLater(Duration.ofMillis(50), later::countDown);
        await().atMost(WAIT).until(() -> later.getCount() == 0);
        probe.drain(samples::add);
        assertThat(samples).hasSize(afterStop);
        assertThat(afterStop).isGreaterThanOrEqualTo(before);
        assertThat(probe.currentLagNanos()).isEqualTo(probe.lastLagNanos());
        assertThat(probe.isRunning()).isFalse();
    }

    @Test
    void showsTheLagOfABlockedLoopBeforeTheBlockingCallbackReturns() {
        LoopLagProbe probe = new LoopLagProbe(this.loop, Duration.ofMillis(5));
        probe.start();
        await().atMost(WAIT).until(() -> probe.drain((lag) -> { }) > 0);
        CountDownLatch release = new CountDownLatch(1);
        this.loop.addCallback(() -> {
            try {
                release.await(30, TimeUnit.SECONDS);
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
            }
        });
        await().atMost(WAIT).until(() -> probe.currentLagNanos() >= Duration.ofMillis(200).toNanos());
        release.countDown();
        List<Long> samples = new ArrayList<>();
        await().atMost(WAIT).until(() -> {
            probe.drain(samples::add);
            return samples.stream().anyMatch((lag) -> lag >= Duration.ofMillis(200).toNanos());
        });
        probe.stop();
    }

    @Test
    void measuresHowLateTheProbeFiresOnTheLoopsClock() throws Exception {
        FakeClock clock = new FakeClock();
        IOLoop faked = IOLoop.builder().name("fake-clock").clock(clock).makeCurrent(false).build();
        IOLoopThread loopThread = IOLoopThread.start(faked, "fake-clock-loop", false);
        try {
            LoopLagProbe probe = new LoopLagProbe(faked, Duration.ofMillis(100));
            probe.start();
            onLoop(faked, () -> { }); // the probe is armed, due at +100ms
            // A callback that "runs" 350ms: the probe, due 100ms after arming, fires 250ms late.
            onLoop(faked, () -> clock.advance(Duration.ofMillis(350)));
            List<Long> samples = new ArrayList<>();
            await().atMost(WAIT).until(() -> {
                probe.drain(samples::add);
                return !samples.isEmpty();
            });
            assertThat(samples).containsExactly(Duration.ofMillis(250).toNanos());
            assertThat(probe.lastLagNanos()).isEqualTo(Duration.ofMillis(250).toNanos());
            // Re-armed at the firing, due at +100ms: 1s later it is 900ms overdue, whether or not it has fired yet.
            onLoop(faked, () -> { });
            clock.advance(Duration.ofSeconds(1));
            assertThat(probe.currentLagNanos()).isEqualTo(Duration.ofMillis(900).toNanos());
            probe.stop();
        }
        finally {
            faked.addCallback(faked::stop);
            loopThread.join(Duration.ofSeconds(30));
            faked.close();
        }
    }

    private static void onLoop(IOLoop loop, Runnable action) throws Exception {
        java.util.concurrent.CompletableFuture<Void> done = new java.util.concurrent.CompletableFuture<>();
        loop.addCallback(() -> {
            action.run();
            done.complete(null);
        });
        done.get(30, TimeUnit.SECONDS);
    }

    @Test
    void rejectsANonPositiveInterval() {
        assertThatIllegalArgumentException().isThrownBy(() -> new LoopLagProbe(this.loop, Duration.ZERO))
            .withMessage("'interval' must be positive (was PT0S)");
    }
}
