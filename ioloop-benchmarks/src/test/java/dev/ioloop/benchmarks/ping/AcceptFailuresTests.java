package dev.ioloop.benchmarks.ping;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class AcceptFailuresTests {

    @Test
    void aStormOfFailedAcceptsIsLoggedOnceASecondWithTheCountHeldBack() {
        AtomicLong now = new AtomicLong(5_000_000_000L);
        AcceptFailures failures = new AcceptFailures("test", now::get);
        IOException emfile = new IOException("Too many open files");
        assertThat(failures.failed(emfile)).as("the first failure is logged at once").isEqualTo(1);
        for (int i = 0; i < 999; i++) {
            now.addAndGet(1_000_000); // 1 ms apart
            assertThat(failures.failed(emfile)).isZero();
        }
        now.addAndGet(1_000_000);
        assertThat(failures.failed(emfile)).as("a second later: this one and the 999 held back").isEqualTo(1_000);
        now.addAndGet(10_000_000_000L);
        assertThat(failures.failed(emfile)).isEqualTo(1);
    }
}
