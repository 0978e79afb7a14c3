package dev.ioloop.sample.command;

import dev.ioloop.sample.resp.RespFrame;
import java.util.List;

/**
 * One Redis command. The {@link CommandTable} has already checked the name, the arity and authentication.
 *
 * <p>Implementations are stateless and run on the data loop's thread.
 */
@FunctionalInterface
public interface Command {

    /**
     * Runs the command.
     *
     * @param args the whole command line, {@code args.get(0)} being the command name as sent
     * @param ctx the connection's state, the store and the server
     * @return the reply
     * @throws CommandException for an error reply raised deep in argument parsing
     * @throws dev.ioloop.sample.store.WrongTypeException when a key holds the wrong type
     */
    RespFrame execute(List<byte[]> args, CommandContext ctx);
}
