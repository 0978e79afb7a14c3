package dev.ioloop.benchmarks.ping;

/** Input the PING servers cannot parse; the connection is answered with the message and closed. */
public final class PingProtocolException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what was wrong, in Redis's words where Redis has them
     */
    public PingProtocolException(String message) {
        super(message);
    }
}
