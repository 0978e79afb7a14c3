package dev.ioloop.spring.boot.scheduling;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import dev.ioloop.IOLoop;
import dev.ioloop.test.RunningLoop;
import dev.ioloop.test.FakeClock;
import io.micrometer.observation.ObservationRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Run accounting of one callback, on a fake clock so the schedule and the numbers are exact. */
class ScheduledPeriodicCallbackTests {

    private final FakeClock clock = new FakeClock();

    private IOLoop loop;

    private RunningLoop running;

    @BeforeEach
    void startLoop() {
        this.running = RunningLoop.start(IOLoop.builder().name("fake").clock(this.clock).makeCurrent(false).build());
        this.loop = this.running.loop();
    }

    @AfterEach
    void closeLoop() throws InterruptedException {
        this.running.close();
    }

    @Test
    void overrunSkipsThePeriodsItCoveredAndTimesTheRunOnTheLoopClock() throws Exception {
        SlowJob job = new SlowJob(this.clock, Duration.ofMillis(350));
        ScheduledPeriodicCallback callback = new ScheduledPeriodicCallback("job", job,
                SlowJob.class.getDeclaredMethod("run"), this.loop, "fake", Duration.ofMillis(100), 0, null);
        callback.start(ObservationRegistry.NOOP, null);
        onLoop(() -> { }); // armed: first run at +100ms

        advanceAndWake(Duration.ofMillis(100)); // run 1 at +100ms "takes" 350ms: the grid points 200, 300, 400 pass
        await().atMost(Duration.ofSeconds(30)).until(() -> callback.getRuns() == 1);
        assertThat(callback.getTotalTimeNanos()).isEqualTo(Duration.ofMillis(350).toNanos());

        advanceAndWake(Duration.ofMillis(50)); // +500ms: the next grid point
        await().atMost(Duration.ofSeconds(30)).until(() -> callback.getRuns() == 2);
        assertThat(callback.getSkipped()).isEqualTo(3);
        assertThat(callback.getErrors()).isZero();
        assertThat(job.calls.get()).isEqualTo(2);

        callback.cancel();
        onLoop(() -> { });
        advanceAndWake(Duration.ofSeconds(1));
        onLoop(() -> { });
        assertThat(job.calls.get()).isEqualTo(2);
        assertThat(callback.getNextRun()).isNull();
    }

    private void advanceAndWake(Duration duration) throws Exception {
        this.clock.advance(duration);
        onLoop(() -> { });
    }

    private void onLoop(Runnable action) throws Exception {
        CompletableFuture<Void> done = new CompletableFuture<>();
        this.loop.addCallback(() -> {
            action.run();
            done.complete(null);
        });
        done.get(30, TimeUnit.SECONDS);
    }

    static class SlowJob {

        final AtomicInteger calls = new AtomicInteger();

        private final FakeClock clock;

        private final Duration firstRunTakes;

        SlowJob(FakeClock clock, Duration firstRunTakes) {
            this.clock = clock;
            this.firstRunTakes = firstRunTakes;
        }

        void run() {
            if (this.calls.incrementAndGet() == 1) {
                this.clock.advance(this.firstRunTakes);
            }
        }
    }
}
