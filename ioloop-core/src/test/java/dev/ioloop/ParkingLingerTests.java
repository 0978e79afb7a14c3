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
}
