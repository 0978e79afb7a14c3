package dev.ioloop.sample.command;

import dev.ioloop.sample.resp.RespFrame;
import dev.ioloop.sample.store.Key;
import dev.ioloop.sample.store.KeyValueStore;
import dev.ioloop.sample.store.StreamValue;
import dev.ioloop.sample.store.StreamValue.StreamEntry;
import dev.ioloop.sample.store.StreamValue.StreamId;
import dev.ioloop.sample.store.ValueType;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * XREAD [COUNT count] [BLOCK ms] STREAMS key [key ...] id [id ...]: for each stream with entries after its ID
 * ({@code $}: its last ID), {@code [key, [entries]]}; {@code *-1} when none has any. With BLOCK (milliseconds, 0 =
 * forever) and nothing to read yet, the client waits in {@link BlockedClients} on all the keys, with each {@code $}
 * fixed to the stream's last ID when it blocked; the first stream to get an entry after its ID answers it, alone, as
 * Redis 7.0 does ({@code *-1} on timeout; inside EXEC no wait, {@code *-1} at once). A key that is not a stream when it
 * changes keeps the client waiting. The GROUP and NOACK options belong to XREADGROUP, with Redis's errors.
 */
final class XRead implements Command {

    @Override
    public RespFrame execute(List<byte[]> args, CommandContext ctx) {
        long blockMillis = -1;
        long count = 0;
        int streamsArg = 0;
        int streams = 0;
        for (int i = 1; i < args.size(); i++) {
            int more = args.size() - i - 1;
            byte[] o = args.get(i);
            if (Args.is(o, "block") && more > 0) {
                long timeout = Args.longValue(args.get(++i), "ERR timeout is not an integer or out of range");
                if (timeout < 0) {
                    return RespFrame.error("ERR timeout is negative");
                }
                blockMillis = timeout;
            } else if (Args.is(o, "count") && more > 0) {
                count = Math.max(0, Args.longValue(args.get(++i)));
            } else if (Args.is(o, "streams") && more > 0) {
                streamsArg = i + 1;
                streams = args.size() - streamsArg;
                if (streams % 2 != 0) {
                    return RespFrame.error("ERR Unbalanced XREAD list of streams: for each stream key an ID or '$' "
                            + "must be specified.");
                }
                streams /= 2;
                break;
            } else if (Args.is(o, "group") && more >= 2) {
                return RespFrame.error("ERR The GROUP option is only supported by XREADGROUP. You called XREAD instead.");
            } else if (Args.is(o, "noack")) {
                return RespFrame.error("ERR The NOACK option is only supported by XREADGROUP. You called XREAD instead.");
            } else {
                return RespFrame.error(Errors.SYNTAX);
            }
        }
        if (streamsArg == 0) {
            return RespFrame.error(Errors.SYNTAX);
        }
        StreamId[] after = new StreamId[streams];
        for (int k = 0; k < streams; k++) {
            StreamValue stream = ctx.store().read(Args.key(args.get(streamsArg + k)), StreamValue.KIND);
            byte[] idArg = args.get(streamsArg + streams + k);
            if (idArg.length == 1 && idArg[0] == '$') {
                after[k] = stream == null ? StreamId.ZERO : stream.lastId();
            } else if (idArg.length == 1 && idArg[0] == '>') {
                return RespFrame.error("ERR The > ID can be specified only when calling XREADGROUP using the GROUP "
                        + "<group> <consumer> option.");
            } else {
                after[k] = StreamArgs.id(idArg, 0, true);
            }
        }
        List<RespFrame> out = new ArrayList<>();
        List<Key> keys = new ArrayList<>(streams);
        for (int k = 0; k < streams; k++) {
            Key key = Args.key(args.get(streamsArg + k));
            keys.add(key);
            RespFrame read = readAfter(ctx.store().read(key, StreamValue.KIND), key, after[k], count);
            if (read != null) {
                out.add(read);
            }
        }
        if (!out.isEmpty()) {
            return new RespFrame.RespArray(out);
        }
        if (blockMillis < 0 || ctx.executingTransaction() || ctx.blockingClient() == null) {
            return RespFrame.NULL_ARRAY;
        }
        long readCount = count;
        KeyValueStore store = ctx.store();
        ctx.shared().blocked().block(ctx, keys, blockMillis, readyKey -> {
            if (store.type(readyKey) != ValueType.STREAM) {
                return null; // gone or of another type now: keep waiting, as Redis 7.0
            }
            StreamValue stream = store.read(readyKey, StreamValue.KIND);
            RespFrame read = readAfter(stream, readyKey, after[keys.indexOf(readyKey)], readCount);
            return read == null ? null : new RespFrame.RespArray(List.of(read));
        }, RespFrame.NULL_ARRAY);
        return RespFrame.NULL_ARRAY; // not sent: the client is blocked
    }

    /** {@code [key, [entries]]} for up to {@code count} (0: all) entries after {@code after}, or null if none. */
    private static @Nullable RespFrame readAfter(@Nullable StreamValue stream, Key key, StreamId after, long count) {
        if (stream == null || stream.length() == 0 || stream.last().id().compareTo(after) <= 0) {
            return null;
        }
        List<StreamEntry> entries = stream.range(StreamArgs.increment(after), StreamArgs.MAX, count, false);
        return new RespFrame.RespArray(List.of(RespFrame.bulk(key.bytes()), XRange.entries(entries)));
    }
}
