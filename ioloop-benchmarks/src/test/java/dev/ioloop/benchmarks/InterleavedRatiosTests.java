package dev.ioloop.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs every interleaved workload briefly; checks that each produced a ratio, never its size. */
class InterleavedRatiosTests {

    @Test
    void writesARatioForEveryWorkloadAndPeer(@TempDir Path dir) throws Exception {
        Path tsv = dir.resolve("interleaved.tsv");

        InterleavedRatios.main(new String[] {"2", "10", tsv.toString()});

        List<String> lines = Files.readAllLines(tsv);
        assertThat(lines.get(0)).isEqualTo("benchmark\tpeer\tratio\tours\ttheirs\tunit");
        assertThat(lines.subList(1, lines.size())).extracting(line -> line.split("\t")[0] + " / " + line.split("\t")[1])
                .containsExactly(
                        "B1 cross-thread callbacks, 1 producer / netty",
                        "B1 cross-thread callbacks, 1 producer / jdk",
                        "B1 cross-thread callbacks, 1 producer, ioloop-netty / netty",
                        "B2 same-thread callback chain / netty",
                        "B2 same-thread callback chain / jdk",
                        "B2 same-thread callback chain, ioloop-netty / netty",
                        "B3 timer schedule+cancel, 0 pending / netty",
                        "B3 timer schedule+cancel, 0 pending / jdk",
                        "B3 timer schedule+cancel, 0 pending, ioloop-netty / netty",
                        "B3 timer schedule+cancel, 100k pending / netty",
                        "B3 timer schedule+cancel, 100k pending / jdk",
                        "B3 timer schedule+cancel, 100k pending, ioloop-netty / netty",
                        "B6 watchdog+stats on/off, B1 burst / observe=off",
                        "B6 watchdog+stats on/off, echo round trip / observe=off",
                        "B7 Netty channel to IOLoop code and back, one thread vs two / two-threads");
        for (String line : lines.subList(1, lines.size())) {
            String[] fields = line.split("\t");
            assertThat(Double.parseDouble(fields[2])).as(line).isFinite().isPositive();
            assertThat(Double.parseDouble(fields[3])).as(line).isPositive();
            assertThat(Double.parseDouble(fields[4])).as(line).isPositive();
        }
    }

    @Test
    void rejectsANonPositiveRoundCount() {
        assertThatThrownBy(() -> InterleavedRatios.main(new String[] {"0"}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("'rounds' and 'sliceMillis' must be positive (were 0, ");
    }
}
