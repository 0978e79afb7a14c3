package dev.ioloop.sample.command;

import dev.ioloop.sample.resp.RespFrame;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;

/**
 * AUTH [username] password, against {@code requirepass} (the only user is {@code default}). The comparison takes
 * the same time whatever the guess.
 */
final class Auth implements Command {
    @Override
    public RespFrame execute(List<byte[]> args, CommandContext ctx) {
        if (args.size() > 3) {
            return RespFrame.error(Errors.SYNTAX);
        }
        String required = ctx.server().requirePass();
        if (args.size() == 2 && required == null) {
            return RespFrame.error("ERR AUTH <password> called without any password configured for the default user. "
                    + "Are you sure your configuration is correct?");
        }
        boolean userOk = args.size() == 2 || Args.is(args.get(1), "default");
        byte[] password = args.get(args.size() - 1);
        boolean passwordOk = required == null
                || MessageDigest.isEqual(password, required.getBytes(StandardCharsets.UTF_8));
        if (!userOk || !passwordOk) {
            return RespFrame.error("WRONGPASS invalid username-password pair or user is disabled.");
        }
        ctx.authenticate();
        return RespFrame.OK;
    }
}
