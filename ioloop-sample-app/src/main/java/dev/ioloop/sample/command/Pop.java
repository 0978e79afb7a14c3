package dev.ioloop.sample.command;

import dev.ioloop.sample.resp.RespFrame;
import dev.ioloop.sample.store.Key;
import dev.ioloop.sample.store.ListValue;
import java.util.ArrayList;
import java.util.List;

/**
 * LPOP / RPOP key [count]: without count, one element or {@code $-1}; with count, an array of up to count elements
 * or {@code *-1} if the key is absent. An emptied list is removed.
 */
final class Pop implements Command {

    private final boolean head;

    Pop(boolean head) {
        this.head = head;
    }

    @Override
    public RespFrame execute(List<byte[]> args, CommandContext ctx) {
        if (args.size() > 3) {
            return RespFrame.error(Errors.wrongArity(ctx.commandName()));
        }
        boolean hasCount = args.size() == 3;
        long count = hasCount ? Args.nonNegative(args.get(2)) : 0;
        Key key = Args.key(args.get(1));
        ListValue list = ctx.store().modify(key, ListValue.KIND);
        if (list == null) {
            return hasCount ? RespFrame.NULL_ARRAY : RespFrame.NULL_BULK;
        }
        if (hasCount && count == 0) {
            return RespFrame.EMPTY_ARRAY;
        }
        RespFrame reply;
        if (!hasCount) {
            reply = RespFrame.bulk(head ? list.pollFirst() : list.pollLast());
        } else {
            List<RespFrame> popped = new ArrayList<>();
            for (long i = 0; i < count && !list.isEmpty(); i++) {
                popped.add(RespFrame.bulk(head ? list.pollFirst() : list.pollLast()));
            }
            reply = new RespFrame.RespArray(popped);
        }
        ctx.store().deleteIfEmpty(key);
        return reply;
    }
}
