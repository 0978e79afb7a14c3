package dev.ioloop.sample.command;

import dev.ioloop.sample.resp.RespFrame;
import java.util.List;

/** QUIT: {@code +OK}, then the connection closes once its replies are written. */
final class Quit implements Command {
    @Override
    public RespFrame execute(List<byte[]> args, CommandContext ctx) {
        ctx.requestClose();
        return RespFrame.OK;
    }
}
