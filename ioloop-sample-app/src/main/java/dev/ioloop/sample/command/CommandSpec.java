package dev.ioloop.sample.command;

import java.util.List;

/**
 * A command's table entry, in Redis's terms.
 *
 * @param name the lower-case name
 * @param arity the exact argument count including the name when positive, the minimum when negative
 * @param flags Redis's flag names, reported by COMMAND
 * @param firstKey position of the first key argument (0 for none)
 * @param lastKey position of the last key argument (-1 for the last argument)
 * @param keyStep step between key arguments
 * @param noAuth whether the command runs before AUTH (AUTH, QUIT)
 * @param command the implementation
 */
public record CommandSpec(String name, int arity, List<String> flags, int firstKey, int lastKey, int keyStep,
                          boolean noAuth, Command command) {

    /** Copies {@code flags}. */
    public CommandSpec {
        flags = List.copyOf(flags);
    }

    /** Returns whether {@code argc} arguments (name included) satisfy the arity. */
    public boolean acceptsArgumentCount(int argc) {
        return arity > 0 ? argc == arity : argc >= -arity;
    }
}
