package dev.ioloop.benchmarks;

import dev.ioloop.benchmarks.loop.LoopUnderTest;
import dev.ioloop.benchmarks.loop.Signal;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;

/**
 * B1: cross-thread callbacks. Each producer thread submits a burst of {@value #BURST} tasks
 * ({@code addCallback} / {@code execute}) and waits until the loop ran them all; the score is tasks
 * per second, summed over producers.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class CrossThreadCallbacksBenchmark {

    /** Tasks per burst. */
    public static final int BURST = 1_000;

    /** One producer's burst: the task it submits {@value #BURST} times, counting down on the loop. */
    @State(Scope.Thread)
    public static class Producer implements Runnable {
        final Signal signal = new Signal();
        int left; // loop thread only while a burst runs; the queue hand-off publishes the reset

        @Override
        public void run() {
            if (--left == 0) {
                signal.fire();
            }
        }

        void burst(LoopUnderTest loop) {
            left = BURST;
            signal.arm();
            for (int i = 0; i < BURST; i++) {
                loop.execute(this);
            }
            signal.await();
        }
    }

    /**
     * One producer thread.
     *
     * @param state the loop
     * @param producer this thread's burst
     */
    @Benchmark
    @Threads(1)
    @OperationsPerInvocation(BURST)
    public void oneProducer(LoopState state, Producer producer) {
        producer.burst(state.loop());
    }

    /**
     * Four producer threads at once, each with its own bursts.
     *
     * @param state the loop
     * @param producer this thread's burst
     */
    @Benchmark
    @Threads(4)
    @OperationsPerInvocation(BURST)
    public void fourProducers(LoopState state, Producer producer) {
        producer.burst(state.loop());
    }
}
