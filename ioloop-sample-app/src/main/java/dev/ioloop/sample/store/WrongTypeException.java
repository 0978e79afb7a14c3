package dev.ioloop.sample.store;

/**
 * An operation met a key that holds another type (a list where a string was expected, or the reverse). The
 * command layer answers Redis's {@code -WRONGTYPE} reply. Carries no stack trace: it is an answer, not a bug.
 */
public final class WrongTypeException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** Redis's reply text for this error. */
    public static final String MESSAGE = "WRONGTYPE Operation against a key holding the wrong kind of value";

    /** Creates the exception with {@link #MESSAGE}. */
    public WrongTypeException() {
        super(MESSAGE, null, false, false);
    }
}
