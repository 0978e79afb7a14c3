package dev.ioloop.benchmarks;

import dev.ioloop.benchmarks.loop.LoopUnderTest;
import dev.ioloop.benchmarks.loop.Signal;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * B4: timers, fire {@value #TIMERS} timers spread evenly over 100 ms. Single shot: the score is the
 * time from the first schedule (on the loop thread) until the last timer ran; the floor is 100 ms.
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class TimerFireBenchmark {

    /** Timers per shot. */
    public static final int TIMERS = 1_000_000;

    private static final long SPREAD_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    /** Schedules every timer, then counts them down as they fire. */
    @State(Scope.Thread)
    public static class Shot implements Runnable {
        final Signal signal = new Signal();
        final Runnable fired = this::fired;
        LoopUnderTest loop;
        int left; // loop thread only

        /**
         * Takes the loop of this trial.
         *
         * @param state the loop
         */
        @Setup(Level.Trial)
        public void setUp(LoopState state) {
            loop = state.loop();
        }

        @Override
        public void run() {
            left = TIMERS;
            for (int i = 0; i < TIMERS; i++) {
                loop.schedule(fired, i * SPREAD_NANOS / TIMERS);
            }
        }

        private void fired() {
            if (--left == 0) {
                signal.fire();
            }
        }
    }

    /**
     * One shot: schedules all timers on the loop and waits until the last fired.
     *
     * @param state the loop
     * @param shot the shot
     */
    @Benchmark
    public void fireAll(LoopState state, Shot shot) {
        shot.signal.arm();
        state.loop().execute(shot);
        shot.signal.await();
    }
}
