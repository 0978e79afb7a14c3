package dev.ioloop.benchmarks.resp;

/** A malformed RESP frame; the message is Redis's, without the {@code -ERR Protocol error: } prefix. */
public final class RespProtocolException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message Redis's wording, e.g. {@code invalid multibulk length}
     */
    public RespProtocolException(String message) {
        super(message);
    }
}
