package dev.ioloop.test;

import org.jspecify.annotations.Nullable;
import org.slf4j.event.Level;

/**
 * One log record as {@link ExpectLog} and {@link LogCapture} saw it, whatever the SLF4J backend.
 *
 * @param level its level
 * @param loggerName the name of the logger it was logged to
 * @param message its message with the arguments filled in
 * @param throwable the exception logged with it, or null
 * @param threadName the thread that logged it
 */
public record CapturedLog(Level level, String loggerName, String message, @Nullable Throwable throwable,
        String threadName) {

    /**
     * Returns whether this record's level is {@code level} or more severe.
     *
     * @param level the level to compare with
     * @return true for {@code ERROR} against {@code WARN}, for example
     */
    public boolean isAtLeast(Level level) {
        return this.level.toInt() >= level.toInt();
    }

    /**
     * Returns whether this record comes from {@code name} or a logger below it ({@code dev.ioloop} holds
     * {@code dev.ioloop.tcp.TCPServer}); the empty name holds every logger.
     *
     * @param name a logger name
     * @return true if the record's logger is that logger or a descendant
     */
    public boolean isFrom(String name) {
        return name.isEmpty() || loggerName.equals(name)
                || (loggerName.startsWith(name) && loggerName.charAt(name.length()) == '.');
    }

    @Override
    public String toString() {
        return level + " " + loggerName + " [" + threadName + "]: " + message + (throwable == null ? "" : " (" + throwable + ")");
    }
}
