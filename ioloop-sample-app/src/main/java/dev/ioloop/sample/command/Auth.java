package dev.ioloop.sample.command;

import dev.ioloop.sample.resp.RespFrame;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import org.jspecify.annotations.Nullable;

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
        return authenticate(args.size() == 2 ? null : args.get(1), args.get(args.size() - 1), ctx) ? RespFrame.OK
                : RespFrame.error(WRONGPASS);
    }

    static final String WRONGPASS = "WRONGPASS invalid username-password pair or user is disabled.";

    /**
     * Checks a user (null: {@code default}) and password against requirepass, as AUTH and HELLO AUTH do: the only
     * user is {@code default}, and without requirepass it takes any password. Authenticates the client on success.
     */
    static boolean authenticate(byte @Nullable [] user, byte[] password, CommandContext ctx) {
        String required = ctx.server().requirePass();
        boolean userOk = user == null || Args.is(user, "default");
        boolean passwordOk = required == null
                || MessageDigest.isEqual(password, required.getBytes(StandardCharsets.UTF_8));
        if (!userOk || !passwordOk) {
            return false;
        }
        ctx.authenticate();
        return true;
    }
}
