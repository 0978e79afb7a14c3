package dev.ioloop.iostream;

import java.io.IOException;

import org.jspecify.annotations.Nullable;

/**
 * A read cannot be satisfied within the stream's limits: no delimiter within {@code maxBytes}, or
 * more than {@code maxBufferSize} bytes would have to be buffered.
 *
 * <p>The stream closes; the read fails with a {@link StreamClosedException} whose cause is this
 * exception, and {@link IOStream#error()} returns it. Tornado: {@code UnsatisfiableReadError}.
 */
public class UnsatisfiableReadException extends IOException {

    private static final long serialVersionUID = 1L;

    /** Creates one with no message and no cause. */
    public UnsatisfiableReadException() {
        super();
    }

    /**
     * Creates one with a message.
     *
     * @param message the detail message
     */
    public UnsatisfiableReadException(@Nullable String message) {
        super(message);
    }

    /**
     * Creates one with a message and a cause.
     *
     * @param message the detail message
     * @param cause the underlying error, or {@code null}
     */
    public UnsatisfiableReadException(@Nullable String message, @Nullable Throwable cause) {
        super(message, cause);
    }

    /**
     * Creates one with a cause (its {@code toString()} becomes the message).
     *
     * @param cause the underlying error, or {@code null}
     */
    public UnsatisfiableReadException(@Nullable Throwable cause) {
        super(cause);
    }
}
