package dev.ioloop.sample.command;

import dev.ioloop.sample.resp.RespFrame;
import dev.ioloop.sample.store.ListValue;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/** LRANGE key start stop: inclusive, negative indices from the end, clamped; {@code *0} if absent. */
final class LRange implements Command {
    @Override
    public RespFrame execute(List<byte[]> args, CommandContext ctx) {
        long start = Args.longValue(args.get(2));
        long stop = Args.longValue(args.get(3));
        ListValue list = ctx.store().read(Args.key(args.get(1)), ListValue.KIND);
        if (list == null) {
            return RespFrame.EMPTY_ARRAY;
        }
        long size = list.size();
        RankRange range = RankRange.of(start, stop, size);
        if (range == null) {
            return RespFrame.EMPTY_ARRAY;
        }
        start = range.start();
        stop = range.stop();
        int n = range.length();
        List<RespFrame> out = new ArrayList<>(n);
        boolean fromTail = start > size - 1 - stop;
        if (!fromTail) {
            Iterator<byte[]> it = list.iterator();
            for (long i = 0; i < start; i++) {
                it.next();
            }
            for (int i = 0; i < n; i++) {
                out.add(RespFrame.bulk(it.next()));
            }
        } else {
            Iterator<byte[]> it = list.descendingIterator();
            for (long i = size - 1; i > stop; i--) {
                it.next();
            }
            RespFrame[] reversed = new RespFrame[n];
            for (int i = n - 1; i >= 0; i--) {
                reversed[i] = RespFrame.bulk(it.next());
            }
            out.addAll(List.of(reversed));
        }
        return new RespFrame.RespArray(out);
    }
}
