package dev.ioloop.sample.command;

import dev.ioloop.sample.resp.RespFrame;
import dev.ioloop.sample.store.ValueType;
import java.util.List;

/** TYPE key: {@code +string}, {@code +list}, {@code +set}, {@code +hash}, {@code +zset}, {@code +stream} or {@code +none}. */
final class Type implements Command {
    @Override
    public RespFrame execute(List<byte[]> args, CommandContext ctx) {
        ValueType type = ctx.store().type(Args.key(args.get(1)));
        return new RespFrame.SimpleString(type == null ? "none" : type.redisName());
    }
}
