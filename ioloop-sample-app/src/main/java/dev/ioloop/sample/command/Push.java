package dev.ioloop.sample.command;

import dev.ioloop.sample.resp.RespFrame;
import dev.ioloop.sample.store.ListValue;
import java.util.List;

/** LPUSH / RPUSH key element...: the list's new length; creates the list if absent. */
final class Push implements Command {

    private final boolean head;

    Push(boolean head) {
        this.head = head;
    }

    @Override
    public RespFrame execute(List<byte[]> args, CommandContext ctx) {
        ListValue list = ctx.store().modifyOrCreate(Args.key(args.get(1)), ListValue.KIND);
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
