package dev.ioloop.benchmarks;

import dev.ioloop.benchmarks.loop.LoopUnderTest;
import dev.ioloop.benchmarks.loop.Signal;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * B2: same-thread chain. A task that, on the loop thread, submits the next one, {@value #LENGTH}
 * times; the score is tasks per second. Only the first submission crosses threads.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class CallbackChainBenchmark {

    /** Tasks per chain. */
    public static final int LENGTH = 10_000;

    /** The chain: runs on the loop and resubmits itself until {@value #LENGTH} links ran. */
    @State(Scope.Thread)
    public static class Chain implements Runnable {
        final Signal signal = new Signal();
        LoopUnderTest loop;
        int left; // loop thread only while a chain runs; the queue hand-off publishes the reset

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
            if (--left == 0) {
                signal.fire();
            } else {
                loop.execute(this);
            }
        }
    }

    /**
     * Runs one chain of {@value #LENGTH} links and waits for its end.
     *
     * @param state the loop
     * @param chain this thread's chain
     */
    @Benchmark
    @OperationsPerInvocation(LENGTH)
    public void chain(LoopState state, Chain chain) {
        chain.left = LENGTH;
        chain.signal.arm();
        state.loop().execute(chain);
        chain.signal.await();
    }
}
