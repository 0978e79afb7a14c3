package dev.ioloop.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import org.slf4j.LoggerFactory;

/**
 * Records what is logged while it is open, as Tornado's {@code ExpectLog}: a test opens one around
 * the code that should log, then asserts on {@link #events()} or {@link #count}. Events it
 * records are "expected", so {@link LoopExtension} does not fail the test for them.
 *
 * <pre>{@code
 * try (LogCapture logs = LogCapture.start()) {
 *     loop.addCallback(() -> { throw new IllegalStateException("boom"); });
 *     ...
 *     assertThat(logs.count(Level.ERROR, "Exception in callback")).isEqualTo(1);
 * }
 * }</pre>
 *
 * <p>Safe from any thread (appenders are called on the logging thread).
 */
public final class LogCapture implements AutoCloseable {

    private static final List<LogCapture> OPEN = new java.util.concurrent.CopyOnWriteArrayList<>();

    private final Appender appender = new Appender();
    private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);

    private LogCapture() {
        appender.setName("log-capture-" + System.identityHashCode(this));
        appender.setContext(root.getLoggerContext());
        appender.start();
        root.addAppender(appender);
        OPEN.add(this);
    }

    /**
     * Starts recording every event logged from now on.
     *
     * @return the capture; close it to stop
     */
    public static LogCapture start() {
        return new LogCapture();
    }

    /**
     * Returns whether any open capture exists (LoopExtension treats captured events as expected).
     *
     * @return true while a capture is open
     */
    static boolean anyOpen() {
        return !OPEN.isEmpty();
    }

    /**
     * Returns the events recorded so far.
     *
     * @return a copy, in logging order
     */
    public List<ILoggingEvent> events() {
        synchronized (appender.events) {
            return new ArrayList<>(appender.events);
        }
    }

    /**
     * Counts the recorded events at a level whose formatted message contains a text.
     *
     * @param level the level
     * @param messagePart a part of the formatted message
     * @return how many matched
     */
    public long count(Level level, String messagePart) {
        return count(e -> e.getLevel().equals(level) && e.getFormattedMessage().contains(messagePart));
    }

    /**
     * Counts the recorded events that match.
     *
     * @param matcher the condition
     * @return how many matched
     */
    public long count(Predicate<ILoggingEvent> matcher) {
        return events().stream().filter(matcher).count();
    }

    @Override
    public void close() {
        root.detachAppender(appender);
        appender.stop();
        OPEN.remove(this);
    }

    private static final class Appender extends AppenderBase<ILoggingEvent> {
        final List<ILoggingEvent> events = new ArrayList<>();

        @Override
        protected void append(ILoggingEvent event) {
            event.prepareForDeferredProcessing();
            synchronized (events) {
                events.add(event);
            }
        }
    }

    /** The level of an event as a logback Level (for callers that don't import logback). */
    static boolean isWarnOrError(ILoggingEvent event) {
        return event.getLevel().isGreaterOrEqual(Level.WARN);
    }
}
