package dev.ioloop.sample.command;

import dev.ioloop.sample.resp.RespFrame;
import dev.ioloop.sample.store.Key;
import dev.ioloop.sample.store.ListValue;
import java.util.List;

/**
 * LPUSH / RPUSH key element...: the list's new length; creates the list if absent. LPUSHX / RPUSHX push only onto an
 * existing list ({@code :0} otherwise).
 */
final class Push implements Command {

    private final boolean head;
    private final boolean onlyIfExists;

    Push(boolean head) {
        this(head, false);
    }

    /** @param onlyIfExists LPUSHX / RPUSHX */
    Push(boolean head, boolean onlyIfExists) {
        this.head = head;
        this.onlyIfExists = onlyIfExists;
    }

    @Override
    public RespFrame execute(List<byte[]> args, CommandContext ctx) {
        Key key = Args.key(args.get(1));
        if (onlyIfExists && ctx.store().read(key, ListValue.KIND) == null) {
            return RespFrame.ZERO;
        }
        ListValue list = ctx.store().modifyOrCreate(key, ListValue.KIND);
        for (int i = 2; i < args.size(); i++) {
            if (head) {
                list.addFirst(args.get(i));
            } else {
                list.addLast(args.get(i));
            }
        }
        return RespFrame.integer(list.size());
    }
}
