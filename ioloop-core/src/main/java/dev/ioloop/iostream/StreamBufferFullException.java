package dev.ioloop.iostream;

import java.io.IOException;

import org.jspecify.annotations.Nullable;

/**
 * A write would take a stream's write queue over its {@code maxWriteBufferSize}.
 *
 * <p>The write is not queued and the stream stays open. Tornado: {@code StreamBufferFullError}.
 */
public class StreamBufferFullException extends IOException {

    private static final long serialVersionUID = 1L;

    /** Creates one with no message and no cause. */
    public StreamBufferFullException() {
        super();
    }

    /**
     * Creates one with a message.
     *
     * @param message the detail message
     */
    public StreamBufferFullException(@Nullable String message) {
        super(message);
    }

    /**
     * Creates one with a message and a cause.
     *
     * @param message the detail message
     * @param cause the underlying error, or {@code null}
     */
    public StreamBufferFullException(@Nullable String message, @Nullable Throwable cause) {
        super(message, cause);
    }

    /**
     * Creates one with a cause (its {@code toString()} becomes the message).
     *
     * @param cause the underlying error, or {@code null}
     */
    public StreamBufferFullException(@Nullable Throwable cause) {
        super(cause);
    }
}
