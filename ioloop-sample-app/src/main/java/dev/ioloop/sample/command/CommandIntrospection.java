package dev.ioloop.sample.command;

import dev.ioloop.sample.resp.RespFrame;
import java.util.ArrayList;
import java.util.List;

/**
 * COMMAND, COMMAND COUNT, COMMAND INFO name...: the table in Redis 7's ten-field shape (name, arity, flags, first
 * key, last key, step, then empty ACL categories, tips, key specs and subcommands). COMMAND DOCS is not
 * implemented, which makes redis-cli fall back to its built-in help, as it does with Redis 6.
 */
final class CommandIntrospection implements Command {

    private final CommandTable table;

    CommandIntrospection(CommandTable table) {
        this.table = table;
    }

    @Override
    public RespFrame execute(List<byte[]> args, CommandContext ctx) {
        if (args.size() == 1) {
            List<RespFrame> all = new ArrayList<>();
            for (CommandSpec spec : table.all()) {
                all.add(describe(spec));
            }
            return new RespFrame.RespArray(all);
        }
        byte[] sub = args.get(1);
        if (Args.is(sub, "count")) {
            if (args.size() != 2) {
                return RespFrame.error(Errors.wrongArity("command|count"));
            }
            return RespFrame.integer(table.all().size());
        }
        if (Args.is(sub, "info")) {
            List<RespFrame> found = new ArrayList<>();
            for (int i = 2; i < args.size(); i++) {
                CommandSpec spec = table.lookup(Args.lower(args.get(i)));
                found.add(spec == null ? RespFrame.NULL_BULK : describe(spec));
            }
            return new RespFrame.RespArray(found);
        }
        return RespFrame.error(CommandTable.oneLine("ERR unknown subcommand '" + Client.truncated(sub) + "'. Try COMMAND HELP."));
    }

    private static RespFrame describe(CommandSpec spec) {
        List<RespFrame> flags = new ArrayList<>();
        for (String flag : spec.flags()) {
            flags.add(new RespFrame.SimpleString(flag));
        }
        return new RespFrame.RespArray(List.of(
                RespFrame.bulk(spec.name()),
                RespFrame.integer(spec.arity()),
                new RespFrame.RespArray(flags),
                RespFrame.integer(spec.firstKey()),
                RespFrame.integer(spec.lastKey()),
                RespFrame.integer(spec.keyStep()),
                RespFrame.EMPTY_ARRAY,
                RespFrame.EMPTY_ARRAY,
                RespFrame.EMPTY_ARRAY,
                RespFrame.EMPTY_ARRAY));
    }
}
