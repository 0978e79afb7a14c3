package dev.ioloop.spring.boot.lifecycle;

import java.time.Duration;
import java.util.List;

import dev.ioloop.IOLoop;
import dev.ioloop.test.LogCapture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.event.Level;

import static org.assertj.core.api.Assertions.assertThat;

class ManagedLoopTests {

    private final IOLoop loop = IOLoop.builder().name("watched").makeCurrent(false).build();

    @AfterEach
    void closeLoop() {
        this.loop.close();
    }

    @Test
    void aReportAndItsLogLineCarryTheWatchdogsMeasureNotWhatStatsShowWhenTheActionRuns() {
        ManagedLoop managed = new ManagedLoop(this.loop, new ManagedLoop.Monitoring(Duration.ofMillis(100),
                Duration.ofMillis(200), 2), () -> IOLoopLifecycle.State.RUNNING);
        // The loop is not blocked now (stats() shows 0), as when a block ends between the watchdog's check and its
        // action: the report must keep what the watchdog measured.
        assertThat(this.loop.stats().blockedForNanos()).isZero();
        try (LogCapture logs = LogCapture.start()) {
            managed.watchdogAction(200).blocked(Thread.currentThread(), Duration.ofMillis(350).toNanos());
            assertThat(logs.count(Level.WARN, "IOLoop 'watched' blocked for 350 ms on thread "
                    + Thread.currentThread().getName())).isEqualTo(1);
        }
        List<BlockedLoopReport> reports = managed.blockedReports();
        assertThat(reports).singleElement().satisfies((report) -> {
            assertThat(report.blockedMillis()).isEqualTo(350);
            assertThat(report.thresholdMillis()).isEqualTo(200);
            assertThat(report.loop()).isEqualTo("watched");
            assertThat(report.thread()).isEqualTo(Thread.currentThread().getName());
            assertThat(report.stack()).anyMatch((frame) -> frame.contains(
                    "aReportAndItsLogLineCarryTheWatchdogsMeasureNotWhatStatsShowWhenTheActionRuns"));
        });
    }

    @Test
    void keepsTheMostRecentReportsUpToItsLimit() {
        ManagedLoop managed = new ManagedLoop(this.loop, new ManagedLoop.Monitoring(Duration.ofMillis(100),
                Duration.ofMillis(200), 2), () -> IOLoopLifecycle.State.RUNNING);
        for (long millis : new long[] { 200, 400, 800 }) {
            managed.watchdogAction(200).blocked(Thread.currentThread(), Duration.ofMillis(millis).toNanos());
        }
        assertThat(managed.blockedReports()).extracting(BlockedLoopReport::blockedMillis).containsExactly(400L, 800L);
    }
}
