package dev.ioloop.spring.boot.metrics;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import dev.ioloop.IOLoop;
import dev.ioloop.spring.boot.lifecycle.IOLoopLifecycle;
import dev.ioloop.spring.boot.lifecycle.ManagedLoop;
import dev.ioloop.spring.boot.lifecycle.MonitoredLoops;
import dev.ioloop.test.RunningLoop;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** {@link IOLoopMetrics} over real running loops and a real registry. */
class IOLoopMetricsTests {

    private static final Duration WAIT = Duration.ofSeconds(30);

    private static final ManagedLoop.Monitoring MONITORING = new ManagedLoop.Monitoring(Duration.ofMillis(10),
            Duration.ZERO, 0);

    private final List<RunningLoop> running = new ArrayList<>();

    private final MonitoredLoops loops = new MonitoredLoops();

    private final MeterRegistry registry = new SimpleMeterRegistry();

    private IOLoopMetrics metrics;

    @BeforeEach
    void bind() {
        this.loops.register(managed("main"));
        this.metrics = new IOLoopMetrics(this.loops, Tags.of("app", "test"), Duration.ofMillis(10),
                Duration.ofSeconds(10));
        this.metrics.bindTo(this.registry);
    }

    @AfterEach
    void close() throws InterruptedException {
        this.metrics.close();
        for (RunningLoop loop : this.running) {
            loop.close();
        }
    }

    @Test
    void everyMeterCarriesTheLoopsNameAndTheExtraTags() {
        assertThat(this.registry.getMeters()).hasSize(10).allSatisfy((meter) -> assertThat(meter.getId().getTags())
            .contains(Tag.of("name", "main"), Tag.of("app", "test")));
    }

    @Test
    void aLoopRegisteredLaterGetsItsMetersAndLosesThemWhenUnregistered() {
        ManagedLoop attached = managed("reactor-http-epoll-1");
        attached.startMonitoring();
        this.loops.register(attached);
        assertThat(this.registry.find("ioloop.busy").tag("name", "reactor-http-epoll-1").functionCounter()).isNotNull();
        // Its lag probe's samples reach its own timer through the metrics thread.
        await().atMost(WAIT).until(() -> this.registry.get("ioloop.lag").tag("name", "reactor-http-epoll-1").timer()
            .count() >= 3);
        this.loops.unregister(attached);
        attached.stopMonitoring();
        assertThat(this.registry.find("ioloop.busy").tag("name", "reactor-http-epoll-1").meters()).isEmpty();
        assertThat(this.registry.find("ioloop.lag").tag("name", "reactor-http-epoll-1").meters()).isEmpty();
        assertThat(this.registry.find("ioloop.busy").tag("name", "main").meters()).hasSize(1);
    }

    @Test
    void busyTimeCountsWhatTheLoopRanInSecondsAndNeverGoesDown() throws Exception {
        FunctionCounter busy = this.registry.get("ioloop.busy").tag("name", "main").functionCounter();
        FunctionCounter idle = this.registry.get("ioloop.idle").tag("name", "main").functionCounter();
        double before = busy.count();
        CountDownLatch ran = new CountDownLatch(1);
        this.running.get(0).loop().addCallback(() -> {
            spin(Duration.ofMillis(300));
            ran.countDown();
        });
        assertThat(ran.await(30, TimeUnit.SECONDS)).isTrue();
        // The snapshot is reused for up to a second: wait for a fresh one.
        await().atMost(WAIT).until(() -> busy.count() >= before + 0.3);
        double lastBusy = 0;
        double lastIdle = 0;
        for (int i = 0; i < 1000; i++) {
            double b = busy.count();
            double d = idle.count();
            assertThat(b).isGreaterThanOrEqualTo(lastBusy);
            assertThat(d).isGreaterThanOrEqualTo(lastIdle);
            lastBusy = b;
            lastIdle = d;
        }
    }

    private ManagedLoop managed(String name) {
        RunningLoop loop = RunningLoop.start(IOLoop.builder().name(name).makeCurrent(false).build());
        this.running.add(loop);
        return new ManagedLoop(loop.loop(), MONITORING, () -> IOLoopLifecycle.State.RUNNING);
    }

    private static void spin(Duration duration) {
        long end = System.nanoTime() + duration.toNanos();
        while (System.nanoTime() - end < 0) {
            Thread.onSpinWait();
        }
    }
}
