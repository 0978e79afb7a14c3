package dev.ioloop;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The linger's adaptive budget, driven by hand on one thread (the loop thread's view). */
class ParkingLingerTests {

    private final ParkingLinger linger = new ParkingLinger();

    @Test
    void lingersThatKeepGivingUpHalveTheBudgetDownToTheFloor() {
        List<Long> budgets = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            assertThat(linger.linger(() -> false, IOLoopBackend.FOREVER)).isFalse();
            budgets.add(linger.budgetNanos());
        }
        long max = ParkingLinger.MAX_NANOS;
        long min = ParkingLinger.MIN_NANOS;
        assertThat(budgets).containsExactly(max / 2, max / 4, max / 8, max / 16, min, min, min, min);
    }

    @Test
    void aLingerThatFindsWorkReturnsAtItsFirstLookAndRestoresTheFullBudget() {
        for (int i = 0; i < 8; i++) {
            linger.linger(() -> false, IOLoopBackend.FOREVER);
        }
        AtomicInteger looks = new AtomicInteger();
        assertThat(linger.linger(() -> looks.incrementAndGet() > 0, IOLoopBackend.FOREVER)).isTrue();
        assertThat(looks).hasValue(1);
        assertThat(linger.budgetNanos()).isEqualTo(ParkingLinger.MAX_NANOS);
    }

    @Test
    void aLingerWithNoTimeLeftStillLooksOnceAndThenGivesUp() {
        AtomicInteger looks = new AtomicInteger();
        assertThat(linger.linger(() -> looks.incrementAndGet() > 1, 1)).isFalse();
        assertThat(looks).hasValue(1);
    }

    @Test
    void aLingerThatFindsNothingLooksOnlyEveryLookIntervalAndAtItsEnd() {
        // looks a yield apart would catch a producer's callbacks one by one (lock-step); spaced looks each
        // find a batch. A full budget allows a look at each interval and one at the end, never more.
        AtomicInteger looks = new AtomicInteger();
        assertThat(linger.linger(() -> looks.incrementAndGet() < 0, IOLoopBackend.FOREVER)).isFalse();
        assertThat(looks.get()).isBetween(1, (int) (ParkingLinger.MAX_NANOS / ParkingLinger.LOOK_EVERY_NANOS) + 1);
    }
}
