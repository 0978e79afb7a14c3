package dev.ioloop.test;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The backend found is the one the build meant this run to use, so each surefire execution (see pom.xml)
 * really tests ExpectLog on its provider rather than falling back to another.
 */
class LogBackendTests {

    @Test
    void theProviderOfThisRunIsWatched() {
        String expected = System.getProperty("ioloop.test.expected-log-backend", "Logback");
        LogBackend backend = LogBackend.detect();

        assertThat(backend.supported()).isTrue();
        assertThat(backend.describe()).isEqualTo(expected);
    }

    @Test
    void anUnsupportedProviderNamesItselfAndTheSupportedOnes() {
        LogBackend backend = new LogBackend.Unsupported("org.slf4j.simple.SimpleLoggerFactory");

        assertThat(backend.supported()).isFalse();
        assertThat(backend.describe()).isEqualTo("SLF4J provider org.slf4j.simple.SimpleLoggerFactory, which"
                + " ioloop-test cannot watch (it supports Logback, Log4j 2 (log4j-slf4j2-impl with log4j-core) and"
                + " java.util.logging (slf4j-jdk14))");
    }

    @Test
    void withAnUnsupportedProviderExpectLogRefusesToOpenSayingWhy() {
        LogWatch watch = new LogWatch(new LogBackend.Unsupported("org.slf4j.nop.NOPLoggerFactory"));

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> watch.open(record -> true, "ExpectLog"))
                .isInstanceOf(UnsupportedOperationException.class)
                .hasMessage("ExpectLog cannot see log records: this test runtime logs through the SLF4J provider"
                        + " org.slf4j.nop.NOPLoggerFactory, which ioloop-test cannot watch (it supports Logback, Log4j 2"
                        + " (log4j-slf4j2-impl with log4j-core) and java.util.logging (slf4j-jdk14)). Put one of those"
                        + " on the test classpath (Spring Boot's default, Logback, is one).");
    }

    @Test
    void theCaptureIsAttachedAgainAfterTheBackendWasReconfigured() {
        LogBackend backend = LogWatch.get().backend();
        try (LogCapture ignored = LogCapture.start()) {
            assertThat(backend.attached()).isTrue();
        }
        Reconfigure.reset(backend);
        assertThat(backend.attached()).as("the reset removed it").isFalse();

        try (ExpectLog expected = ExpectLog.warn(LogBackendTests.class, "after the reset")) {
            org.slf4j.LoggerFactory.getLogger(LogBackendTests.class).warn("after the reset");
            assertThat(expected.count()).isEqualTo(1);
        }
    }
}
