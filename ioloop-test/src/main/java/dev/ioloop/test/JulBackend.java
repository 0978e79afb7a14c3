package dev.ioloop.test;

import java.util.Arrays;
import java.util.function.Consumer;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;

import org.jspecify.annotations.Nullable;

/**
 * java.util.logging through slf4j-jdk14: a handler on the root logger. {@code LogManager.reset()} (as
 * Spring Boot's logging system does) removes it, so {@link #attached()} looks again.
 */
final class JulBackend implements LogBackend {

    private final Sink sink = new Sink();

    @Override
    public String describe() {
        return "java.util.logging";
    }

    @Override
    public boolean supported() {
        return true;
    }

    @Override
    public synchronized void attach(Consumer<CapturedLog> target) {
        sink.target = target;
        if (!attached()) {
            Logger.getLogger("").addHandler(sink);
        }
    }

    @Override
    public boolean attached() {
        return Arrays.asList(Logger.getLogger("").getHandlers()).contains(sink);
    }

    @Override
    public Runnable enable(String loggerName, org.slf4j.event.Level level) {
        // The lambda below holds the logger: java.util.logging keeps loggers only weakly, and a collected one
        // would forget the level.
        Logger logger = Logger.getLogger(loggerName);
        Level wanted = toJul(level);
        if (logger.isLoggable(wanted)) {
            return () -> { };
        }
        Level old = logger.getLevel();
        logger.setLevel(wanted);
        return () -> logger.setLevel(old);
    }

    private static Level toJul(org.slf4j.event.Level level) {
        return switch (level) {
            case ERROR -> Level.SEVERE;
            case WARN -> Level.WARNING;
            case INFO -> Level.INFO;
            case DEBUG -> Level.FINE;
            case TRACE -> Level.FINEST;
        };
    }

    private static org.slf4j.event.Level toSlf4j(Level level) {
        int value = level.intValue();
        if (value >= Level.SEVERE.intValue()) {
            return org.slf4j.event.Level.ERROR;
        }
        if (value >= Level.WARNING.intValue()) {
            return org.slf4j.event.Level.WARN;
        }
        if (value >= Level.INFO.intValue()) {
            return org.slf4j.event.Level.INFO;
        }
        return value >= Level.FINE.intValue() ? org.slf4j.event.Level.DEBUG : org.slf4j.event.Level.TRACE;
    }

    /** Handlers are called on the logging thread, so the thread's name is the logger's. */
    private static final class Sink extends Handler {
        private final SimpleFormatter formatter = new SimpleFormatter();
        // ordering: volatile; set under attach()'s lock, read on logging threads.
        volatile @Nullable Consumer<CapturedLog> target;

        Sink() {
            setLevel(Level.ALL);
        }

        @Override
        public void publish(LogRecord record) {
            Consumer<CapturedLog> to = target;
            if (to != null) {
                to.accept(new CapturedLog(toSlf4j(record.getLevel()), String.valueOf(record.getLoggerName()),
                        formatter.formatMessage(record), record.getThrown(), Thread.currentThread().getName()));
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    }
}
