package dev.ioloop.benchmarks;

import dev.ioloop.benchmarks.loop.Signal;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/**
 * B5 (JMH form): wake-up round trip. The benchmark thread adds one task to the (idle) loop and
 * parks until the task woke it: loop wake-up plus one unpark. {@link WakeupLatencyMain} measures
 * the one-way wake-up with an idle gap before each sample; this form gives JMH's percentiles.
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class WakeupLatencyBenchmark {

    /** The task that wakes the benchmark thread. */
    @State(Scope.Thread)
    public static class Ping implements Runnable {
        final Signal signal = new Signal();

        @Override
        public void run() {
            signal.fire();
        }
    }

    /**
     * One round trip.
     *
     * @param state the loop
     * @param ping the task
     */
    @Benchmark
    public void roundTrip(LoopState state, Ping ping) {
        ping.signal.arm();
        state.loop().execute(ping);
        ping.signal.await();
    }
}
