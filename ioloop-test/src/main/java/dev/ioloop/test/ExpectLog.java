package dev.ioloop.test;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

import org.slf4j.event.Level;

/**
 * Asserts that a block of code logs a record at a level, from a logger, with a message that matches a
 * regular expression, and keeps that record from failing the test as unexpected: Tornado's
 * {@code ExpectLog}.
 *
 * <pre>{@code
 * try (ExpectLog expected = ExpectLog.error(IOLoop.class, "Exception in callback")) {
 *     loop.run(() -> loop.loop().addCallback(() -> { throw new IllegalStateException("boom"); }));
 *     loop.drain();
 * }   // close(): fails if no such record came
 * }</pre>
 *
 * <p>The rules:
 * <ul>
 *   <li>A record matches when its level is the expected one, its logger is the one named or below it
 *       ({@code "dev.ioloop"} holds {@code dev.ioloop.tcp.TCPServer}; {@code ""} holds every logger), and
 *       the regular expression is found in its formatted message. Records from any thread count.
 *   <li>While it is open, the logger lets the expected level through: an {@code ExpectLog} at DEBUG lowers
 *       the logger's level for the block, and {@link #close()} restores it (Tornado does the same).
 *   <li>A record that matches is expected: {@link IOLoopTest} does not fail the test for it, nor for the
 *       callback exception it reports. Records that do not match still do.
 *   <li>{@link #close()} fails when nothing matched, unless {@link #optional()} was called (Tornado's
 *       {@code required=False}). Its message lists what was logged meanwhile at WARN and above.
 *   <li>It sees records through the SLF4J provider: Logback (Spring Boot's default), Log4j 2 with
 *       log4j-core, or java.util.logging (slf4j-jdk14). With any other provider, opening one throws
 *       {@link UnsupportedOperationException}. It sees only records the provider's configuration lets
 *       through to the root logger (a logger with additivity off keeps its records to itself).
 * </ul>
 *
 * <p>Open and close it on one thread (the test's); records arrive from any thread.
 */
public final class ExpectLog implements LogListener, AutoCloseable {

    private static final int NEAR_MISSES_KEPT = 20;

    private final Level level;
    private final String loggerName;
    private final Pattern pattern;
    private final Runnable restoreLevel;
    private final LogWatch watch = LogWatch.get();
    // ordering: both guarded by this object's monitor (records arrive on logging threads).
    private final List<CapturedLog> matched = new ArrayList<>();
    private final List<CapturedLog> nearMisses = new ArrayList<>();
    private boolean required = true;
    private boolean closed;

    private ExpectLog(Level level, String loggerName, String regex) {
        this.level = Objects.requireNonNull(level, "level");
        this.loggerName = Objects.requireNonNull(loggerName, "loggerName");
        this.pattern = Pattern.compile(Objects.requireNonNull(regex, "regex"));
        watch.open(this, "ExpectLog");
        this.restoreLevel = watch.backend().enable(loggerName, level);
    }

    /**
     * Expects an ERROR record from a class's logger (or one below it).
     *
     * @param logger the class whose logger logs it
     * @param regex a regular expression to find in the formatted message
     * @return the open expectation; close it at the end of the block
     * @throws UnsupportedOperationException if the SLF4J provider cannot be watched (see the class doc)
     * @throws java.util.regex.PatternSyntaxException if {@code regex} is not a regular expression
     */
    public static ExpectLog error(Class<?> logger, String regex) {
        return at(Level.ERROR, logger.getName(), regex);
    }

    /**
     * Expects a WARN record from a class's logger (or one below it).
     *
     * @param logger the class whose logger logs it
     * @param regex a regular expression to find in the formatted message
     * @return the open expectation; close it at the end of the block
     * @throws UnsupportedOperationException if the SLF4J provider cannot be watched (see the class doc)
     */
    public static ExpectLog warn(Class<?> logger, String regex) {
        return at(Level.WARN, logger.getName(), regex);
    }

    /**
     * Expects a record at {@code level} from a class's logger (or one below it).
     *
     * @param level the record's level exactly
     * @param logger the class whose logger logs it
     * @param regex a regular expression to find in the formatted message
     * @return the open expectation; close it at the end of the block
     * @throws UnsupportedOperationException if the SLF4J provider cannot be watched (see the class doc)
     */
    public static ExpectLog at(Level level, Class<?> logger, String regex) {
        return at(level, logger.getName(), regex);
    }

    /**
     * Expects a record at {@code level} from a named logger (or one below it).
     *
     * @param level the record's level exactly
     * @param loggerName the logger's name; {@code ""} for any logger
     * @param regex a regular expression to find in the formatted message
     * @return the open expectation; close it at the end of the block
     * @throws UnsupportedOperationException if the SLF4J provider cannot be watched (see the class doc)
     */
    public static ExpectLog at(Level level, String loggerName, String regex) {
        return new ExpectLog(level, loggerName, regex);
    }

    /**
     * Makes the record optional: {@link #close()} no longer fails when none came, and records that match
     * are still expected (Tornado's {@code required=False}).
     *
     * @return this
     */
    public ExpectLog optional() {
        this.required = false;
        return this;
    }

    /**
     * Returns the records that matched so far.
     *
     * @return a copy, in logging order
     */
    public synchronized List<CapturedLog> matched() {
        return List.copyOf(matched);
    }

    /**
     * Counts the records that matched so far.
     *
     * @return how many
     */
    public synchronized int count() {
        return matched.size();
    }

    @Override
    public synchronized boolean offer(CapturedLog record) {
        if (record.level() == level && record.isFrom(loggerName) && pattern.matcher(record.message()).find()) {
            matched.add(record);
            return true;
        }
        if (record.isAtLeast(Level.WARN) && nearMisses.size() < NEAR_MISSES_KEPT) {
            nearMisses.add(record);
        }
        return false;
    }

    /**
     * Stops watching, restores the logger's level, and checks that a record matched. Idempotent.
     *
     * @throws AssertionError if the record is required and none matched
     */
    @Override
    public void close() {
        boolean attached;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        attached = watch.backend().attached();
        watch.close(this);
        restoreLevel.run();
        if (required && count() == 0) {
            throw new AssertionError(describeMissing(attached));
        }
    }

    private synchronized String describeMissing(boolean attached) {
        StringBuilder message = new StringBuilder("expected a ").append(level).append(" record from logger '")
                .append(loggerName.isEmpty() ? "(any)" : loggerName).append("' matching /").append(pattern)
                .append("/, but none was logged");
        if (!nearMisses.isEmpty()) {
            message.append("; logged meanwhile at WARN and above:");
            nearMisses.forEach(record -> message.append("\n  ").append(record));
        }
        if (!attached) {
            message.append("\n(the log capture was detached while this ExpectLog was open: logging was reconfigured,"
                    + " as when a Spring Boot application starts; open the ExpectLog after that)");
        }
        return message.toString();
    }

    @Override
    public String toString() {
        return "ExpectLog[" + level + " " + (loggerName.isEmpty() ? "(any)" : loggerName) + " /" + pattern + "/]";
    }
}
