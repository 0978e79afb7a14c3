package dev.ioloop.benchmarks;

import dev.ioloop.benchmarks.loop.IOLoopUnderTest;
import dev.ioloop.benchmarks.loop.Impl;
import dev.ioloop.benchmarks.loop.LoopUnderTest;
import dev.ioloop.benchmarks.loop.Signal;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;
import org.HdrHistogram.Histogram;

/**
 * B5: one-way wake-up latency of an idle loop. Another thread stamps {@code System.nanoTime()},
 * adds a task, and the task records the time until it ran into an HdrHistogram (on the loop
 * thread). Before each sample the producer sleeps {@value #IDLE_GAP_MICROS} µs so the loop is back
 * in its blocking wait. The contenders take turns sample by sample, so the ratios share the
 * machine's noise: {@code ioloop} (nothing registered: the loop parks its thread),
 * {@code ioloop+channel} (a pipe registered for READ, never written: the loop waits in select, as
 * Netty's does), {@code ioloop-netty} (an IOLoop on its own Netty event loop), {@code netty} and {@code jdk}.
 *
 * <p>Usage: {@code WakeupLatencyMain [samplesPerRound [rounds [outputTsv]]]} (defaults 5000, 3,
 * {@code target/benchmarks/latency.tsv}). The TSV has columns {@code impl, p50_us, p99_us,
 * p999_us, samples}.
 */
public final class WakeupLatencyMain {

    private static final long IDLE_GAP_MICROS = 200;
    private static final long HIGHEST_TRACKABLE_NANOS = TimeUnit.SECONDS.toNanos(10);

    private WakeupLatencyMain() {
    }

    /**
     * Runs the measurement and writes the TSV.
     *
     * @param args see the class doc
     * @throws IOException if the TSV cannot be written
     */
    public static void main(String[] args) throws IOException {
        int samples = args.length > 0 ? positive("samplesPerRound", args[0]) : 5_000;
        int rounds = args.length > 1 ? positive("rounds", args[1]) : 3;
        Path output = Path.of(args.length > 2 ? args[2] : "target/benchmarks/latency.tsv");
        Map<String, Histogram> results = measure(samples, rounds);
        List<String> lines = new ArrayList<>();
        lines.add("impl\tp50_us\tp99_us\tp999_us\tsamples");
        results.forEach((name, histogram) -> lines.add(String.format(Locale.ROOT, "%s\t%.2f\t%.2f\t%.2f\t%d",
                name, micros(histogram, 50), micros(histogram, 99), micros(histogram, 99.9),
                histogram.getTotalCount())));
        if (output.getParent() != null) {
            Files.createDirectories(output.getParent());
        }
        Files.write(output, lines, StandardCharsets.UTF_8);
        lines.forEach(System.out::println);
    }

    /** The contenders, in the order of the TSV: a name and how to open a fresh running loop. */
    static Map<String, Supplier<LoopUnderTest>> contenders() {
        Map<String, Supplier<LoopUnderTest>> contenders = new LinkedHashMap<>();
        contenders.put(Impl.IOLOOP.paramValue(), Impl.IOLOOP::open);
        contenders.put(CHANNEL_REGISTERED, IOLoopUnderTest::withChannelRegistered);
        contenders.put(Impl.IOLOOP_NETTY.paramValue(), Impl.IOLOOP_NETTY::open);
        contenders.put(Impl.NETTY.paramValue(), Impl.NETTY::open);
        contenders.put(Impl.JDK.paramValue(), Impl.JDK::open);
        return contenders;
    }

    /** The name of the IOLoop contender with a channel registered. */
    public static final String CHANNEL_REGISTERED = "ioloop+channel";

    /**
     * Measures every contender, taking turns sample by sample: per round, all loops are open
     * (idle between their samples) and each sample goes to the next contender in turn, so every
     * contender sees the same moments of the machine's noise. Each round starts with a warm-up of
     * {@code samples / 2} samples per contender.
     *
     * @param samples recorded samples per contender and round, at least 1
     * @param rounds rounds, at least 1
     * @return one histogram of nanoseconds per contender, in {@link #contenders()} order
     */
    public static Map<String, Histogram> measure(int samples, int rounds) {
        List<String> names = new ArrayList<>(contenders().keySet());
        List<Supplier<LoopUnderTest>> openers = new ArrayList<>(contenders().values());
        int n = names.size();
        Map<String, Histogram> results = new LinkedHashMap<>();
        for (String name : names) {
            results.put(name, new Histogram(HIGHEST_TRACKABLE_NANOS, 3));
        }
        for (int round = 0; round < rounds; round++) {
            LoopUnderTest[] loops = new LoopUnderTest[n];
            Probe[] probes = new Probe[n];
            try {
                for (int i = 0; i < n; i++) {
                    loops[i] = openers.get(i).get();
                    probes[i] = new Probe(new Histogram(HIGHEST_TRACKABLE_NANOS, 3));
                }
                int warmup = Math.max(1, samples / 2);
                for (int s = 0; s < warmup + samples; s++) {
                    if (s == warmup) {
                        for (Probe probe : probes) {
                            probe.histogram.reset();
                        }
                    }
                    for (int k = 0; k < n; k++) {
                        int i = (s + k) % n; // rotate who goes first: no order bias
                        probes[i].sample(loops[i]);
                    }
                }
                for (int i = 0; i < n; i++) {
                    results.get(names.get(i)).add(probes[i].histogram);
                }
            } finally {
                for (LoopUnderTest loop : loops) {
                    if (loop != null) {
                        loop.close();
                    }
                }
            }
        }
        return results;
    }

    private static double micros(Histogram histogram, double percentile) {
        return histogram.getValueAtPercentile(percentile) / 1_000.0;
    }

    private static int positive(String name, String value) {
        int parsed;
        try {
            parsed = Integer.parseInt(value);
        } catch (NumberFormatException e) {
            parsed = 0;
        }
        if (parsed < 1) {
            throw new IllegalArgumentException("'" + name + "' must be a positive integer (was '" + value + "')");
        }
        return parsed;
    }

    /** The task: records now - stamp on the loop thread and wakes the producer. */
    private static final class Probe implements Runnable {
        final Histogram histogram; // loop thread while a sample runs; producer after the signal
        final Signal signal = new Signal();
        volatile long stamp;

        Probe(Histogram histogram) {
            this.histogram = histogram;
        }

        @Override
        public void run() {
            // ordering: volatile read of the stamp the producer wrote before handing this task over.
            histogram.recordValue(Math.min(System.nanoTime() - stamp, HIGHEST_TRACKABLE_NANOS));
            signal.fire();
        }

        void sample(LoopUnderTest loop) {
            LockSupport.parkNanos(TimeUnit.MICROSECONDS.toNanos(IDLE_GAP_MICROS));
            signal.arm();
            // ordering: volatile write; the queue hand-off would publish it too.
            stamp = System.nanoTime();
            loop.execute(this);
            signal.await();
        }
    }
}
