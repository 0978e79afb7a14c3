package dev.ioloop.sample.command;

import dev.ioloop.sample.resp.RespFrame;
import java.util.List;

/** CLIENT SETNAME | GETNAME | ID | SETINFO: the subcommands clients send when they connect. */
final class Client implements Command {
    @Override
    public RespFrame execute(List<byte[]> args, CommandContext ctx) {
        byte[] sub = args.get(1);
        if (Args.is(sub, "setname")) {
            if (args.size() != 3) {
                return RespFrame.error(Errors.wrongArity("client|setname"));
            }
            byte[] name = args.get(2);
            for (byte b : name) {
                if (b < '!' || b > '~') {
                    return RespFrame.error("ERR Client names cannot contain spaces, newlines or special characters.");
                }
            }
            ctx.setClientName(name.length == 0 ? null : Args.key(name));
            return RespFrame.OK;
        }
        if (Args.is(sub, "getname")) {
            if (args.size() != 2) {
                return RespFrame.error(Errors.wrongArity("client|getname"));
            }
            String name = ctx.clientName();
            return name == null ? RespFrame.NULL_BULK : RespFrame.bulk(Args.bytes(name));
        }
        if (Args.is(sub, "id")) {
            if (args.size() != 2) {
                return RespFrame.error(Errors.wrongArity("client|id"));
            }
            return RespFrame.integer(ctx.clientId());
        }
        if (Args.is(sub, "setinfo")) {
            if (args.size() != 4) {
                return RespFrame.error(Errors.wrongArity("client|setinfo"));
            }
            return RespFrame.OK; // library name and version: accepted, not kept
        }
        return RespFrame.error(CommandTable.oneLine("ERR unknown subcommand '" + truncated(sub) + "'. Try CLIENT HELP."));
    }

    static String truncated(byte[] arg) {
        String s = Args.key(arg);
        return s.length() > 128 ? s.substring(0, 128) : s;
    }
}
