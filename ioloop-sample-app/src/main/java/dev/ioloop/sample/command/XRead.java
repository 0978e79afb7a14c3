package dev.ioloop.sample.command;

import dev.ioloop.sample.resp.RespFrame;
import dev.ioloop.sample.store.StreamValue;
import dev.ioloop.sample.store.StreamValue.StreamEntry;
import dev.ioloop.sample.store.StreamValue.StreamId;
import java.util.ArrayList;
import java.util.List;

/**
 * XREAD [COUNT count] [BLOCK ms] STREAMS key [key ...] id [id ...]: for each stream with entries after its ID
 * ({@code $}: its last ID), {@code [key, [entries]]}; {@code *-1} when none has any. Waiting (BLOCK with nothing to
 * read yet) is not done here: it answers an error saying so, and data already there is answered at once as Redis
 * does. The GROUP and NOACK options belong to XREADGROUP, with Redis's errors.
 */
final class XRead implements Command {

    static final String BLOCK_NOT_IMPLEMENTED = "ERR XREAD BLOCK waiting is not implemented by this server";

    @Override
    public RespFrame execute(List<byte[]> args, CommandContext ctx) {
        boolean block = false;
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
                block = true;
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
        for (int k = 0; k < streams; k++) {
            StreamValue stream = ctx.store().read(Args.key(args.get(streamsArg + k)), StreamValue.KIND);
            if (stream == null || stream.length() == 0 || stream.last().id().compareTo(after[k]) <= 0) {
                continue;
            }
            StreamId start = StreamArgs.increment(after[k]);
            List<StreamEntry> entries = stream.range(start, StreamArgs.MAX, count, false);
            out.add(new RespFrame.RespArray(List.of(RespFrame.bulk(args.get(streamsArg + k).clone()),
                    XRange.entries(entries))));
        }
        if (out.isEmpty()) {
            return block ? RespFrame.error(BLOCK_NOT_IMPLEMENTED) : RespFrame.NULL_ARRAY;
        }
        return new RespFrame.RespArray(out);
    }
}
