package dev.ioloop.benchmarks;

import dev.ioloop.benchmarks.loop.Chain;
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
    public static final int LENGTH = 100_000;

    /** This thread's chain and its first link (the link's class is the loop's own: see LoopUnderTest#chainLink). */
    @State(Scope.Thread)
    public static class Links {
        final Chain chain = new Chain();
        Runnable firstLink;

        /**
         * Makes the link for the loop of this trial.
         *
         * @param state the loop
         */
        @Setup(Level.Trial)
        public void setUp(LoopState state) {
            firstLink = state.loop().chainLink(chain);
        }
    }

    /**
     * Runs one chain of {@value #LENGTH} links and waits for its end.
     *
     * @param state the loop
     * @param links this thread's chain
     */
    @Benchmark
    @OperationsPerInvocation(LENGTH)
    public void chain(LoopState state, Links links) {
        links.chain.start(LENGTH);
        state.loop().execute(links.firstLink);
        links.chain.await();
    }
}
