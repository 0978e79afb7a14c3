package dev.ioloop.sample.command;

import dev.ioloop.sample.resp.AsciiNumbers;
import dev.ioloop.sample.resp.RespFrame;
import java.util.List;

/**
 * HELLO [protover [AUTH username password] [SETNAME clientname]]: Redis 7's handshake, answered for protocol 2 as
 * Redis 7.0 answers it (server, version, proto, id, mode, role, modules as a flat array). This server speaks RESP2
 * only, so {@code HELLO 3} is refused with {@code -NOPROTO}, the reply Redis gives for a version it does not speak;
 * clients such as Lettuce then carry on in RESP2. Options run in order, as in Redis (SETNAME before a failing AUTH
 * still names the client); without AUTH the client must already be authenticated.
 */
final class Hello implements Command {

    private static final String NOAUTH = "NOAUTH HELLO must be called with the client already authenticated, "
            + "otherwise the HELLO AUTH <user> <pass> option can be used to authenticate the client and select the "
            + "RESP protocol version at the same time";

    @Override
    public RespFrame execute(List<byte[]> args, CommandContext ctx) {
        int next = 1;
        if (args.size() >= 2) {
            byte[] version = args.get(next++);
            long ver = AsciiNumbers.parseOrMin(version, 0, version.length);
            if (ver == AsciiNumbers.INVALID && !AsciiNumbers.isMinValueText(version, 0, version.length)) {
                return RespFrame.error("ERR Protocol version is not an integer or out of range");
            }
            if (ver != 2) {
                return RespFrame.error("NOPROTO unsupported protocol version"); // 3 included: RESP2 only
            }
        }
        for (int j = next; j < args.size(); j++) {
            int more = args.size() - 1 - j;
            byte[] option = args.get(j);
            if (Args.is(option, "auth") && more >= 2) {
                if (!Auth.authenticate(args.get(j + 1), args.get(j + 2), ctx)) {
                    return RespFrame.error(Auth.WRONGPASS);
                }
                j += 2;
            } else if (Args.is(option, "setname") && more >= 1) {
                RespFrame refused = Client.setName(args.get(j + 1), ctx);
                if (refused != null) {
                    return refused;
                }
                j++;
            } else {
                return RespFrame.error(CommandTable.oneLine("ERR Syntax error in HELLO option '" + CommandTable.cString(option) + "'"));
            }
        }
        if (!ctx.authenticated()) {
            return RespFrame.error(NOAUTH);
        }
        return new RespFrame.RespArray(List.of(
                RespFrame.bulk("server"), RespFrame.bulk("redis"),
                RespFrame.bulk("version"), RespFrame.bulk(ServerInfo.REDIS_VERSION),
                RespFrame.bulk("proto"), RespFrame.integer(2),
                RespFrame.bulk("id"), RespFrame.integer(ctx.clientId()),
                RespFrame.bulk("mode"), RespFrame.bulk("standalone"),
                RespFrame.bulk("role"), RespFrame.bulk("master"),
                RespFrame.bulk("modules"), RespFrame.EMPTY_ARRAY));
    }
}
