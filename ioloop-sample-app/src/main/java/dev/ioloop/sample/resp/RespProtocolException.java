package dev.ioloop.sample.resp;

/**
 * Bytes that are not valid RESP. The message is the text Redis replies with, such as
 * {@code "Protocol error: invalid bulk length"}; the server sends it as {@code -ERR <message>} and then closes the
 * connection, as Redis does. Carries no stack trace: it is an answer to a client, not a bug.
 */
public final class RespProtocolException extends Exception {

    private static final long serialVersionUID = 1L;

    /** Creates the exception with Redis's reply text (without the {@code ERR } prefix). */
    public RespProtocolException(String message) {
        super(message, null, false, false);
    }
}
