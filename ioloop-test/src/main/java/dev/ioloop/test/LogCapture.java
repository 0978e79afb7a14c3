package dev.ioloop.test;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Predicate;

import org.slf4j.event.Level;

/**
 * Records every log record while it is open, for a test that asserts on several of them; everything it
 * records is expected, so {@link IOLoopTest} fails the test for none of it. Prefer {@link ExpectLog},
 * which expects only what it matches.
 *
 * <pre>{@code
 * try (LogCapture logs = LogCapture.start()) {
 *     ...
 *     assertThat(logs.count(Level.ERROR, "handleStream failed")).isEqualTo(1);
 * }
 * }</pre>
 *
 * <p>Sees what {@link ExpectLog} sees, through the same SLF4J providers. Open and close it on one thread;
 * records arrive from any thread.
 */
public final class LogCapture implements LogListener, AutoCloseable {

    private final LogWatch watch = LogWatch.get();
    // ordering: guarded by its own monitor (records arrive on logging threads).
    private final List<CapturedLog> records = new ArrayList<>();

    private LogCapture() {
        watch.open(this, "LogCapture");
    }

    /**
     * Starts recording.
     *
     * @return the open capture; close it to stop
     * @throws UnsupportedOperationException if the SLF4J provider cannot be watched (see {@link ExpectLog})
     */
    public static LogCapture start() {
        return new LogCapture();
    }

    @Override
    public boolean offer(CapturedLog record) {
        synchronized (records) {
            records.add(record);
        }
        return true;
    }

    /**
     * Returns what was recorded so far.
     *
     * @return a copy, in logging order
     */
    public List<CapturedLog> records() {
        synchronized (records) {
            return List.copyOf(records);
        }
    }

    /**
     * Counts the records at a level whose message contains a text.
     *
     * @param level the level exactly
     * @param messagePart a part of the formatted message
     * @return how many
     */
    public long count(Level level, String messagePart) {
        Objects.requireNonNull(messagePart, "messagePart");
        return count(record -> record.level() == level && record.message().contains(messagePart));
    }

    /**
     * Counts the records that match.
     *
     * @param matcher the condition
     * @return how many
     */
    public long count(Predicate<CapturedLog> matcher) {
        return records().stream().filter(matcher).count();
    }

    /** Stops recording. Idempotent. */
    @Override
    public void close() {
        watch.close(this);
    }
}
