package dev.ioloop.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;

/**
 * Runs every JMH benchmark of the module once, briefly, through the JMH Runner API (in this JVM, no
 * fork), and checks that each benchmark and parameter combination produced a result. Never
 * asserts speed: that is {@code run-all.sh}'s job.
 */
class BenchmarksSmokeTests {

    @Test
    void everyBenchmarkRunsForEveryParameterAndReportsAScore() throws Exception {
        // Another JMH run on the machine holds JMH's global lock; a smoke run does not need it.
        System.setProperty("jmh.ignoreLock", "true");
        Options options = new OptionsBuilder()
                .include("dev\\.ioloop\\.benchmarks\\.[A-Za-z]+Benchmark\\.")
                .forks(0)
                .warmupIterations(0)
                .measurementIterations(1)
                .measurementTime(TimeValue.milliseconds(100))
                .shouldFailOnError(true)
                .verbosity(VerboseMode.SILENT)
                .build();

        Collection<RunResult> results = new Runner(options).run();

        Map<String, Result<?>> byLabel = new TreeMap<>();
        for (RunResult run : results) {
            var params = run.getParams();
            StringBuilder label = new StringBuilder(params.getBenchmark().replace("dev.ioloop.benchmarks.", ""));
            for (String key : new TreeSet<>(params.getParamsKeys())) {
                label.append(' ').append(key).append('=').append(params.getParam(key));
            }
            byLabel.put(label.toString(), run.getPrimaryResult());
        }
        assertThat(byLabel.keySet()).containsExactlyInAnyOrderElementsOf(expectedLabels());
        byLabel.forEach((label, result) -> {
            assertThat(result.getSampleCount()).as(label).isPositive();
            assertThat(result.getScore()).as(label).isFinite().isPositive();
        });
    }

    private static Set<String> expectedLabels() {
        Set<String> labels = new TreeSet<>();
        for (String impl : new String[] {"ioloop", "ioloop-netty", "netty", "jdk"}) {
            labels.add("CrossThreadCallbacksBenchmark.oneProducer impl=" + impl);
            labels.add("CrossThreadCallbacksBenchmark.fourProducers impl=" + impl);
            labels.add("CallbackChainBenchmark.chain impl=" + impl);
            labels.add("TimerScheduleCancelBenchmark.scheduleCancel impl=" + impl + " pending=0");
            labels.add("TimerScheduleCancelBenchmark.scheduleCancel impl=" + impl + " pending=100000");
            labels.add("TimerFireBenchmark.fireAll impl=" + impl);
            labels.add("WakeupLatencyBenchmark.roundTrip impl=" + impl);
        }
        for (String layout : new String[] {"one-thread", "two-threads"}) {
            labels.add("HandOffRoundTripBenchmark.roundTrip layout=" + layout);
        }
        for (String observe : new String[] {"off", "on"}) {
            labels.add("ObservabilityBenchmark.crossThreadBurst observe=" + observe);
            labels.add("ObservabilityBenchmark.echoRoundTrip observe=" + observe);
        }
        return labels;
    }
}
