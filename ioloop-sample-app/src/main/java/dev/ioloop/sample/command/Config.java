package dev.ioloop.sample.command;

import dev.ioloop.sample.resp.RespFrame;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import dev.ioloop.sample.store.GlobPattern;

/**
 * CONFIG GET pattern...: the few parameters tools ask for (redis-benchmark reads {@code save} and
 * {@code appendonly}); no persistence, so {@code save} is empty and {@code appendonly} is {@code no}.
 */
final class Config implements Command {
    @Override
    public RespFrame execute(List<byte[]> args, CommandContext ctx) {
        byte[] sub = args.get(1);
        if (!Args.is(sub, "get")) {
            return RespFrame.error(CommandTable.oneLine("ERR unknown subcommand '" + Client.truncated(sub) + "'. Try CONFIG HELP."));
        }
        if (args.size() < 3) {
            return RespFrame.error(Errors.wrongArity("config|get"));
        }
        Map<String, String> params = new LinkedHashMap<>();
        params.put("save", "");
        params.put("appendonly", "no");
        params.put("databases", "1");
        params.put("port", Integer.toString(ctx.server().port()));
        params.put("maxclients", Integer.toString(ctx.server().maxClients()));
        params.put("hz", Integer.toString(ctx.server().hz()));
        params.put("maxmemory", Long.toString(ctx.store().maxmemory()));
        params.put("maxmemory-policy", ctx.server().maxmemoryPolicy());
        params.put("client-output-buffer-limit", ctx.server().clientOutputBufferLimit());
        List<RespFrame> reply = new ArrayList<>();
        for (Map.Entry<String, String> p : params.entrySet()) {
            for (int i = 2; i < args.size(); i++) {
                if (new GlobPattern(Args.lower(args.get(i))).matches(p.getKey())) {
                    reply.add(RespFrame.bulk(p.getKey()));
                    reply.add(RespFrame.bulk(p.getValue()));
                    break;
                }
            }
        }
        return new RespFrame.RespArray(reply);
    }
}
