package dev.ioloop.spring.boot.metrics;

import java.util.concurrent.atomic.AtomicReference;

import dev.ioloop.LoopStats;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class LoopUtilizationTests {

    private final AtomicReference<LoopStats> stats = new AtomicReference<>(stats(0, 0));

    private final LoopUtilization utilization = new LoopUtilization(this.stats::get);

    @Test
    void isBusyOverBusyPlusIdleSinceThePreviousReading() {
        this.stats.set(stats(300, 700));
        assertThat(this.utilization.value()).isEqualTo(0.3);
        this.stats.set(stats(1300, 700));
        assertThat(this.utilization.value()).isEqualTo(1.0);
        this.stats.set(stats(1400, 1600));
        assertThat(this.utilization.value()).isEqualTo(0.1);
    }

    @Test
    void firstReadingCoversTheTimeSinceTheLoopWasCreated() {
        this.stats.set(stats(250, 750));
        assertThat(this.utilization.value()).isEqualTo(0.25);
    }

    @Test
    void isZeroWhenNoTimeWasAccountedSinceThePreviousReading() {
        this.stats.set(stats(250, 750));
        assertThat(this.utilization.value()).isEqualTo(0.25);
        assertThat(this.utilization.value()).isZero();
    }

    private static LoopStats stats(long busy, long idle) {
        return new LoopStats("test", 0, 0, 0, 0, 0, 0, busy, idle, 0, 0);
    }
}
