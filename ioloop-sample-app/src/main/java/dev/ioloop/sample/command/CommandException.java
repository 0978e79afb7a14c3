package dev.ioloop.sample.command;

/**
 * A command's error reply, thrown from argument parsing so that commands stay linear. The message is the whole
 * Redis error text, code included ({@code "ERR syntax error"}). Carries no stack trace.
 */
public final class CommandException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** Creates the exception with Redis's reply text, such as {@code "ERR syntax error"}. */
    public CommandException(String message) {
        super(message, null, false, false);
    }
}
