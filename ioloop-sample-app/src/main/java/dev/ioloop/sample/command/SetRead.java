package dev.ioloop.sample.command;

import dev.ioloop.sample.resp.RespFrame;
import dev.ioloop.sample.store.SetValue;
import java.util.ArrayList;
import java.util.List;

/** SCARD key, SMEMBERS key and SISMEMBER key member: an absent key is an empty set. */
final class SetRead implements Command {

    /** Which of the three commands. */
    enum Form { SCARD, SMEMBERS, SISMEMBER }

    private final Form form;

    SetRead(Form form) {
        this.form = form;
    }

    @Override
    public RespFrame execute(List<byte[]> args, CommandContext ctx) {
        SetValue set = ctx.store().read(Args.key(args.get(1)), SetValue.KIND);
        switch (form) {
            case SCARD:
                return RespFrame.integer(set == null ? 0 : set.size());
            case SISMEMBER:
                return set != null && set.contains(Args.text(args.get(2))) ? RespFrame.ONE : RespFrame.ZERO;
            default:
                if (set == null) {
                    return RespFrame.EMPTY_ARRAY;
                }
                List<RespFrame> out = new ArrayList<>(set.size());
                for (String member : set.members()) {
                    out.add(RespFrame.bulk(Args.bytes(member)));
                }
                return new RespFrame.RespArray(out);
        }
    }
}
