package dev.ioloop.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WakeupLatencyMainTests {

    @Test
    void recordsEverySampleOfEveryImplementationOverAllRounds() {
        Map<String, Histogram> results = WakeupLatencyMain.measure(40, 2);

        assertThat(results).containsOnlyKeys("ioloop", "ioloop+channel", "ioloop-netty", "netty", "jdk");
        results.forEach((name, histogram) -> {
            assertThat(histogram.getTotalCount()).as(name).isEqualTo(80);
            assertThat(histogram.getMinValue()).as(name).isPositive();
        });
    }

    @Test
    void writesOneTsvRowPerImplementation(@TempDir Path dir) throws Exception {
        Path tsv = dir.resolve("out/latency.tsv");

        WakeupLatencyMain.main(new String[] {"20", "1", tsv.toString()});

        List<String> lines = Files.readAllLines(tsv);
        assertThat(lines.get(0)).isEqualTo("impl\tp50_us\tp99_us\tp999_us\tsamples");
        assertThat(lines.subList(1, lines.size()))
                .extracting(line -> line.split("\t")[0] + "/" + line.split("\t")[4])
                .containsExactly("ioloop/20", "ioloop+channel/20", "ioloop-netty/20", "netty/20", "jdk/20");
    }

    @Test
    void rejectsANonPositiveSampleCountNamingIt() {
        assertThatThrownBy(() -> WakeupLatencyMain.main(new String[] {"0"}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("'samplesPerRound' must be a positive integer (was '0')");
    }
}
