package dev.ioloop.sample.command;

import dev.ioloop.sample.resp.RespFrame;
import java.util.List;

/** SELECT index: only database 0 exists, as with Redis's {@code databases 1}. */
final class Select implements Command {
    @Override
    public RespFrame execute(List<byte[]> args, CommandContext ctx) {
        long index = Args.longValue(args.get(1));
        if (index < Integer.MIN_VALUE || index > Integer.MAX_VALUE) {
            return RespFrame.error(Errors.OUT_OF_RANGE);
        }
        return index == 0 ? RespFrame.OK : RespFrame.error("ERR DB index is out of range");
    }
}
