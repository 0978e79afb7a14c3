package dev.ioloop.benchmarks;

import dev.ioloop.IOLoop;
import dev.ioloop.benchmarks.loop.Chain;
import dev.ioloop.benchmarks.loop.IOLoopUnderTest;
import dev.ioloop.benchmarks.loop.Impl;
import dev.ioloop.benchmarks.loop.LoopUnderTest;
import dev.ioloop.benchmarks.loop.Signal;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The JMH workloads B1, B2, B3, B6 and B7 again, with the contenders taking turns in short slices
 * (default 100 ms) inside one JVM: every contender is open at once and slice k goes to contender
 * {@code (k + round) % n}, so all of them see the same moments of a shared machine's noise. The
 * ratio reported is the median over rounds of ours / peer (slices of the same round); on a
 * machine where JMH's back-to-back trials swing ±60%, these medians hold within a few percent.
 *
 * <p>Usage: {@code InterleavedRatios [rounds [sliceMillis [outputTsv]]]} (defaults 30, 100,
 * {@code target/benchmarks/interleaved.tsv}). The TSV has columns {@code benchmark, peer, ratio,
 * ours, theirs, unit}, medians of operations per second.
 */
public final class InterleavedRatios {

    private static final int BURST = 1_000;
    private static final int CHAIN = 100_000;
    private static final int TIMER_BATCH = 1_000;
    private static final Runnable NOTHING = () -> { };

    private InterleavedRatios() {
    }

    /** One contender: a name and a unit of work that reports how many operations it did. */
    record Contender(String name, Workload work) {
    }

    @FunctionalInterface
    interface Workload {
        long runOnce() throws IOException;
    }

    /** One row of the output. */
    record Row(String benchmark, String peer, double ratio, double ours, double theirs) {
    }

    /**
     * Runs every workload and writes the TSV.
     *
     * @param args see the class doc
     * @throws IOException if the TSV cannot be written or the echo connection fails
     */
    public static void main(String[] args) throws IOException {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 30;
        long sliceNanos = TimeUnit.MILLISECONDS.toNanos(args.length > 1 ? Long.parseLong(args[1]) : 100);
        Path output = Path.of(args.length > 2 ? args[2] : "target/benchmarks/interleaved.tsv");
        if (rounds < 1 || sliceNanos < 1) {
            throw new IllegalArgumentException("'rounds' and 'sliceMillis' must be positive (were " + rounds
                    + ", " + sliceNanos / 1_000_000 + ")");
        }
        List<Row> rows = measure(rounds, sliceNanos);
        List<String> lines = new ArrayList<>();
        lines.add("benchmark\tpeer\tratio\tours\ttheirs\tunit");
        for (Row row : rows) {
            lines.add(String.format(Locale.ROOT, "%s\t%s\t%.4f\t%.0f\t%.0f\tops/s",
                    row.benchmark(), row.peer(), row.ratio(), row.ours(), row.theirs()));
        }
        if (output.getParent() != null) {
            Files.createDirectories(output.getParent());
        }
        Files.write(output, lines, StandardCharsets.UTF_8);
        lines.forEach(System.out::println);
    }

    /**
     * Measures every workload.
     *
     * @param rounds rounds per workload (each gives every contender one slice)
     * @param sliceNanos length of one slice
     * @return the rows, B1, B2, B3 (0 and 100,000 pending) against netty and jdk and ioloop-netty against netty,
     *     then B6 on / off, then B7 one thread / two threads
     * @throws IOException if the echo connection fails
     */
    static List<Row> measure(int rounds, long sliceNanos) throws IOException {
        List<Row> rows = new ArrayList<>();
        rows.addAll(againstPeers("B1 cross-thread callbacks, 1 producer", rounds, sliceNanos, InterleavedRatios::burst));
        rows.addAll(againstPeers("B2 same-thread callback chain", rounds, sliceNanos, InterleavedRatios::chain));
        rows.addAll(againstPeers("B3 timer schedule+cancel, 0 pending", rounds, sliceNanos, loop -> timers(loop, 0)));
        rows.addAll(againstPeers("B3 timer schedule+cancel, 100k pending", rounds, sliceNanos,
                loop -> timers(loop, 100_000)));
        rows.addAll(observability(rounds, sliceNanos));
        rows.add(handOff(rounds, sliceNanos));
        return rows;
    }

