package dev.ioloop.sample.command;

import dev.ioloop.sample.resp.RespFrame;
import dev.ioloop.sample.store.GlobPattern;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * CONFIG GET pattern... / SET name value [name value ...] / RESETSTAT, as Redis 7.0 over the server's
 * {@link ConfigParameters}: GET answers name-value pairs (the name as asked for an exact name, in registration order
 * for patterns); SET is all or nothing, with Redis's errors for an unknown name, a bad value, a duplicate, an
 * immutable parameter; RESETSTAT zeroes the server's and the keyspace's counters.
 */
final class Config implements Command {

    @Override
    public RespFrame execute(List<byte[]> args, CommandContext ctx) {
        byte[] sub = args.get(1);
        if (Args.is(sub, "get")) {
            if (args.size() < 3) {
                return RespFrame.error(Errors.wrongArity("config|get"));
            }
            return get(args, ctx.server().config());
        }
        if (Args.is(sub, "set")) {
            if (args.size() < 4) {
                return RespFrame.error(Errors.wrongArity("config|set"));
            }
            return set(args, ctx.server().config());
        }
        if (Args.is(sub, "resetstat")) {
            if (args.size() != 2) {
                return RespFrame.error(Errors.wrongArity("config|resetstat"));
            }
            ctx.server().resetStats();
            ctx.store().resetStats();
            return RespFrame.OK;
        }
        return RespFrame.error(CommandTable.oneLine("ERR unknown subcommand '" + Client.truncated(sub) + "'. Try CONFIG HELP."));
    }

    private static RespFrame get(List<byte[]> args, ConfigParameters config) {
        Map<String, ConfigParameters.Parameter> matches = new LinkedHashMap<>();
        for (int i = 2; i < args.size(); i++) {
            String asked = Args.text(args.get(i));
            if (asked.indexOf('*') < 0 && asked.indexOf('?') < 0 && asked.indexOf('[') < 0) {
                ConfigParameters.Parameter p = config.lookup(asked);
                if (p != null && !matches.containsKey(asked)) {
                    matches.put(asked, p); // Redis answers an exact name as it was asked (case included)
                }
                continue;
            }
            GlobPattern pattern = new GlobPattern(asked.toLowerCase(java.util.Locale.ROOT));
            for (String name : config.names()) {
                if (!matches.containsKey(name) && pattern.matches(name)) {
                    matches.put(name, config.lookup(name));
                }
            }
        }
        List<RespFrame> reply = new ArrayList<>(matches.size() * 2);
        for (Map.Entry<String, ConfigParameters.Parameter> m : matches.entrySet()) {
            reply.add(RespFrame.bulk(Args.bytes(m.getKey())));
            reply.add(RespFrame.bulk(Args.bytes(m.getValue().value().get())));
        }
        return new RespFrame.RespArray(reply);
    }

    private static RespFrame set(List<byte[]> args, ConfigParameters config) {
        if (args.size() % 2 != 0) {
            return RespFrame.error(Errors.SYNTAX);
        }
        // as Redis: first every name (unknown, immutable, duplicate), then every value, then the changes
        Set<ConfigParameters.Parameter> seen = new HashSet<>();
        List<ConfigParameters.Parameter> params = new ArrayList<>();
        for (int i = 2; i < args.size(); i += 2) {
            String name = Args.text(args.get(i));
            ConfigParameters.Parameter p = config.lookup(name);
            if (p == null) {
                return RespFrame.error(CommandTable.oneLine(
                        "ERR Unknown option or number of arguments for CONFIG SET - '" + CommandTable.cString(args.get(i)) + "'"));
            }
            if (p.setter() == null) {
                return failed(name, "can't set immutable config");
            }
            if (!seen.add(p)) {
                return failed(name, "duplicate parameter");
            }
            params.add(p);
        }
        List<Runnable> changes = new ArrayList<>();
        for (int i = 2, j = 0; i < args.size(); i += 2, j++) {
            try {
                changes.add(java.util.Objects.requireNonNull(params.get(j).setter()).prepare(Args.text(args.get(i + 1))));
            } catch (ConfigParameters.InvalidValueException e) {
                return failed(Args.text(args.get(i)), e.getMessage());
            }
        }
        for (Runnable change : changes) {
            change.run();
        }
        return RespFrame.OK;
    }

    private static RespFrame failed(String name, String reason) {
        return RespFrame.error(CommandTable.oneLine(
                "ERR CONFIG SET failed (possibly related to argument '" + name + "') - " + reason));
    }
}
