package dev.ioloop.spring.boot.metrics;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import dev.ioloop.LoopStats;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** One snapshot serves every meter read within its maximum age (fake clock), then a new one is taken. */
class SharedLoopStatsTests {

    private final AtomicLong clock = new AtomicLong();

    private final AtomicInteger taken = new AtomicInteger();

    private final SharedLoopStats shared = new SharedLoopStats(
            () -> new LoopStats("test", 0, 0, 0, this.taken.incrementAndGet(), 0, 0, 0, 0, 0, 0), this.clock::get, 1000);

    @Test
    void everyReadWithinTheMaximumAgeGetsTheSameSnapshot() {
        LoopStats first = this.shared.get();
        this.clock.set(999);
        for (int i = 0; i < 10; i++) {
            assertThat(this.shared.get()).isSameAs(first);
        }
        assertThat(this.taken).hasValue(1);
    }

    @Test
    void aReadAtTheMaximumAgeTakesAFreshSnapshot() {
        LoopStats first = this.shared.get();
        this.clock.set(1000);
        LoopStats second = this.shared.get();
        assertThat(second).isNotSameAs(first);
        assertThat(second.callbacksRun()).isEqualTo(2);
        this.clock.set(1500);
        assertThat(this.shared.get()).isSameAs(second);
    }
}
