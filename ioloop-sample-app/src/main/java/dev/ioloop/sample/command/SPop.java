package dev.ioloop.sample.command;

import dev.ioloop.sample.resp.RespFrame;
import dev.ioloop.sample.store.Key;
import dev.ioloop.sample.store.SetValue;
import java.util.ArrayList;
import java.util.List;

/**
 * SPOP key [count]: without count, one random member or {@code $-1}; with count, an array of up to count distinct
 * random members ({@code *0} if the key is absent). An emptied set is deleted.
 */
final class SPop implements Command {
    @Override
    public RespFrame execute(List<byte[]> args, CommandContext ctx) {
        if (args.size() > 3) {
            return RespFrame.error(Errors.SYNTAX);
        }
        boolean hasCount = args.size() == 3;
        long count = hasCount ? Args.nonNegative(args.get(2)) : 1;
        Key key = Args.key(args.get(1));
        SetValue set = ctx.store().modify(key, SetValue.KIND);
        if (set == null) {
            return hasCount ? RespFrame.EMPTY_ARRAY : RespFrame.NULL_BULK;
        }
        RespFrame reply;
        if (!hasCount) {
            reply = RespFrame.bulk(Args.bytes(set.popRandom(ctx.store().random())));
        } else {
            List<RespFrame> popped = new ArrayList<>();
            for (long i = 0; i < count && !set.isEmpty(); i++) {
                popped.add(RespFrame.bulk(Args.bytes(set.popRandom(ctx.store().random()))));
            }
            reply = new RespFrame.RespArray(popped);
        }
        ctx.store().deleteIfEmpty(key);
        return reply;
    }
}
