package dev.ioloop.sample.command;

import dev.ioloop.sample.resp.RespFrame;
import java.util.List;

/**
 * TIME: the server's Unix time as two bulk strings, seconds and microseconds. The store's clock has millisecond
 * resolution, so the microseconds are a multiple of 1000.
 */
final class Time implements Command {
    @Override
    public RespFrame execute(List<byte[]> args, CommandContext ctx) {
        long millis = ctx.store().unixMillis();
        return new RespFrame.RespArray(List.of(RespFrame.bulk(Long.toString(Math.floorDiv(millis, 1000))),
                RespFrame.bulk(Long.toString(Math.floorMod(millis, 1000) * 1000))));
    }
}
