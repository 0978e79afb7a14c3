package dev.ioloop.spring.boot.health;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import dev.ioloop.IOLoop;
import dev.ioloop.spring.boot.lifecycle.IOLoopLifecycle;
import dev.ioloop.spring.boot.lifecycle.ManagedLoop;
import dev.ioloop.test.RunningLoop;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** {@link IOLoopHealthIndicator} over a real loop on its own thread, with its lag probe running. */
class IOLoopHealthIndicatorTests {

    private static final Duration WAIT = Duration.ofSeconds(30);

    private final AtomicReference<IOLoopLifecycle.State> state = new AtomicReference<>(IOLoopLifecycle.State.RUNNING);

    private final CountDownLatch release = new CountDownLatch(1);

    private ManagedLoop managed;

    private RunningLoop running;

    private IOLoopHealthIndicator indicator;

    @BeforeEach
    void startLoop() throws Exception {
        IOLoop loop = IOLoop.builder().name("health-test").makeCurrent(false).build();
        this.managed = new ManagedLoop(loop, new ManagedLoop.Monitoring(Duration.ofMillis(10), Duration.ZERO, 0),
                this.state::get);
        this.running = RunningLoop.start(loop);
        this.managed.lagProbe().start();
        // The probe arms itself from a loop callback: after this drain a probe is armed.
        this.running.drain();
        this.indicator = new IOLoopHealthIndicator(this.managed, Duration.ofMillis(100));
    }

    @AfterEach
    void closeLoop() throws InterruptedException {
        this.release.countDown();
        this.managed.lagProbe().stop();
        if (this.running.loop().isRunning()) {
            this.running.close();
        }
    }

    @Test
    void upWithItsDetailsWhileTheLoopRuns() {
        await().atMost(WAIT).until(() -> this.indicator.health().getStatus().equals(Status.UP));
        Health health = this.indicator.health();
        assertThat(health.getDetails()).containsEntry("thread", "health-test")
            .containsEntry("running", true)
            .containsEntry("lagThresholdMillis", 100L)
            .containsKeys("lagMillis", "blockedForMillis", "pendingCallbacks", "pendingTimeouts")
            .doesNotContainKey("lifecycle");
        assertThat(health.getDetails().get("threadState")).isNotIn("NONE", "TERMINATED", "NEW");
        assertThat((double) health.getDetails().get("lagMillis")).isNotNegative();
    }

    @Test
    void downWithLagAndPendingCallbacksWhileBlockedPastTheThreshold() {
        this.running.loop().addCallback(() -> awaitRelease(this.release));
        this.running.loop().addCallback(() -> { });
        await().atMost(WAIT).until(() -> this.indicator.health().getStatus().equals(Status.DOWN));
        Health health = this.indicator.health();
        assertThat(health.getStatus()).isEqualTo(Status.DOWN);
        assertThat((double) health.getDetails().get("lagMillis")).isGreaterThanOrEqualTo(100.0);
        assertThat((double) health.getDetails().get("blockedForMillis")).isPositive();
        assertThat((long) health.getDetails().get("pendingCallbacks")).isPositive();
        assertThat(health.getDetails()).containsEntry("running", true).containsEntry("thread", "health-test");
        this.release.countDown();
        await().atMost(WAIT).until(() -> this.indicator.health().getStatus().equals(Status.UP));
    }

    @Test
    void downOnceTheLoopThreadHasEnded() throws Exception {
        this.managed.lagProbe().stop();
        this.running.close();
        Health health = this.indicator.health();
        assertThat(health.getStatus()).isEqualTo(Status.DOWN);
        assertThat(health.getDetails()).containsEntry("running", false)
            .containsEntry("thread", "none")
            .containsEntry("threadState", "NONE");
    }

    @Test
    void outOfServiceWhileTheLoopsStop() {
        this.state.set(IOLoopLifecycle.State.STOPPING);
        Health health = this.indicator.health();
        assertThat(health.getStatus()).isEqualTo(Status.OUT_OF_SERVICE);
        assertThat(health.getDetails()).containsEntry("lifecycle", "STOPPING").containsEntry("running", true);
    }

    static void awaitRelease(CountDownLatch release) {
        try {
            release.await(30, TimeUnit.SECONDS);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }
}
