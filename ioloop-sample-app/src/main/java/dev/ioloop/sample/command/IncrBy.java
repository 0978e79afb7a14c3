package dev.ioloop.sample.command;

import dev.ioloop.sample.resp.RespFrame;
import dev.ioloop.sample.store.Key;
import dev.ioloop.sample.store.KeyValueStore;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** INCR, INCRBY, DECR and DECRBY, one function in Redis too: 64-bit signed arithmetic with overflow errors. */
final class IncrBy implements Command {

    /** Which of the four commands. */
    enum Form { INCR, INCRBY, DECR, DECRBY }

    private final Form form;

    IncrBy(Form form) {
        this.form = form;
    }

    @Override
    public RespFrame execute(List<byte[]> args, CommandContext ctx) {
        long delta;
        switch (form) {
            case INCR:
                delta = 1;
                break;
            case DECR:
                delta = -1;
                break;
            case INCRBY:
                delta = Args.longValue(args.get(2));
                break;
            default:
                delta = Args.longValue(args.get(2));
                if (delta == Long.MIN_VALUE) {
                    return RespFrame.error("ERR decrement would overflow");
                }
                delta = -delta;
        }
        KeyValueStore store = ctx.store();
        Key key = Args.key(args.get(1));
        byte[] old = store.getString(key);
        long value = 0;
        if (old != null) {
            value = Args.longValue(old);
        }
        if ((delta < 0 && value < 0 && delta < Long.MIN_VALUE - value)
                || (delta > 0 && value > 0 && delta > Long.MAX_VALUE - value)) {
            return RespFrame.error("ERR increment or decrement would overflow");
        }
        value += delta;
        store.setString(key, Long.toString(value).getBytes(StandardCharsets.US_ASCII), true);
        return RespFrame.integer(value);
    }
}
