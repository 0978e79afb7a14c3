package dev.ioloop.sample.command;

import dev.ioloop.sample.resp.RespFrame;
import java.util.Arrays;
import java.util.List;

/**
 * GETRANGE key start end: the bytes from {@code start} to {@code end} inclusive, negative indexes counting from the
 * end, clamped as Redis clamps them; an empty bulk string for an absent key or an empty range.
 */
final class GetRange implements Command {

    private static final RespFrame EMPTY = RespFrame.bulk(new byte[0]);

    @Override
    public RespFrame execute(List<byte[]> args, CommandContext ctx) {
        long start = Args.longValue(args.get(2));
        long end = Args.longValue(args.get(3));
        byte[] s = ctx.store().getString(Args.key(args.get(1)));
        if (s == null) {
            return EMPTY;
        }
        long length = s.length;
        if (start < 0 && end < 0 && start > end) {
            return EMPTY;
        }
        if (start < 0) {
            start = length + start;
        }
        if (end < 0) {
            end = length + end;
        }
        start = Math.max(start, 0);
        end = Math.max(end, 0);
        if (end >= length) {
            end = length - 1;
        }
        if (start > end || length == 0) {
            return EMPTY;
        }
        return RespFrame.bulk(Arrays.copyOfRange(s, (int) start, (int) end + 1));
    }
}
