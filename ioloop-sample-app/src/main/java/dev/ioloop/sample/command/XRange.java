package dev.ioloop.sample.command;

import dev.ioloop.sample.resp.RespFrame;
import dev.ioloop.sample.store.StreamValue;
import dev.ioloop.sample.store.StreamValue.StreamEntry;
import dev.ioloop.sample.store.StreamValue.StreamId;
import java.util.ArrayList;
import java.util.List;

/**
 * XRANGE key start end [COUNT count] and XREVRANGE key end start [COUNT count]: entries with IDs in the interval
 * ({@code -}, {@code +}, {@code (} for exclusive bounds, {@code ms} alone meaning its first or last sequence), as
 * {@code [id, [field, value, ...]]}; COUNT 0 (or negative) answers {@code *-1}, as Redis does.
 */
final class XRange implements Command {

    private final boolean reverse;

    XRange(boolean reverse) {
        this.reverse = reverse;
    }

    @Override
    public RespFrame execute(List<byte[]> args, CommandContext ctx) {
        StreamArgs.Bound startBound = StreamArgs.bound(reverse ? args.get(3) : args.get(2), 0);
        StreamId start = startBound.id();
        if (startBound.exclusive()) {
            start = StreamArgs.increment(start);
            if (start == null) {
                return RespFrame.error("ERR invalid start ID for the interval");
            }
        }
        StreamArgs.Bound endBound = StreamArgs.bound(reverse ? args.get(2) : args.get(3), -1L);
        StreamId end = endBound.id();
        if (endBound.exclusive()) {
            end = StreamArgs.decrement(end);
            if (end == null) {
                return RespFrame.error("ERR invalid end ID for the interval");
            }
        }
        long count = -1;
        for (int j = 4; j < args.size(); j++) {
            if (Args.is(args.get(j), "count") && j + 1 < args.size()) {
                count = Math.max(0, Args.longValue(args.get(++j)));
            } else {
                return RespFrame.error(Errors.SYNTAX);
            }
        }
        StreamValue stream = ctx.store().read(Args.key(args.get(1)), StreamValue.KIND);
        if (stream == null) {
            return RespFrame.EMPTY_ARRAY;
        }
        if (count == 0) {
            return RespFrame.NULL_ARRAY;
        }
        return entries(stream.range(start, end, Math.max(count, 0), reverse));
    }

    /** Redis's entry replies: {@code [id, [field, value, ...]]} each. */
    static RespFrame entries(List<StreamEntry> entries) {
        List<RespFrame> out = new ArrayList<>(entries.size());
        for (StreamEntry e : entries) {
            out.add(entry(e));
        }
        return new RespFrame.RespArray(out);
    }

    static RespFrame entry(StreamEntry e) {
        List<RespFrame> fields = new ArrayList<>(e.fieldsAndValues().length);
        for (byte[] f : e.fieldsAndValues()) {
            fields.add(RespFrame.bulk(f));
        }
        return new RespFrame.RespArray(List.of(RespFrame.bulk(e.id().toString()), new RespFrame.RespArray(fields)));
    }
}
