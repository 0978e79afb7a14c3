package dev.ioloop.test;

import java.util.function.Consumer;

import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.config.Property;
import org.jspecify.annotations.Nullable;

/**
 * Log4j 2 with log4j-core (Spring Boot's {@code spring-boot-starter-log4j2}): an appender on the root
 * logger's configuration. A reconfiguration replaces the configuration and with it the appender, so
 * {@link #attached()} looks at the current one.
 */
final class Log4j2Backend implements LogBackend {

    private static final String APPENDER_NAME = "ioloop-test-capture";

    // ordering: volatile; set under attach()'s lock, read on logging threads.
    private volatile @Nullable Consumer<CapturedLog> target;

    /** Whether log4j-api's implementation is log4j-core (it may be another one, such as log4j-to-slf4j). */
    static boolean isCore() {
        try {
            Class.forName("org.apache.logging.log4j.core.LoggerContext", false, Log4j2Backend.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            return false;
        }
        return LogManager.getContext(false) instanceof LoggerContext;
    }

    @Override
    public String describe() {
        return "Log4j 2";
    }

    @Override
    public boolean supported() {
        return true;
    }

    @Override
    public synchronized void attach(Consumer<CapturedLog> sink) {
        this.target = sink;
        if (attached()) {
            return;
        }
        LoggerContext context = context();
        Configuration config = context.getConfiguration();
        Sink appender = new Sink();
        appender.start();
        config.addAppender(appender);
        config.getRootLogger().addAppender(appender, null, null);
        context.updateLoggers();
    }

    @Override
    public boolean attached() {
        return context().getConfiguration().getRootLogger().getAppenders().containsKey(APPENDER_NAME);
    }

    @Override
    public Runnable enable(String loggerName, org.slf4j.event.Level level) {
        LoggerContext context = context();
        Level wanted = Level.toLevel(level.name());
        if (context.getLogger(loggerName).isEnabled(wanted)) {
            return () -> { };
        }
        Configuration config = context.getConfiguration();
        LoggerConfig existing = config.getLoggerConfig(loggerName);
        if (existing.getName().equals(loggerName)) {
            Level old = existing.getLevel();
            existing.setLevel(wanted);
            context.updateLoggers();
            return () -> {
                existing.setLevel(old);
                context.updateLoggers();
            };
        }
        // Additive: its records still reach the root's appenders, ours among them.
        LoggerConfig added = LoggerConfig.newBuilder().withLoggerName(loggerName).withLevel(wanted)
                .withAdditivity(true).withConfig(config).build();
        config.addLogger(loggerName, added);
        context.updateLoggers();
        return () -> {
            config.removeLogger(loggerName);
            context.updateLoggers();
        };
    }

    private static LoggerContext context() {
        return (LoggerContext) LogManager.getContext(false);
    }

    private static org.slf4j.event.Level toSlf4j(Level level) {
        if (level.isMoreSpecificThan(Level.ERROR)) {
            return org.slf4j.event.Level.ERROR;
        }
        if (level.isMoreSpecificThan(Level.WARN)) {
            return org.slf4j.event.Level.WARN;
        }
        if (level.isMoreSpecificThan(Level.INFO)) {
            return org.slf4j.event.Level.INFO;
        }
        return level.isMoreSpecificThan(Level.DEBUG) ? org.slf4j.event.Level.DEBUG : org.slf4j.event.Level.TRACE;
    }

    /** Reads each event at once: log4j-core reuses event objects (garbage-free logging). */
    private final class Sink extends AbstractAppender {

        Sink() {
            super(APPENDER_NAME, null, null, true, Property.EMPTY_ARRAY);
        }

        @Override
        public void append(LogEvent event) {
            Consumer<CapturedLog> to = target;
            if (to != null) {
                to.accept(new CapturedLog(toSlf4j(event.getLevel()), event.getLoggerName(),
                        event.getMessage().getFormattedMessage(), event.getThrown(), event.getThreadName()));
            }
        }
    }
}
