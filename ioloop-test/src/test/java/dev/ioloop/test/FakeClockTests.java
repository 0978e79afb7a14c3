package dev.ioloop.test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.ioloop.PeriodicCallback;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The fake clock on its own, and driving a test's loop. */
@IOLoopTest(fakeClock = true)
class FakeClockTests {

    @Test
    void movesOnlyWhenMoved() {
        FakeClock clock = new FakeClock(5);
        assertThat(clock.nanoTime()).isEqualTo(5);
        clock.advance(Duration.ofNanos(10));
        clock.advanceNanos(-3);
        assertThat(clock.nanoTime()).isEqualTo(12);
        assertThatThrownBy(() -> clock.advance(Duration.ofNanos(-1))).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("'duration' must not be negative (was PT-0.000000001S)");
    }

    @Test
    void advanceRunsWhatIsDueAndNothingLater(RunningLoop loop, FakeClock clock) throws Exception {
        List<String> runs = new CopyOnWriteArrayList<>();
        loop.run(() -> {
            loop.loop().callLater(Duration.ofSeconds(1), () -> runs.add("1s"));
            loop.loop().callLater(Duration.ofSeconds(2), () -> runs.add("2s"));
        });

        loop.advance(Duration.ofMillis(999));
        assertThat(runs).isEmpty();
        loop.advance(Duration.ofMillis(1));
        assertThat(runs).containsExactly("1s");
        loop.advance(Duration.ofSeconds(5));
        assertThat(runs).containsExactly("1s", "2s");
        assertThat(loop.clock()).isSameAs(clock);
    }

    @Test
    void aPeriodicCallbackRunsOncePerPeriodOfFakeTime(RunningLoop loop) throws Exception {
        List<Double> runs = new CopyOnWriteArrayList<>();
        PeriodicCallback periodic = new PeriodicCallback(() -> runs.add(loop.loop().time()), Duration.ofSeconds(10));
        loop.run(() -> periodic.start(loop.loop()));
        double start = loop.call(() -> loop.loop().time());

        for (int i = 0; i < 3; i++) {
            loop.advance(Duration.ofSeconds(10));
        }
        loop.run(periodic::stop);
        assertThat(runs).containsExactly(start + 10, start + 20, start + 30);
    }

    @Test
    @IOLoopTest
    void advanceOnASystemClockLoopSaysWhatToDo(RunningLoop loop) {
        assertThatThrownBy(() -> loop.advance(Duration.ofSeconds(1))).isInstanceOf(IllegalStateException.class)
                .hasMessage("IOLoop 'test-loop' does not run on a FakeClock: annotate the test with"
                        + " @IOLoopTest(fakeClock = true), or start the loop with RunningLoop.start(loop, clock)");
    }
}
