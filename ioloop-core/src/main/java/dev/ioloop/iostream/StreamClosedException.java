package dev.ioloop.iostream;

import java.io.IOException;

import org.jspecify.annotations.Nullable;

/**
 * An operation on a stream failed because the stream is closed.
 *
 * <p>{@link #getCause()} is the error that closed the stream (a peer reset, an
 * {@link UnsatisfiableReadException}, the cause given to {@link IOStream#close(Throwable)}), or
 * {@code null} when it was closed cleanly (by {@link IOStream#close()} or the peer's EOF).
 * Tornado: {@code StreamClosedError}.
 */
public class StreamClosedException extends IOException {

    private static final long serialVersionUID = 1L;

    /** Creates one with no message and no cause. */
    public StreamClosedException() {
        super();
    }

    /**
     * Creates one with a message.
     *
     * @param message the detail message
     */
    public StreamClosedException(@Nullable String message) {
        super(message);
    }

    /**
     * Creates one with a message and a cause.
     *
     * @param message the detail message
     * @param cause the underlying error, or {@code null}
     */
    public StreamClosedException(@Nullable String message, @Nullable Throwable cause) {
        super(message, cause);
    }

    /**
     * Creates one with a cause (its {@code toString()} becomes the message).
     *
     * @param cause the underlying error, or {@code null}
     */
    public StreamClosedException(@Nullable Throwable cause) {
        super(cause);
    }
}
