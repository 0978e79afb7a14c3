package dev.ioloop.sample.command;

import dev.ioloop.sample.resp.RespFrame;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** CLIENT SETNAME | GETNAME | ID | SETINFO | UNBLOCK: the subcommands clients send when they connect, and the release of a blocked client. */
final class Client implements Command {
    @Override
    public RespFrame execute(List<byte[]> args, CommandContext ctx) {
        byte[] sub = args.get(1);
        if (Args.is(sub, "setname")) {
            if (args.size() != 3) {
                return RespFrame.error(Errors.wrongArity("client|setname"));
            }
            RespFrame refused = setName(args.get(2), ctx);
            return refused != null ? refused : RespFrame.OK;
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
        if (Args.is(sub, "unblock")) {
            if (args.size() < 3) {
                return RespFrame.error(Errors.wrongArity("client|unblock"));
            }
            if (args.size() > 4) {
                return RespFrame.error(CommandTable.oneLine("ERR unknown subcommand or wrong number of arguments for '"
                        + truncated(sub) + "'. Try CLIENT HELP."));
            }
            long id = Args.longValue(args.get(2));
            boolean error = false;
            if (args.size() == 4) {
                if (Args.is(args.get(3), "error")) {
                    error = true;
                } else if (!Args.is(args.get(3), "timeout")) {
                    return RespFrame.error("ERR CLIENT UNBLOCK reason should be TIMEOUT or ERROR");
                }
            }
            return ctx.shared().blocked().unblock(id, error) ? RespFrame.ONE : RespFrame.ZERO;
        }
        if (Args.is(sub, "setinfo")) {
            if (args.size() != 4) {
                return RespFrame.error(Errors.wrongArity("client|setinfo"));
            }
            return RespFrame.OK; // library name and version: accepted, not kept
        }
        return RespFrame.error(CommandTable.oneLine("ERR unknown subcommand '" + truncated(sub) + "'. Try CLIENT HELP."));
    }

    /**
     * Sets the client's name (empty clears it), as CLIENT SETNAME and HELLO SETNAME do; returns the error reply for a
     * name with spaces, newlines or other bytes outside '!'..'~', else null.
     */
    static @Nullable RespFrame setName(byte[] name, CommandContext ctx) {
        for (byte b : name) {
            if (b < '!' || b > '~') {
                return RespFrame.error("ERR Client names cannot contain spaces, newlines or special characters.");
            }
        }
        ctx.setClientName(name.length == 0 ? null : Args.text(name));
        return null;
    }

    static String truncated(byte[] arg) {
        String s = Args.text(arg);
        return s.length() > 128 ? s.substring(0, 128) : s;
    }
}
