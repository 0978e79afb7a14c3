/**
 * Redis commands: one class per command (or per family that Redis itself implements as one function, such as
 * INCR/INCRBY/DECR/DECRBY), the {@link dev.ioloop.sample.command.CommandTable} that checks name, arity and
 * authentication and dispatches, and the per-connection {@link dev.ioloop.sample.command.CommandContext}.
 *
 * <p>Replies and error texts are Redis's, byte for byte. Threading: commands run on the data loop's thread, the
 * only thread that may touch the {@link dev.ioloop.sample.store.KeyValueStore}; commands are stateless singletons.
 */
@NullMarked
package dev.ioloop.sample.command;

import org.jspecify.annotations.NullMarked;
