package dev.ioloop.sample.command;

import dev.ioloop.sample.resp.RespFrame;
import java.util.List;

/** ECHO message: the message as a bulk string. */
final class Echo implements Command {
    @Override
    public RespFrame execute(List<byte[]> args, CommandContext ctx) {
        return RespFrame.bulk(args.get(1));
    }
}
