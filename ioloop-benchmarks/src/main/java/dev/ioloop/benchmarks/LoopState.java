package dev.ioloop.benchmarks;

import dev.ioloop.benchmarks.loop.Impl;
import dev.ioloop.benchmarks.loop.LoopUnderTest;
import dev.ioloop.benchmarks.loop.Signal;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The loop a benchmark drives, one per trial, chosen by the {@code impl} parameter.
 * Shared by all benchmark threads ({@link Scope#Benchmark}).
 */
@State(Scope.Benchmark)
public class LoopState {

    /** Which implementation: {@code ioloop}, {@code ioloop-netty}, {@code netty} or {@code jdk}. */
    @Param({"ioloop", "ioloop-netty", "netty", "jdk"})
    public String impl = "ioloop";

    private LoopUnderTest loop;
    private final Signal setupSignal = new Signal();

    /** Starts the loop. */
    @Setup(Level.Trial)
    public void open() {
        loop = Impl.parse(impl).open();
    }

    /** Stops the loop and waits for its thread. */
    @TearDown(Level.Trial)
    public void close() {
        loop.close();
    }

    /** @return the running loop; safe from any thread */
    public LoopUnderTest loop() {
        return loop;
    }

    /**
     * Runs {@code task} on the loop thread and returns once it has run. Trial setup only: one caller
     * at a time.
     *
     * @param task runs once on the loop thread
     */
    public void runOnLoop(Runnable task) {
        setupSignal.arm();
        loop.execute(() -> {
            task.run();
            setupSignal.fire();
        });
        setupSignal.await();
    }
}
