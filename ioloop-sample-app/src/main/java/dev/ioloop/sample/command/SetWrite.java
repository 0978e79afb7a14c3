package dev.ioloop.sample.command;

import dev.ioloop.sample.resp.RespFrame;
import dev.ioloop.sample.store.Key;
import dev.ioloop.sample.store.SetValue;
import java.util.List;

/** SADD / SREM key member...: how many members were added (created the set if absent) or removed (an emptied set is deleted). */
final class SetWrite implements Command {

    private final boolean add;

    SetWrite(boolean add) {
        this.add = add;
    }

    @Override
    public RespFrame execute(List<byte[]> args, CommandContext ctx) {
        Key key = Args.key(args.get(1));
        SetValue set = add ? ctx.store().modifyOrCreate(key, SetValue.KIND) : ctx.store().modify(key, SetValue.KIND);
        if (set == null) {
            return RespFrame.ZERO;
        }
        long changed = 0;
        for (int i = 2; i < args.size(); i++) {
            String member = Args.text(args.get(i));
            if (add ? set.add(member) : set.remove(member)) {
                changed++;
            }
        }
        ctx.store().deleteIfEmpty(key);
        return RespFrame.integer(changed);
    }
}