    private interface WorkloadFactory {
        Workload create(LoopUnderTest loop);
    }

    private static List<Row> againstPeers(String benchmark, int rounds, long sliceNanos, WorkloadFactory factory)
            throws IOException {
        List<LoopUnderTest> loops = new ArrayList<>();
        try {
            List<Contender> contenders = new ArrayList<>();
            for (Impl impl : Impl.values()) {
                LoopUnderTest loop = impl.open();
                loops.add(loop);
                contenders.add(new Contender(impl.paramValue(), factory.create(loop)));
            }
            double[][] rates = slices(contenders, rounds, sliceNanos);
            int ioloop = Impl.IOLOOP.ordinal();
            int netty = Impl.NETTY.ordinal();
            return List.of(row(benchmark, "netty", rates[ioloop], rates[netty]),
                    row(benchmark, "jdk", rates[ioloop], rates[Impl.JDK.ordinal()]),
                    row(benchmark + ", " + Impl.IOLOOP_NETTY.paramValue(), "netty", rates[Impl.IOLOOP_NETTY.ordinal()],
                            rates[netty]));
        } finally {
            loops.forEach(LoopUnderTest::close);
        }
    }

    private static List<Row> observability(int rounds, long sliceNanos) throws IOException {
        List<IOLoopUnderTest> loops = new ArrayList<>();
        List<EchoServer> servers = new ArrayList<>();
        List<SocketChannel> clients = new ArrayList<>();
        ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "stats-sampler");
            thread.setDaemon(true);
            return thread;
        });
        try {
            List<Contender> bursts = new ArrayList<>();
            List<Contender> echoes = new ArrayList<>();
            for (String observe : new String[] {"on", "off"}) {
                IOLoop ioLoop = new IOLoop(false);
                if (observe.equals("on")) {
                    ioLoop.setBlockingSignalThreshold(Duration.ofMillis(100), thread -> { });
                    // ordering: volatile write so the JIT keeps the stats() call; nothing reads it.
                    sampler.scheduleAtFixedRate(() -> sink = ioLoop.stats(), 10, 10, TimeUnit.MILLISECONDS);
                }
                IOLoopUnderTest loop = new IOLoopUnderTest(ioLoop);
                loops.add(loop);
                EchoServer server = new EchoServer(ioLoop, task -> runOnLoop(loop, task));
                servers.add(server);
                SocketChannel client = SocketChannel.open(server.address());
                client.setOption(StandardSocketOptions.TCP_NODELAY, true);
                clients.add(client);
                bursts.add(new Contender(observe, burst(loop)));
                echoes.add(new Contender(observe, echo(client)));
            }
            double[][] burstRates = slices(bursts, rounds, sliceNanos);
            double[][] echoRates = slices(echoes, rounds, sliceNanos);
            return List.of(row("B6 watchdog+stats on/off, B1 burst", "observe=off", burstRates[0], burstRates[1]),
                    row("B6 watchdog+stats on/off, echo round trip", "observe=off", echoRates[0], echoRates[1]));
        } finally {
            sampler.shutdownNow();
            for (SocketChannel client : clients) {
                client.close();
            }
            servers.forEach(EchoServer::close);
            loops.forEach(IOLoopUnderTest::close);
        }
    }

    /** B7: a Netty channel handing each request to IOLoop code and back, one thread (ioloop-netty) vs two. */
    private static Row handOff(int rounds, long sliceNanos) throws IOException {
        List<HandOffServer> servers = new ArrayList<>();
        List<HandOffRoundTripBenchmark.RoundTripClient> clients = new ArrayList<>();
        try {
            List<Contender> contenders = new ArrayList<>();
            for (HandOffServer.Layout layout : HandOffServer.Layout.values()) {
                HandOffServer server = new HandOffServer(layout);
                servers.add(server);
                HandOffRoundTripBenchmark.RoundTripClient client = new HandOffRoundTripBenchmark.RoundTripClient(server);
                clients.add(client);
                contenders.add(new Contender(layout.paramValue(), () -> {
                    client.roundTrip(1);
                    return 1;
                }));
            }
            double[][] rates = slices(contenders, rounds, sliceNanos);
            return row(HAND_OFF, HandOffServer.Layout.TWO_THREADS.paramValue(), rates[0], rates[1]);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while starting the hand-off servers", e);
        } finally {
            for (HandOffRoundTripBenchmark.RoundTripClient client : clients) {
                client.close();
            }
            servers.forEach(HandOffServer::close);
        }
    }

    /** B7's label in every report. */
    static final String HAND_OFF = "B7 Netty channel to IOLoop code and back, one thread vs two";

    /** Written by the stats sampler so the JIT keeps the call. */
    static volatile Object sink;

    /** Returns ops/s per contender and round: [contender][round]. Five unrecorded warm-up rounds first. */
    static double[][] slices(List<Contender> contenders, int rounds, long sliceNanos) throws IOException {
        int n = contenders.size();
        double[][] rates = new double[n][rounds];
        for (int round = -5; round < rounds; round++) {
            for (int k = 0; k < n; k++) {
                int c = Math.floorMod(k + round, n); // rotate who goes first
                Workload work = contenders.get(c).work();
                long ops = 0;
                long start = System.nanoTime();
                long end = start + sliceNanos;
                do {
                    ops += work.runOnce();
                } while (System.nanoTime() - end < 0);
                if (round >= 0) {
                    rates[c][round] = ops * 1e9 / (System.nanoTime() - start);
                }
            }
        }
        return rates;
    }

    static Row row(String benchmark, String peer, double[] ours, double[] theirs) {
        double[] ratios = new double[ours.length];
        for (int i = 0; i < ours.length; i++) {
            ratios[i] = ours[i] / theirs[i];
        }
        return new Row(benchmark, peer, median(ratios), median(ours), median(theirs));
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int middle = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }

    private static void runOnLoop(LoopUnderTest loop, Runnable task) {
        Signal signal = new Signal();
        signal.arm();
        loop.execute(() -> {
            task.run();
            signal.fire();
        });
        signal.await();
    }

    // ------------------------------------------------------------------ the workloads (as in the JMH classes)

    private static Workload burst(LoopUnderTest loop) {
        CrossThreadCallbacksBenchmark.Producer producer = new CrossThreadCallbacksBenchmark.Producer();
        return () -> {
            producer.burst(loop);
            return BURST;
        };
    }

    private static Workload chain(LoopUnderTest loop) {
        Chain chain = new Chain();
        Runnable firstLink = loop.chainLink(chain); // a class per contender: see LoopUnderTest#chainLink
        return () -> {
            chain.start(CHAIN);
            loop.execute(firstLink);
            chain.await();
            return CHAIN;
        };
    }

    private static Workload timers(LoopUnderTest loop, int pending) {
        runOnLoop(loop, () -> {
            for (int i = 0; i < pending; i++) {
                loop.schedule(NOTHING, TimeUnit.HOURS.toNanos(1) + i * 1_000L);
            }
        });
        Signal signal = new Signal();
        Object[] handles = new Object[TIMER_BATCH];
        Runnable batch = () -> {
            for (int i = 0; i < TIMER_BATCH; i++) {
                handles[i] = loop.schedule(NOTHING, TimeUnit.SECONDS.toNanos(10) + (i & 1023) * 1_000L);
            }
            for (int i = 0; i < TIMER_BATCH; i++) {
                loop.cancel(handles[i]);
                handles[i] = null;
            }
            signal.fire();
        };
        return () -> {
            signal.arm();
            loop.execute(batch);
            signal.await();
            return TIMER_BATCH;
        };
    }

    private static Workload echo(SocketChannel client) {
        ByteBuffer out = ByteBuffer.allocateDirect(64);
        ByteBuffer in = ByteBuffer.allocateDirect(64);
        while (out.hasRemaining()) {
            out.put((byte) 'x');
        }
        return () -> {
            out.clear();
            while (out.hasRemaining()) {
                client.write(out);
            }
            in.clear();
            while (in.hasRemaining()) {
                if (client.read(in) < 0) {
                    throw new UncheckedIOException(new IOException("echo server closed the connection"));
                }
            }
            return 1;
        };
    }
}
