package dev.ioloop.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs both TLS workloads briefly; checks that each produced a ratio against Netty, never its size. */
class TlsRatiosTests {

    @Test
    void writesARatioForTheRoundTripAndTheBulkEcho(@TempDir Path dir) throws Exception {
        Path tsv = dir.resolve("tls.tsv");

        TlsRatios.main(new String[] {"2", "20", tsv.toString()});

        List<String> lines = Files.readAllLines(tsv);
        assertThat(lines.subList(1, lines.size())).extracting(line -> line.split("\t")[0] + " / " + line.split("\t")[1])
                .containsExactly("TLS echo round trip, 64 B / netty", "TLS echo bulk, 256 KiB / netty");
        for (String line : lines.subList(1, lines.size())) {
            String[] fields = line.split("\t");
            assertThat(Double.parseDouble(fields[2])).as(line).isFinite().isPositive();
        }
    }
}
