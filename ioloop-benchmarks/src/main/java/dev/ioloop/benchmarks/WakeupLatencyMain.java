package dev.ioloop.benchmarks;

import dev.ioloop.benchmarks.loop.Impl;
import dev.ioloop.benchmarks.loop.LoopUnderTest;
import dev.ioloop.benchmarks.loop.Signal;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;

/**
 * B5: one-way wake-up latency of an idle loop. Another thread stamps {@code System.nanoTime()},
 * adds a task, and the task records the time until it ran into an HdrHistogram (on the loop
 * thread). Before each sample the producer sleeps {@value #IDLE_GAP_MICROS} µs so the loop is back
 * in its blocking wait. The implementations take turns sample by sample, so the ratios share the
 * machine's noise.
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
        Map<Impl, Histogram> results = measure(samples, rounds);
        List<String> lines = new ArrayList<>();
        lines.add("impl\tp50_us\tp99_us\tp999_us\tsamples");
        results.forEach((impl, histogram) -> lines.add(String.format(Locale.ROOT, "%s\t%.2f\t%.2f\t%.2f\t%d",
                impl.paramValue(), micros(histogram, 50), micros(histogram, 99), micros(histogram, 99.9),
                histogram.getTotalCount())));
        if (output.getParent() != null) {
            Files.createDirectories(output.getParent());
        }
        Files.write(output, lines, StandardCharsets.UTF_8);
        lines.forEach(System.out::println);
    }

    /**
     * Measures every implementation, taking turns sample by sample: per round, all loops are open
     * (idle between their samples) and each sample goes to the next implementation in turn, so
     * every implementation sees the same moments of the machine's noise. Each round starts with a
     * warm-up of {@code samples / 2} samples per implementation.
     *
     * @param samples recorded samples per implementation and round, at least 1
     * @param rounds rounds, at least 1
     * @return one histogram of nanoseconds per implementation, in {@link Impl} order
     */
    public static Map<Impl, Histogram> measure(int samples, int rounds) {
        Impl[] impls = Impl.values();
        Map<Impl, Histogram> results = new EnumMap<>(Impl.class);
        for (Impl impl : impls) {
            results.put(impl, new Histogram(HIGHEST_TRACKABLE_NANOS, 3));
        }
        for (int round = 0; round < rounds; round++) {
            LoopUnderTest[] loops = new LoopUnderTest[impls.length];
            Probe[] probes = new Probe[impls.length];
            try {
                for (int i = 0; i < impls.length; i++) {
                    loops[i] = impls[i].open();
                    probes[i] = new Probe(new Histogram(HIGHEST_TRACKABLE_NANOS, 3));
                }
                int warmup = Math.max(1, samples / 2);
                for (int n = 0; n < warmup + samples; n++) {
                    if (n == warmup) {
                        for (Probe probe : probes) {
                            probe.histogram.reset();
                        }
                    }
                    for (int k = 0; k < impls.length; k++) {
                        int i = (n + k) % impls.length; // rotate who goes first: no order bias
                        probes[i].sample(loops[i]);
                    }
                }
                for (int i = 0; i < impls.length; i++) {
                    results.get(impls[i]).add(probes[i].histogram);
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
