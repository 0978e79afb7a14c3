package dev.ioloop.test;

import java.util.function.Consumer;

import org.slf4j.ILoggerFactory;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

/**
 * The SLF4J provider behind the test's logging, reached through its own API: SLF4J has no way to watch
 * what is logged. One implementation per supported provider; only the one found is loaded, so the others'
 * libraries need not be on the classpath. Safe from any thread.
 */
interface LogBackend {

    /** What {@link #describe()} starts with when the provider is not supported. */
    String SUPPORTED = "Logback, Log4j 2 (log4j-slf4j2-impl with log4j-core) and java.util.logging (slf4j-jdk14)";

    /**
     * Names the backend for messages.
     *
     * @return such as "Logback"
     */
    String describe();

    /**
     * Returns whether records can be watched.
     *
     * @return false for a provider this module cannot reach
     */
    boolean supported();

    /**
     * Sends every record the backend's configuration lets through to {@code sink}, from the root logger;
     * attaches again if a reconfiguration detached it, does nothing if it is attached.
     *
     * @param sink called on the logging thread
     */
    void attach(Consumer<CapturedLog> sink);

    /**
     * Returns whether the sink is still attached (a reconfiguration, such as Spring Boot's logging system
     * starting, removes it).
     *
     * @return true if attached
     */
    boolean attached();

    /**
     * Lets records at {@code level} and above through {@code loggerName} until the returned handle runs
     * (Tornado's {@code ExpectLog(level=...)} sets the logger's level for the block).
     *
     * @param loggerName a logger name; empty for the root
     * @param level the lowest level to let through
     * @return restores the logger's level as it was; does nothing if it already let {@code level} through
     */
    Runnable enable(String loggerName, Level level);

    /** Finds the backend of SLF4J's provider. */
    static LogBackend detect() {
        ILoggerFactory factory = LoggerFactory.getILoggerFactory();
        String type = factory.getClass().getName();
        switch (type) {
            case "ch.qos.logback.classic.LoggerContext":
                return new LogbackBackend(factory);
            case "org.apache.logging.slf4j.Log4jLoggerFactory":
                return Log4j2Backend.isCore() ? new Log4j2Backend() : new Unsupported(type + " without log4j-core");
            case "org.slf4j.jul.JDK14LoggerFactory":
                return new JulBackend();
            default:
                return new Unsupported(type);
        }
    }

    /** A provider that cannot be watched (slf4j-simple, slf4j-nop, ...). */
    record Unsupported(String provider) implements LogBackend {

        @Override
        public String describe() {
            return "SLF4J provider " + provider + ", which ioloop-test cannot watch (it supports " + SUPPORTED + ")";
        }

        @Override
        public boolean supported() {
            return false;
        }

        @Override
        public void attach(Consumer<CapturedLog> sink) {
        }

        @Override
        public boolean attached() {
            return false;
        }

        @Override
        public Runnable enable(String loggerName, Level level) {
            return () -> { };
        }
    }
}
