package dev.ioloop.spring.boot.metrics;

import java.util.concurrent.atomic.AtomicReference;

import dev.ioloop.LoopStats;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class LoopUtilizationTests {

    private final AtomicReference<LoopStats> stats = new AtomicReference<>(stats(0, 0, 0));

    private final LoopUtilization utilization = new LoopUtilization(this.stats::get);

    @Test
    void isBusyOverBusyPlusIdleSinceThePreviousReading() {
        assertThat(this.utilization.value()).isZero();
        this.stats.set(stats(300, 700, 0));
        assertThat(this.utilization.value()).isEqualTo(0.3);
        this.stats.set(stats(1300, 700, 0));
        assertThat(this.utilization.value()).isEqualTo(1.0);
        this.stats.set(stats(1400, 1600, 0));
        assertThat(this.utilization.value()).isEqualTo(0.1);
    }

    @Test
    void keepsThePreviousValueWhenNothingHappened() {
        this.stats.set(stats(250, 750, 0));
        assertThat(this.utilization.value()).isEqualTo(0.25);
        assertThat(this.utilization.value()).isEqualTo(0.25);
    }

    @Test
    void countsAnIterationStillRunningAsBusy() {
        this.stats.set(stats(0, 1000, 0));
        assertThat(this.utilization.value()).isZero();
        this.stats.set(stats(0, 1000, 3000));
        assertThat(this.utilization.value()).isEqualTo(1.0);
    }

    private static LoopStats stats(long busy, long idle, long blockedFor) {
        return new LoopStats(0, 0, 0, 0, 0, 0, busy, idle, 0, blockedFor);
    }
}
