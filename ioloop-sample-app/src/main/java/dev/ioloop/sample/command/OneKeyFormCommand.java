package dev.ioloop.sample.command;

import dev.ioloop.sample.resp.RespFrame;
import dev.ioloop.sample.store.Key;
import dev.ioloop.sample.store.KeyValueStore;
import java.util.List;
import java.util.Objects;

/**
 * A family of commands, told apart by a {@code Form}, whose first argument is a key: hands each form the store and
 * that key, so the family only writes the per-form work. Stateless; runs on the data loop's thread.
 *
 * @param <F> the family's enum of forms
 */
abstract class OneKeyFormCommand<F extends Enum<F>> implements Command {

    private final F form;

    /** Creates the command for one form. */
    OneKeyFormCommand(F form) {
        this.form = Objects.requireNonNull(form, "form");
    }

    @Override
    public final RespFrame execute(List<byte[]> args, CommandContext ctx) {
        return execute(form, ctx.store(), Args.key(args.get(1)), args);
    }

    /**
     * Runs one form.
     *
     * @param form which command of the family this is
     * @param store the data store
     * @param key {@code args.get(1)} as a key
     * @param args the whole command line, as {@link Command#execute} has it
     * @return the reply
     */
    abstract RespFrame execute(F form, KeyValueStore store, Key key, List<byte[]> args);
}
