package dev.ioloop.sample.command;

import dev.ioloop.sample.resp.RespFrame;
import dev.ioloop.sample.store.HashValue;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * HRANDFIELD key [count [WITHVALUES]]: one random field ({@code $-1} if the key is absent), or with a count an array
 * of fields (and values) picked as {@link RandomPicks} describes. A count covering the hash answers every field in
 * insertion order, as Redis's small hashes do.
 */
final class HRandField implements Command {
    @Override
    public RespFrame execute(List<byte[]> args, CommandContext ctx) {
        boolean withValues = false;
        long count = 0;
        if (args.size() >= 3) {
            count = RandomPicks.count(args.get(2));
            if (args.size() > 4 || (args.size() == 4 && !Args.is(args.get(3), "withvalues"))) {
                return RespFrame.error(Errors.SYNTAX);
            }
            if (args.size() == 4) {
                withValues = true;
                if (count < -Long.MAX_VALUE / 2 || count > Long.MAX_VALUE / 2) {
                    return RespFrame.error(Errors.OUT_OF_RANGE);
                }
            }
        }
        HashValue hash = ctx.store().read(Args.key(args.get(1)), HashValue.KIND);
        if (args.size() < 3) {
            if (hash == null) {
                return RespFrame.NULL_BULK;
            }
            List<String> fields = new ArrayList<>(hash.keySet());
            return RespFrame.bulk(Args.bytes(fields.get(ctx.store().random().nextInt(fields.size()))));
        }
        if (hash == null || count == 0) {
            return RespFrame.EMPTY_ARRAY;
        }
        RandomPicks.checkRepeated(count);
        List<RespFrame> out = new ArrayList<>();
        for (Map.Entry<String, byte[]> e : RandomPicks.pick(new ArrayList<>(hash.entrySet()), count, ctx.store().random())) {
            out.add(RespFrame.bulk(Args.bytes(e.getKey())));
            if (withValues) {
                out.add(RespFrame.bulk(e.getValue()));
            }
        }
        return new RespFrame.RespArray(out);
    }
}
