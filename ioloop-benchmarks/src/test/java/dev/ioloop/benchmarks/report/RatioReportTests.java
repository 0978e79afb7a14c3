package dev.ioloop.benchmarks.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RatioReportTests {

    private static final String P = "\"dev.ioloop.benchmarks.";

    @Test
    void throughputRatiosAreOursOverPeerAndTimeRatiosArePeerOverOurs(@TempDir Path dir) throws Exception {
        Files.write(dir.resolve("jmh.csv"), List.of(
                "\"Benchmark\",\"Mode\",\"Threads\",\"Samples\",\"Score\",\"Score Error (99.9%)\",\"Unit\","
                        + "\"Param: impl\",\"Param: observe\",\"Param: pending\"",
                P + "CallbackChainBenchmark.chain\",\"thrpt\",1,5,2000.0,10.0,\"ops/s\",ioloop,,",
                P + "CallbackChainBenchmark.chain\",\"thrpt\",1,5,1000.0,10.0,\"ops/s\",netty,,",
                P + "CallbackChainBenchmark.chain\",\"thrpt\",1,5,4000.0,10.0,\"ops/s\",jdk,,",
                P + "TimerScheduleCancelBenchmark.scheduleCancel\",\"thrpt\",1,5,300.0,1.0,\"ops/s\",ioloop,,100000",
                P + "TimerScheduleCancelBenchmark.scheduleCancel\",\"thrpt\",1,5,100.0,1.0,\"ops/s\",netty,,100000",
                P + "TimerScheduleCancelBenchmark.scheduleCancel\",\"thrpt\",1,5,999.0,1.0,\"ops/s\",netty,,0",
                P + "TimerFireBenchmark.fireAll\",\"ss\",1,5,200.0,1.0,\"ms/op\",ioloop,,",
                P + "TimerFireBenchmark.fireAll\",\"ss\",1,5,300.0,1.0,\"ms/op\",netty,,",
                P + "WakeupLatencyBenchmark.roundTrip\",\"sample\",1,5,20.0,1.0,\"us/op\",ioloop,,",
                P + "WakeupLatencyBenchmark.roundTrip:p0.50\",\"sample\",1,1,99.0,NaN,\"us/op\",ioloop,,",
                P + "WakeupLatencyBenchmark.roundTrip\",\"sample\",1,5,10.0,1.0,\"us/op\",netty,,",
                P + "ObservabilityBenchmark.echoRoundTrip\",\"thrpt\",1,5,75.0,1.0,\"ops/s\",,on,",
                P + "ObservabilityBenchmark.echoRoundTrip\",\"thrpt\",1,5,100.0,1.0,\"ops/s\",,off,"));

        List<Figure> figures = RatioReport.figures(dir);

        assertThat(figures).extracting(f -> f.benchmark() + " / " + f.peer()).containsExactly(
                "B2 same-thread callback chain / netty",
                "B2 same-thread callback chain / jdk",
                "B3 timer schedule+cancel, 100k pending / netty",
                "B4 fire 1M timers over 100 ms / netty",
                "B5 wake-up round trip (JMH mean) / netty",
                "B6 watchdog+stats on/off, echo round trip / observe=off");
        assertThat(figures).extracting(Figure::ratio).containsExactly(2.0, 0.5, 3.0, 1.5, 0.5, 0.75);
    }

    @Test
    void ioloopNettyIsComparedWithNettyAndTheHandOffOneThreadWithTwo(@TempDir Path dir) throws Exception {
        Files.write(dir.resolve("jmh.csv"), List.of(
                "\"Benchmark\",\"Mode\",\"Threads\",\"Samples\",\"Score\",\"Score Error (99.9%)\",\"Unit\","
                        + "\"Param: impl\",\"Param: layout\",\"Param: pending\"",
                P + "CallbackChainBenchmark.chain\",\"thrpt\",1,5,900.0,10.0,\"ops/s\",ioloop-netty,,",
                P + "CallbackChainBenchmark.chain\",\"thrpt\",1,5,1000.0,10.0,\"ops/s\",netty,,",
                P + "TimerFireBenchmark.fireAll\",\"ss\",1,5,400.0,1.0,\"ms/op\",ioloop-netty,,",
                P + "TimerFireBenchmark.fireAll\",\"ss\",1,5,300.0,1.0,\"ms/op\",netty,,",
                P + "HandOffRoundTripBenchmark.roundTrip\",\"thrpt\",1,5,30000.0,1.0,\"ops/s\",,one-thread,",
                P + "HandOffRoundTripBenchmark.roundTrip\",\"thrpt\",1,5,10000.0,1.0,\"ops/s\",,two-threads,"));
        Files.write(dir.resolve("latency.tsv"), List.of("impl\tp50_us\tp99_us\tp999_us\tsamples",
                "ioloop-netty\t10.00\t20.00\t40.00\t100", "netty\t20.00\t20.00\t20.00\t100"));

        List<Figure> figures = RatioReport.figures(dir);

        assertThat(figures).extracting(f -> f.benchmark() + " / " + f.peer() + " = " + f.ratio()).containsExactly(
                "B2 same-thread callback chain, ioloop-netty / netty = 0.9",
                "B4 fire 1M timers over 100 ms, ioloop-netty / netty = 0.75",
                "B7 Netty channel to IOLoop code and back, one thread vs two / two-threads = 3.0",
                "B5 wake-up latency p50, ioloop-netty / netty = 2.0",
                "B5 wake-up latency p99, ioloop-netty / netty = 1.0",
                "B5 wake-up latency p99.9, ioloop-netty / netty = 0.5");
    }

    @Test
    void loadRatiosUseTheMedianOfRoundsAndLatencyRatiosArePeerOverOurs(@TempDir Path dir) throws Exception {
        Files.write(dir.resolve("load.tsv"), List.of(
                "round\tserver\tconfig\ttest\trps",
                "1\tioloop\tc50-P16\tGET\t100", "1\tnetty\tc50-P16\tGET\t50", "1\tredis\tc50-P16\tGET\t400",
                "2\tioloop\tc50-P16\tGET\t900", "2\tnetty\tc50-P16\tGET\t60", "2\tredis\tc50-P16\tGET\t200",
                "3\tioloop\tc50-P16\tGET\t120", "3\tnetty\tc50-P16\tGET\t70", "3\tredis\tc50-P16\tGET\t100"));
        Files.write(dir.resolve("latency.tsv"), List.of(
                "impl\tp50_us\tp99_us\tp999_us\tsamples",
                "ioloop\t10.00\t20.00\t40.00\t100", "netty\t20.00\t20.00\t20.00\t100"));
        Files.write(dir.resolve("idle.tsv"), List.of(
                "server\tconnections\theap_bytes_per_connection\trss_bytes_per_connection",
                "ioloop\t10000\t1000\t4000", "netty\t10000\t2000\tn/a"));

        List<Figure> figures = RatioReport.figures(dir);

        assertThat(figures).extracting(f -> f.benchmark() + " / " + f.peer() + " = " + f.ratio()).containsExactly(
                "B5 wake-up latency p50 / netty = 2.0",
                "B5 wake-up latency p99 / netty = 1.0",
                "B5 wake-up latency p99.9 / netty = 0.5",
                "load GET c50-P16 / netty = 2.0",
                "load GET c50-P16 / redis = 0.6",
                "idle 10000 connections, heap per connection / netty = 2.0");
    }

    @Test
    void theLoopWithAChannelRegisteredGetsLatencyRowsOfItsOwn(@TempDir Path dir) throws Exception {
        Files.write(dir.resolve("latency.tsv"), List.of(
                "impl\tp50_us\tp99_us\tp999_us\tsamples",
                "ioloop\t5.00\t20.00\t40.00\t100", "ioloop+channel\t10.00\t40.00\t80.00\t100",
                "netty\t20.00\t20.00\t20.00\t100", "jdk\t6.00\t20.00\t20.00\t100"));

        List<Figure> figures = RatioReport.figures(dir);

        assertThat(figures).extracting(f -> f.benchmark() + " / " + f.peer() + " = " + f.ratio()).contains(
                "B5 wake-up latency p50 / netty = 4.0",
                "B5 wake-up latency p50 / jdk = 1.2",
                "B5 wake-up latency p50, channel registered / netty = 2.0",
                "B5 wake-up latency p99, channel registered / jdk = 0.5");
    }

    @Test
    void interleavedRowsKeepTheirMeasuredRatio(@TempDir Path dir) throws Exception {
        Files.write(dir.resolve("interleaved.tsv"), List.of(
                "benchmark\tpeer\tratio\tours\ttheirs\tunit",
                "B2 same-thread callback chain\tnetty\t0.2500\t30\t100\tops/s"));

        List<Figure> figures = RatioReport.figures(dir);

        assertThat(figures).containsExactly(new Figure("B2 same-thread callback chain (interleaved)", "ops/s",
                30, "netty", 100, true, 0.25));
        assertThat(figures.get(0).ratio()).isEqualTo(0.25);
    }

    @Test
    void writesTheTsvAndTheMarkdownTable(@TempDir Path dir) throws Exception {
        Files.write(dir.resolve("latency.tsv"), List.of(
                "impl\tp50_us\tp99_us\tp999_us\tsamples", "ioloop\t10.00\t20.00\t40.00\t100",
                "jdk\t30.00\t20.00\t20.00\t100"));

        RatioReport.main(new String[] {dir.toString()});

        List<String> tsv = Files.readAllLines(dir.resolve("ratios.tsv"));
        assertThat(tsv.get(0)).isEqualTo("benchmark\tpeer\tratio");
        assertThat(tsv.get(1)).isEqualTo("B5 wake-up latency p50\tjdk\t3.0000");
        assertThat(tsv).hasSize(4);
        assertThat(Files.readString(dir.resolve("ratios.md")))
                .contains("| Benchmark | Unit | ioloop | Peer | Peer value | Ratio |")
                .contains("| B5 wake-up latency p50 | us | 10.00 | jdk | 30.00 | 3.00 |");
    }

    @Test
    void rawLoadListsEveryServersMedianAndTheIdleSizes(@TempDir Path dir) throws Exception {
        Files.write(dir.resolve("load.tsv"), List.of(
                "round\tserver\tconfig\ttest\trps",
                "1\tnetty\tc50-P1\tGET\t10", "1\tredis\tc50-P1\tGET\t40",
                "2\tnetty\tc50-P1\tGET\t30", "2\tredis\tc50-P1\tGET\t20"));
        Files.write(dir.resolve("idle.tsv"), List.of(
                "server\tconnections\theap_bytes_per_connection\trss_bytes_per_connection", "redis\t100\tn/a\t9000"));

        assertThat(RatioReport.rawLoad(dir))
                .contains("| Configuration and test | netty | redis |")
                .contains("| c50-P1 GET | 20.00 | 30.00 |")
                .contains("| redis | 100 | n/a | 9000 |");
    }

    @Test
    void aRatioWithAMissingValueIsNaN() {
        assertThat(new Figure("x", "ops/s", 0, "netty", 5, true).ratio()).isNaN();
        assertThat(new Figure("x", "ops/s", 3, "netty", 4, false).ratio()).isCloseTo(4.0 / 3, within(1e-9));
    }
}
