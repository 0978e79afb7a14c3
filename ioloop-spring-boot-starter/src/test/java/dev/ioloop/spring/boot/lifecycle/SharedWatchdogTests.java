package dev.ioloop.spring.boot.lifecycle;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import dev.ioloop.IOLoop;
import dev.ioloop.test.LogCapture;
import dev.ioloop.test.RunningLoop;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.event.Level;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** {@link SharedWatchdog}: several monitors of one running loop, each served past its own threshold. */
class SharedWatchdogTests {

    private static final Duration WAIT = Duration.ofSeconds(30);

    private final RunningLoop running = RunningLoop.start(IOLoop.builder().name("shared").makeCurrent(false).build());

    @AfterEach
    void closeLoop() throws Exception {
        this.running.close();
    }

    @Test
    void eachMonitorGetsTheReportsPastItsOwnThresholdAndTheStackIsLoggedOncePerReport() throws Exception {
        ManagedLoop quick = monitor(Duration.ofMillis(50));
        ManagedLoop patient = monitor(Duration.ofSeconds(20));
        try (LogCapture logs = LogCapture.start()) {
            quick.startMonitoring();
            patient.startMonitoring();
            block(Duration.ofMillis(300));
            await().atMost(WAIT).until(() -> !quick.blockedReports().isEmpty());
            // One action call records for every monitor whose threshold the block passed, so once the quick monitor
            // has its report the patient one has been asked and declined: 300 ms is far from 20 s.
            assertThat(patient.blockedReports()).isEmpty();
            assertThat(quick.blockedReports()).allSatisfy((report) -> assertThat(report.thresholdMillis()).isEqualTo(50));
            assertThat(logs.count(Level.WARN, "IOLoop 'shared' blocked for")).as("stack logs, one per report")
                .isEqualTo(quick.blockedReports().size());
        }
        finally {
            quick.stopMonitoring();
            patient.stopMonitoring();
        }
    }

    @Test
    void aMonitorThatStopsLeavesTheWatchdogToTheOthersAndTheLastOneRemovesIt() throws Exception {
        ManagedLoop first = monitor(Duration.ofMillis(50));
        ManagedLoop second = monitor(Duration.ofMillis(50));
        first.startMonitoring();
        second.startMonitoring();
        assertThat(SharedWatchdog.INSTANCE.subscribers(this.running.loop())).isEqualTo(2);
        second.stopMonitoring();
        assertThat(SharedWatchdog.INSTANCE.subscribers(this.running.loop())).isEqualTo(1);
        block(Duration.ofMillis(300));
        // Before, the second monitor's stop removed the loop's watchdog for the first one too.
        await().atMost(WAIT).until(() -> !first.blockedReports().isEmpty());
        assertThat(second.blockedReports()).isEmpty();
        first.stopMonitoring();
        first.stopMonitoring(); // twice: ignored
        assertThat(SharedWatchdog.INSTANCE.subscribers(this.running.loop())).isZero();
    }

    @Test
    void monitorsStartingAndStoppingOnManyThreadsAtOnceLoseNoSubscription() throws Exception {
        int threads = 8;
        int rounds = 500;
        ManagedLoop[] monitors = new ManagedLoop[threads];
        for (int i = 0; i < threads; i++) {
            monitors[i] = monitor(Duration.ofMillis(50 + i));
        }
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (ManagedLoop monitor : monitors) {
                done.add(pool.submit(() -> {
                    go.await();
                    for (int r = 0; r < rounds; r++) {
                        monitor.startMonitoring();
                        monitor.stopMonitoring();
                    }
                    monitor.startMonitoring(); // each ends subscribed
                    return null;
                }));
            }
            go.countDown();
            for (Future<?> future : done) {
                future.get(WAIT.toSeconds(), TimeUnit.SECONDS);
            }
            assertThat(SharedWatchdog.INSTANCE.subscribers(this.running.loop())).isEqualTo(threads);
            block(Duration.ofMillis(300));
            await().atMost(WAIT).until(() -> Arrays.stream(monitors)
                .allMatch((monitor) -> !monitor.blockedReports().isEmpty()));
        }
        finally {
            pool.shutdownNow();
            for (ManagedLoop monitor : monitors) {
                monitor.stopMonitoring();
            }
        }
        assertThat(SharedWatchdog.INSTANCE.subscribers(this.running.loop())).isZero();
    }

    @Test
    void aMonitorWithoutAWatchdogThresholdDoesNotSubscribe() {
        ManagedLoop unwatched = monitor(Duration.ZERO);
        unwatched.startMonitoring();
        try {
            assertThat(SharedWatchdog.INSTANCE.subscribers(this.running.loop())).isZero();
        }
        finally {
            unwatched.stopMonitoring();
        }
    }

    private ManagedLoop monitor(Duration threshold) {
        return new ManagedLoop("shared", this.running.loop(), new ManagedLoop.Monitoring(Duration.ofMillis(100),
                threshold, 4), () -> IOLoopLifecycle.State.RUNNING);
    }

    /** Blocks the loop thread for {@code duration} and waits until the block ended. */
    private void block(Duration duration) throws InterruptedException {
        CountDownLatch done = new CountDownLatch(1);
        this.running.loop().addCallback(() -> {
            try {
                Thread.sleep(duration.toMillis());
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
            }
            done.countDown();
        });
        assertThat(done.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
    }
}
