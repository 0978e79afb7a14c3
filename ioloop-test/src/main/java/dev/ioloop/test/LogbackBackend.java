package dev.ioloop.test;

import java.util.function.Consumer;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxy;
import ch.qos.logback.core.UnsynchronizedAppenderBase;
import org.jspecify.annotations.Nullable;
import org.slf4j.ILoggerFactory;

/** Logback (Spring Boot's default): an appender on the root logger. */
final class LogbackBackend implements LogBackend {

    private static final String APPENDER_NAME = "ioloop-test-capture";

    private final LoggerContext context;
    private final Sink sink = new Sink();

    LogbackBackend(ILoggerFactory factory) {
        this.context = (LoggerContext) factory;
    }

    @Override
    public String describe() {
        return "Logback";
    }

    @Override
    public boolean supported() {
        return true;
    }

    @Override
    public synchronized void attach(Consumer<CapturedLog> target) {
        sink.target = target;
        if (attached()) {
            return;
        }
        // A LoggerContext.reset() (Spring Boot's logging system does one) detached and stopped it: start again.
        sink.setContext(context);
        sink.setName(APPENDER_NAME);
        sink.start();
        root().addAppender(sink);
    }

    @Override
    public boolean attached() {
        return root().getAppender(APPENDER_NAME) == sink && sink.isStarted();
    }

    @Override
    public Runnable enable(String loggerName, org.slf4j.event.Level level) {
        Logger logger = loggerName.isEmpty() ? root() : context.getLogger(loggerName);
        Level wanted = Level.convertAnSLF4JLevel(level);
        if (logger.isEnabledFor(wanted)) {
            return () -> { };
        }
        Level old = logger.getLevel(); // null: inherited, and null restores that
        logger.setLevel(wanted);
        return () -> logger.setLevel(old);
    }

    private Logger root() {
        return context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    }

    private static org.slf4j.event.Level toSlf4j(Level level) {
        if (level.isGreaterOrEqual(Level.ERROR)) {
            return org.slf4j.event.Level.ERROR;
        }
        if (level.isGreaterOrEqual(Level.WARN)) {
            return org.slf4j.event.Level.WARN;
        }
        if (level.isGreaterOrEqual(Level.INFO)) {
            return org.slf4j.event.Level.INFO;
        }
        return level.isGreaterOrEqual(Level.DEBUG) ? org.slf4j.event.Level.DEBUG : org.slf4j.event.Level.TRACE;
    }

    /** Unsynchronized: records arrive from many loop threads at once, and the sink is thread-safe. */
    private static final class Sink extends UnsynchronizedAppenderBase<ILoggingEvent> {
        // ordering: volatile; set under attach()'s lock before the appender is added, read on logging threads.
        volatile @Nullable Consumer<CapturedLog> target;

        @Override
        protected void append(ILoggingEvent event) {
            Consumer<CapturedLog> to = target;
            if (to == null) {
                return;
            }
            Throwable thrown = event.getThrowableProxy() instanceof ThrowableProxy proxy ? proxy.getThrowable() : null;
            to.accept(new CapturedLog(toSlf4j(event.getLevel()), event.getLoggerName(), event.getFormattedMessage(),
                    thrown, event.getThreadName()));
        }
    }
}
