package dev.ioloop.benchmarks;

import dev.ioloop.IOLoop;
import dev.ioloop.benchmarks.loop.IOLoopUnderTest;
import dev.ioloop.benchmarks.loop.Signal;
import java.io.IOException;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
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
import org.openjdk.jmh.annotations.TearDown;

/**
 * B6: the cost of observability on an {@link IOLoop}. With {@code observe=on} the blocked-loop
 * watchdog is armed (100 ms, counting instead of logging) and another thread reads
 * {@code loop.stats()} every 10 ms (a hundred times a typical scrape rate); with {@code off}
 * neither. Two workloads: B1's one-producer burst, and a 64-byte echo round trip over loopback
 * TCP to a raw-handler echo server on the loop.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class ObservabilityBenchmark {

    private static final int MESSAGE_BYTES = 64;

    /** The loop, its echo server, and (when on) the watchdog and the stats sampler. */
    @State(Scope.Benchmark)
    public static class ObservedLoop {

        /** {@code on}: watchdog and stats sampling enabled; {@code off}: neither. */
        @Param({"off", "on"})
        public String observe = "off";

        IOLoopUnderTest loop;
        EchoServer echo;
        ScheduledExecutorService sampler;
        final AtomicLong blockedIterations = new AtomicLong();
        final Signal setupSignal = new Signal();

        /**
         * Starts the loop, the echo server and, when on, the watchdog and the sampler.
         *
         * @throws IOException if the echo server cannot bind
         */
        @Setup(Level.Trial)
        public void open() throws IOException {
            boolean on = switch (observe) {
                case "on" -> true;
                case "off" -> false;
                default -> throw new IllegalArgumentException("'observe' must be on or off (was '" + observe + "')");
            };
            IOLoop ioLoop = new IOLoop(false);
            if (on) {
                // ordering: the AtomicLong is read only after the run; plain increments would do.
                ioLoop.setBlockingSignalThreshold(Duration.ofMillis(100), thread -> blockedIterations.incrementAndGet());
            }
            loop = new IOLoopUnderTest(ioLoop);
            echo = new EchoServer(ioLoop, this::runOnLoop);
            if (on) {
                sampler = Executors.newSingleThreadScheduledExecutor(runnable -> {
                    Thread thread = new Thread(runnable, "stats-sampler");
                    thread.setDaemon(true);
                    return thread;
                });
                // ordering: volatile write so the JIT keeps the stats() call; nothing reads it.
                sampler.scheduleAtFixedRate(() -> statsSink = ioLoop.stats(), 10, 10, TimeUnit.MILLISECONDS);
            }
        }

        /** Written by the sampler so the JIT keeps the stats() call. */
        volatile Object statsSink;

        private void runOnLoop(Runnable task) {
            setupSignal.arm();
            loop.execute(() -> {
                task.run();
                setupSignal.fire();
            });
            setupSignal.await();
        }

        /** Stops the sampler, the echo server and the loop. */
        @TearDown(Level.Trial)
        public void close() {
            if (sampler != null) {
                sampler.shutdownNow();
            }
            echo.close();
            loop.close();
        }
    }

    /** One client connection to the echo server, per benchmark thread. */
    @State(Scope.Thread)
    public static class EchoClient {
        SocketChannel channel;
        final ByteBuffer out = ByteBuffer.allocateDirect(MESSAGE_BYTES);
        final ByteBuffer in = ByteBuffer.allocateDirect(MESSAGE_BYTES);

        /**
         * Connects (blocking mode).
         *
         * @param state the loop and its echo server
         * @throws IOException if the connection fails
         */
        @Setup(Level.Trial)
        public void connect(ObservedLoop state) throws IOException {
            channel = SocketChannel.open(state.echo.address());
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
            for (int i = 0; i < MESSAGE_BYTES; i++) {
                out.put((byte) ('a' + i % 26));
            }
        }

        /**
         * Closes the connection.
         *
         * @throws IOException if closing fails
         */
        @TearDown(Level.Trial)
        public void disconnect() throws IOException {
            channel.close();
        }

        void roundTrip() throws IOException {
            out.clear();
            while (out.hasRemaining()) {
                channel.write(out);
            }
            in.clear();
            while (in.hasRemaining()) {
                if (channel.read(in) < 0) {
                    throw new IOException("echo server closed the connection");
                }
            }
        }
    }

    /**
     * B1's one-producer burst on the observed (or not) loop.
     *
     * @param state the loop
     * @param producer this thread's burst
     */
    @Benchmark
    @OperationsPerInvocation(CrossThreadCallbacksBenchmark.BURST)
    public void crossThreadBurst(ObservedLoop state, CrossThreadCallbacksBenchmark.Producer producer) {
        producer.burst(state.loop);
    }

    /**
     * One 64-byte echo round trip.
     *
     * @param state the loop (setup only)
     * @param client this thread's connection
     * @throws IOException if the connection fails
     */
    @Benchmark
    public void echoRoundTrip(ObservedLoop state, EchoClient client) throws IOException {
        client.roundTrip();
    }
}
