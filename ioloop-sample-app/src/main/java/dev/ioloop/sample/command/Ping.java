package dev.ioloop.sample.command;

import dev.ioloop.sample.resp.RespFrame;
import java.util.List;

/** PING [message]: {@code +PONG}, or the message as a bulk string; a subscribed client gets {@code *2 pong message}. */
final class Ping implements Command {
    @Override
    public RespFrame execute(List<byte[]> args, CommandContext ctx) {
        if (args.size() > 2) {
            return RespFrame.error(Errors.wrongArity("ping"));
        }
        if (ctx.subscriptionCount() > 0) { // RESP2's subscribed mode answers as a pub/sub message
            return new RespFrame.RespArray(List.of(RespFrame.bulk("pong"),
                    RespFrame.bulk(args.size() == 1 ? new byte[0] : args.get(1))));
        }
        return args.size() == 1 ? RespFrame.PONG : RespFrame.bulk(args.get(1));
    }
}
