package dev.ioloop.sample.command;

import dev.ioloop.sample.resp.RespFrame;
import dev.ioloop.sample.store.StreamValue;
import dev.ioloop.sample.store.StreamValue.StreamEntry;
import java.util.ArrayList;
import java.util.List;

/**
 * XINFO STREAM key: Redis 7.0's summary of a stream, as a flat array of names and values. radix-tree-keys is the
 * number of nodes of the stream's model of Redis's radix tree; radix-tree-nodes, the count of Redis's internal
 * radix-tree nodes, has no equivalent here and is answered as one more than the keys (an estimate). The FULL form,
 * XINFO GROUPS and XINFO CONSUMERS (consumer groups) are not implemented and say so.
 */
final class XInfo implements Command {

    @Override
    public RespFrame execute(List<byte[]> args, CommandContext ctx) {
        byte[] sub = args.get(1);
        if (Args.is(sub, "stream") && args.size() >= 3) {
            if (args.size() > 3) {
                return RespFrame.error("ERR XINFO STREAM FULL is not implemented by this server");
            }
            StreamValue stream = ctx.store().read(Args.key(args.get(2)), StreamValue.KIND);
            if (stream == null) {
                return RespFrame.error(Errors.NO_SUCH_KEY);
            }
            return stream(stream);
        }
        if ((Args.is(sub, "groups") && args.size() == 3) || (Args.is(sub, "consumers") && args.size() == 4)) {
            return RespFrame.error("ERR consumer groups are not implemented by this server");
        }
        if (Args.is(sub, "stream") || Args.is(sub, "groups") || Args.is(sub, "consumers")) {
            return RespFrame.error(Errors.wrongArity("xinfo|" + Args.lower(sub)));
        }
        return RespFrame.error(CommandTable.oneLine("ERR unknown subcommand '" + CommandTable.cString(sub)
                + "'. Try XINFO HELP."));
    }

    private static RespFrame stream(StreamValue stream) {
        List<RespFrame> out = new ArrayList<>(20);
        out.add(RespFrame.bulk("length"));
        out.add(RespFrame.integer(stream.length()));
        out.add(RespFrame.bulk("radix-tree-keys"));
        out.add(RespFrame.integer(stream.nodeCount()));
        out.add(RespFrame.bulk("radix-tree-nodes"));
        out.add(RespFrame.integer(stream.nodeCount() + 1L));
        out.add(RespFrame.bulk("last-generated-id"));
        out.add(RespFrame.bulk(stream.lastId().toString()));
        out.add(RespFrame.bulk("max-deleted-entry-id"));
        out.add(RespFrame.bulk(stream.maxDeletedId().toString()));
        out.add(RespFrame.bulk("entries-added"));
        out.add(RespFrame.integer(stream.entriesAdded()));
        StreamEntry first = stream.first();
        StreamEntry last = stream.last();
        out.add(RespFrame.bulk("recorded-first-entry-id"));
        out.add(RespFrame.bulk(first == null ? "0-0" : first.id().toString()));
        out.add(RespFrame.bulk("groups"));
        out.add(RespFrame.ZERO);
        out.add(RespFrame.bulk("first-entry"));
        out.add(first == null ? RespFrame.NULL_BULK : XRange.entry(first));
        out.add(RespFrame.bulk("last-entry"));
        out.add(last == null ? RespFrame.NULL_BULK : XRange.entry(last));
        return new RespFrame.RespArray(out);
    }
}
