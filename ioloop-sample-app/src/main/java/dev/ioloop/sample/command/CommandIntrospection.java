package dev.ioloop.sample.command;

import dev.ioloop.sample.resp.RespFrame;
import dev.ioloop.sample.store.GlobPattern;
import java.util.ArrayList;
import java.util.List;

/**
 * COMMAND, COMMAND COUNT, COMMAND INFO [name...], COMMAND DOCS [name...] and COMMAND LIST [FILTERBY MODULE m | ACLCAT
 * c | PATTERN p], consistent with the command table: every command it holds and no other, each described in Redis
 * 7.0.15's own words ({@link CommandDocs}: recorded from redis-server, only the subcommands this server implements
 * kept). A command added to a table without a recording (tests, {@link CommandTable#with}) is described from its
 * table entry in Redis's ten-field shape.
 */
final class CommandIntrospection implements Command {

    private final CommandTable table;
    private final CommandDocs docs = CommandDocs.standard();

    CommandIntrospection(CommandTable table) {
        this.table = table;
    }

    @Override
    public RespFrame execute(List<byte[]> args, CommandContext ctx) {
        if (args.size() == 1) {
            return allInfo();
        }
        byte[] sub = args.get(1);
        if (Args.is(sub, "count")) {
            if (args.size() != 2) {
                return RespFrame.error(Errors.wrongArity("command|count"));
            }
            return RespFrame.integer(table.all().size());
        }
        if (Args.is(sub, "info")) {
            if (args.size() == 2) {
                return allInfo();
            }
            List<RespFrame> found = new ArrayList<>();
            for (int i = 2; i < args.size(); i++) {
                CommandSpec spec = table.lookup(Args.lower(args.get(i)));
                found.add(spec == null ? RespFrame.NULL_BULK : info(spec));
            }
            return new RespFrame.RespArray(found);
        }
        if (Args.is(sub, "docs")) {
            List<RespFrame> out = new ArrayList<>();
            if (args.size() == 2) {
                for (CommandSpec spec : table.all()) {
                    addDocs(spec, out);
                }
            } else {
                for (int i = 2; i < args.size(); i++) {
                    CommandSpec spec = table.lookup(Args.lower(args.get(i)));
                    if (spec != null) {
                        addDocs(spec, out);
                    }
                }
            }
            return new RespFrame.RespArray(out);
        }
        if (Args.is(sub, "list")) {
            return list(args);
        }
        return RespFrame.error(CommandTable.oneLine("ERR unknown subcommand '" + Client.truncated(sub) + "'. Try COMMAND HELP."));
    }

    private RespFrame allInfo() {
        List<RespFrame> all = new ArrayList<>();
        for (CommandSpec spec : table.all()) {
            all.add(info(spec));
        }
        return new RespFrame.RespArray(all);
    }

    private void addDocs(CommandSpec spec, List<RespFrame> out) {
        RespFrame recorded = docs.docs(spec.name());
        out.add(RespFrame.bulk(spec.name()));
        out.add(recorded != null ? recorded : RespFrame.EMPTY_ARRAY);
    }

    /** COMMAND LIST: every command and implemented subcommand ({@code config|get}), optionally filtered. */
    private RespFrame list(List<byte[]> args) {
        String filter = null;
        String value = null;
        if (args.size() == 5 && Args.is(args.get(2), "filterby")) {
            filter = Args.lower(args.get(3));
            value = Args.text(args.get(4));
            if (!filter.equals("module") && !filter.equals("aclcat") && !filter.equals("pattern")) {
                return RespFrame.error(Errors.SYNTAX);
            }
        } else if (args.size() != 2) {
            return RespFrame.error(Errors.SYNTAX);
        }
        if ("module".equals(filter)) {
            return RespFrame.EMPTY_ARRAY; // no modules here
        }
        GlobPattern pattern = "pattern".equals(filter) ? new GlobPattern(value) : null;
        String category = "aclcat".equals(filter) ? "@" + value.toLowerCase(java.util.Locale.ROOT) : null;
        List<RespFrame> names = new ArrayList<>();
        for (CommandSpec spec : table.all()) {
            RespFrame entry = info(spec);
            addIfMatches(entry, pattern, category, names);
            for (RespFrame subEntry : elements(element(entry, 9))) {
                addIfMatches(subEntry, pattern, category, names);
            }
        }
        return new RespFrame.RespArray(names);
    }

    private static void addIfMatches(RespFrame entry, GlobPattern pattern, String category, List<RespFrame> names) {
        RespFrame name = element(entry, 0);
        String text = new String(((RespFrame.BulkString) name).bytes(), java.nio.charset.StandardCharsets.ISO_8859_1);
        if (pattern != null && !pattern.matches(text)) {
            return;
        }
        if (category != null) {
            boolean member = false;
            for (RespFrame c : elements(element(entry, 6))) {
                member |= c instanceof RespFrame.SimpleString s && s.text().equalsIgnoreCase(category);
            }
            if (!member) {
                return;
            }
        }
        names.add(name);
    }

    private static RespFrame element(RespFrame array, int i) {
        List<RespFrame> elements = elements(array);
        return i < elements.size() ? elements.get(i) : RespFrame.EMPTY_ARRAY;
    }

    private static List<RespFrame> elements(RespFrame frame) {
        return frame instanceof RespFrame.RespArray a ? a.elements() : List.of();
    }

    /** The recorded COMMAND INFO entry, or one built from the table entry for an unrecorded command. */
    private RespFrame info(CommandSpec spec) {
        RespFrame recorded = docs.info(spec.name());
        if (recorded != null) {
            return recorded;
        }
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
