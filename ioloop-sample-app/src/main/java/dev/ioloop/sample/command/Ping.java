package dev.ioloop.sample.command;

import dev.ioloop.sample.resp.RespFrame;
import java.util.List;

/** PING [message]: {@code +PONG}, or the message as a bulk string. */
final class Ping implements Command {
    @Override
    public RespFrame execute(List<byte[]> args, CommandContext ctx) {
        if (args.size() > 2) {
            return RespFrame.error(Errors.wrongArity("ping"));
        }
        return args.size() == 1 ? RespFrame.PONG : RespFrame.bulk(args.get(1));
    }
}
