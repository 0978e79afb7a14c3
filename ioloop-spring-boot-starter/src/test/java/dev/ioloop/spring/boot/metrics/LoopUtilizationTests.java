package dev.ioloop.spring.boot.metrics;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

import dev.ioloop.LoopStats;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The fixed-window utilisation on a fake clock: only closing a window changes the value; reading never does. */
class LoopUtilizationTests {

    private static final long WINDOW = 10_000;

    private final AtomicReference<LoopStats> stats = new AtomicReference<>(stats(0, 0));

    private final AtomicInteger snapshots = new AtomicInteger();

    private final Supplier<LoopStats> source = () -> {
        this.snapshots.incrementAndGet();
        return this.stats.get();
    };

    private final LoopUtilization utilization = new LoopUtilization(WINDOW);

    @Test
    void isNaNUntilTheFirstWindowCloses() {
        this.utilization.sample(this.source, 0);
        this.stats.set(stats(300, 700));
        this.utilization.sample(this.source, WINDOW - 1);
        assertThat(this.utilization.value()).isNaN();
    }

    @Test
    void isBusyOverBusyPlusIdleOfTheLastClosedWindow() {
        this.utilization.sample(this.source, 0);
        this.stats.set(stats(300, 700));
        this.utilization.sample(this.source, WINDOW);
        assertThat(this.utilization.value()).isEqualTo(0.3);
        this.stats.set(stats(1300, 700));
        this.utilization.sample(this.source, WINDOW + WINDOW / 2); // the next window is still open
        assertThat(this.utilization.value()).isEqualTo(0.3);
        this.utilization.sample(this.source, 2 * WINDOW);
        assertThat(this.utilization.value()).isEqualTo(1.0);
    }

    @Test
    void readingNeverMovesTheWindow() {
        this.utilization.sample(this.source, 0);
        this.stats.set(stats(250, 750));
        this.utilization.sample(this.source, WINDOW);
        this.stats.set(stats(10_000, 750)); // busy since: a reader that started a window would now see 1.0
        for (int i = 0; i < 5; i++) {
            assertThat(this.utilization.value()).isEqualTo(0.25);
        }
    }

    @Test
    void takesASnapshotOnlyWhenAWindowOpensOrCloses() {
        for (long now = 0; now <= 3 * WINDOW; now += WINDOW / 10) {
            this.utilization.sample(this.source, now);
        }
        assertThat(this.snapshots).hasValue(4); // at 0, then at the end of each of the three windows
    }

    @Test
    void isZeroForAWindowWithNoAccountedTime() {
        this.utilization.sample(this.source, 0);
        this.utilization.sample(this.source, WINDOW);
        assertThat(this.utilization.value()).isZero();
    }

    private static LoopStats stats(long busy, long idle) {
        return new LoopStats("test", 0, 0, 0, 0, 0, 0, busy, idle, 0, 0);
    }
}
