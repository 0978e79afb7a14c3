package dev.ioloop.sample.command;

import dev.ioloop.sample.resp.RespFrame;
import dev.ioloop.sample.store.HashValue;
import java.util.List;

/**
 * HSET key field value [field value ...]: how many fields were new; creates the hash if absent. HMSET is the same
 * with {@code +OK} for a reply.
 */
final class HSet implements Command {

    private final boolean hmset;

    HSet() {
        this(false);
    }

    /** @param hmset HMSET (answers OK) rather than HSET */
    HSet(boolean hmset) {
        this.hmset = hmset;
    }

    @Override
    public RespFrame execute(List<byte[]> args, CommandContext ctx) {
        if (args.size() % 2 == 1) {
            return RespFrame.error(Errors.wrongArity(ctx.commandName()));
        }
        HashValue hash = ctx.store().modifyOrCreate(Args.key(args.get(1)), HashValue.KIND);
        long created = 0;
        for (int i = 2; i < args.size(); i += 2) {
            if (hash.put(Args.text(args.get(i)), args.get(i + 1)) == null) {
                created++;
            }
        }
        return hmset ? RespFrame.OK : RespFrame.integer(created);
    }
}
