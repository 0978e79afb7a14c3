package dev.ioloop.test;

import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * ExpectLog and LogCapture through SLF4J only, so that the same tests run on every supported backend (the
 * build runs this class on Logback, Log4j 2 and java.util.logging).
 */
class ExpectLogTests {

    private static final Logger payments = LoggerFactory.getLogger("dev.ioloop.test.payments.Gateway");

    @Test
    void aRecordAtTheLevelFromTheLoggerOrBelowWhoseMessageMatchesIsCounted() {
        try (ExpectLog expected = ExpectLog.at(Level.WARN, "dev.ioloop.test.payments", "declined \\d+ times")) {
            payments.warn("card declined {} times", 3);
            payments.error("card declined 4 times");            // another level
            LoggerFactory.getLogger("dev.ioloop.test.paymentsX").warn("card declined 5 times"); // not below it
            payments.warn("card accepted");                      // no match
            assertThat(expected.matched()).singleElement().satisfies(record -> {
                assertThat(record.level()).isEqualTo(Level.WARN);
                assertThat(record.loggerName()).isEqualTo("dev.ioloop.test.payments.Gateway");
                assertThat(record.message()).isEqualTo("card declined 3 times");
                assertThat(record.threadName()).isEqualTo(Thread.currentThread().getName());
            });
        }
    }

    @Test
    void recordsFromOtherThreadsCountWithTheirException() throws Exception {
        IllegalStateException boom = new IllegalStateException("boom");
        try (ExpectLog expected = ExpectLog.error(ExpectLogTests.class, "worker failed")) {
            Thread worker = new Thread(() -> LoggerFactory.getLogger(ExpectLogTests.class).error("worker failed", boom),
                    "worker-1");
            worker.start();
            worker.join();
            assertThat(expected.matched()).singleElement().satisfies(record -> {
                assertThat(record.threadName()).isEqualTo("worker-1");
                assertThat(record.throwable()).isSameAs(boom);
            });
        }
    }

    @Test
    void closingWithoutAMatchFailsNamingWhatWasExpectedAndWhatCameInstead() {
        ExpectLog expected = ExpectLog.error(ExpectLogTests.class, "connection reset");
        LoggerFactory.getLogger("dev.ioloop.test.Other").warn("disk almost full");

        assertThatThrownBy(expected::close).isInstanceOf(AssertionError.class)
                .hasMessageStartingWith("expected a ERROR record from logger 'dev.ioloop.test.ExpectLogTests' matching"
                        + " /connection reset/, but none was logged; logged meanwhile at WARN and above:\n"
                        + "  WARN dev.ioloop.test.Other [")
                .hasMessageEndingWith("]: disk almost full");
        expected.close(); // idempotent: no second failure
    }

    @Test
    void anOptionalExpectationDoesNotFailWhenNothingCame() {
        try (ExpectLog expected = ExpectLog.warn(ExpectLogTests.class, "retry").optional()) {
            assertThat(expected.count()).isZero();
        }
    }

    @Test
    void aDebugExpectationLetsDebugThroughForTheBlockOnly() {
        Logger quiet = LoggerFactory.getLogger("dev.ioloop.test.quiet.Stream");
        assertThat(quiet.isDebugEnabled()).as("the test configuration's root level is INFO").isFalse();

        try (ExpectLog expected = ExpectLog.at(Level.DEBUG, "dev.ioloop.test.quiet", "peer reset")) {
            assertThat(quiet.isDebugEnabled()).isTrue();
            quiet.debug("peer reset the connection");
            assertThat(expected.count()).isEqualTo(1);
        }
        assertThat(quiet.isDebugEnabled()).isFalse();
    }

    @Test
    void anEmptyLoggerNameMatchesEveryLogger() {
        try (ExpectLog expected = ExpectLog.at(Level.INFO, "", "^started$")) {
            LoggerFactory.getLogger("a.b").info("started");
            LoggerFactory.getLogger("c").info("started");
            assertThat(expected.count()).isEqualTo(2);
        }
    }

    @Test
    void logCaptureRecordsEverythingAndCounts() throws Exception {
        try (LogCapture logs = LogCapture.start()) {
            payments.info("one");
            payments.error("handleStream failed: {}", "reset");
            CompletableFuture.runAsync(() -> payments.error("handleStream failed: timeout")).get();
            assertThat(logs.count(Level.ERROR, "handleStream failed")).isEqualTo(2);
            assertThat(logs.count(record -> record.isAtLeast(Level.INFO))).isEqualTo(3);
            assertThat(logs.records()).extracting(CapturedLog::message)
                    .containsExactly("one", "handleStream failed: reset", "handleStream failed: timeout");
        }
    }

    @Test
    void aBadRegularExpressionIsRejectedBeforeAnythingIsWatched() {
        assertThatThrownBy(() -> ExpectLog.warn(ExpectLogTests.class, "(unclosed"))
                .isInstanceOf(java.util.regex.PatternSyntaxException.class);
    }
}
