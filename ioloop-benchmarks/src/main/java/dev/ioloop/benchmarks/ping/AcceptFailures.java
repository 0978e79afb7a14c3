package dev.ioloop.benchmarks.ping;

import java.io.IOException;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reports a listening socket's failed accepts (out of file descriptors, and the like) at WARN, at most
 * once a second with the number left unreported, so that a server that keeps retrying does not flood
 * its log. The listener stays open: the connection waits in the backlog and is retried on the next
 * readiness event. One server's loop thread only.
 */
final class AcceptFailures {

    private static final Logger logger = LoggerFactory.getLogger(AcceptFailures.class);
    private static final long INTERVAL_NANOS = 1_000_000_000L;

    private final String server;
    private final LongSupplier nanoClock;
    private long lastReportNanos;
    private long unreported;

    AcceptFailures(String server) {
        this(server, System::nanoTime);
    }

    /** With a clock of the caller's, for tests. */
    AcceptFailures(String server, LongSupplier nanoClock) {
        this.server = server;
        this.nanoClock = nanoClock;
        this.lastReportNanos = nanoClock.getAsLong() - INTERVAL_NANOS;
    }

    /**
     * Records a failed accept and logs it unless one was logged in the last second.
     *
     * @return how many failures the log line covers (this one and those held back since the last
     *     line), or 0 when it was held back
     */
    long failed(IOException cause) {
        long now = nanoClock.getAsLong();
        unreported++;
        if (now - lastReportNanos < INTERVAL_NANOS) {
            return 0;
        }
        long covered = unreported;
        logger.warn("{} PING server: {} accept(s) failed since the last report; the listener stays open",
                server, covered, cause);
        lastReportNanos = now;
        unreported = 0;
        return covered;
    }
}
