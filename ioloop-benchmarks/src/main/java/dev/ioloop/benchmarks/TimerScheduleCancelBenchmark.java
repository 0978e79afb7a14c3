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
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * B3: timers, schedule + cancel on the loop thread, as request timeouts are: a batch of
 * {@value #BATCH} timers (10 s, spread over 1 ms) is scheduled, then each is cancelled. The score
 * is schedule + cancel pairs per second, with {@code pending} far-future timers already queued.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class TimerScheduleCancelBenchmark {

    /** Schedule + cancel pairs per invocation. */
    public static final int BATCH = 1_000;

    private static final long BASE_DELAY_NANOS = TimeUnit.SECONDS.toNanos(10);
    private static final long PENDING_DELAY_NANOS = TimeUnit.HOURS.toNanos(1);
    private static final Runnable NOTHING = () -> { };

    /** The batch task, run on the loop thread. */
    @State(Scope.Thread)
    public static class Batch implements Runnable {

        /** Timers already pending (never firing during the run) while the batch runs. */
        @Param({"0", "100000"})
        public int pending;

        final Signal signal = new Signal();
        final Object[] handles = new Object[BATCH];
        LoopUnderTest loop;

        /**
         * Queues the {@code pending} timers, one hour out, spread over 0.1 s.
         *
         * @param state the loop
         */
        @Setup(Level.Trial)
        public void setUp(LoopState state) {
            loop = state.loop();
            state.runOnLoop(() -> {
                for (int i = 0; i < pending; i++) {
                    loop.schedule(NOTHING, PENDING_DELAY_NANOS + i * 1_000L);
                }
            });
        }

        @Override
        public void run() {
            for (int i = 0; i < BATCH; i++) {
                handles[i] = loop.schedule(NOTHING, BASE_DELAY_NANOS + (i & 1023) * 1_000L);
            }
            for (int i = 0; i < BATCH; i++) {
                loop.cancel(handles[i]);
                handles[i] = null;
            }
            signal.fire();
        }
    }

    /**
     * Runs one batch on the loop thread and waits for it.
     *
     * @param state the loop
     * @param batch the batch
     */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void scheduleCancel(LoopState state, Batch batch) {
        batch.signal.arm();
        state.loop().execute(batch);
        batch.signal.await();
    }
}
