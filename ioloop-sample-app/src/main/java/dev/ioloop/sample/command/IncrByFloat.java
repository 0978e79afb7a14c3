package dev.ioloop.sample.command;

import dev.ioloop.sample.resp.RespFrame;
import dev.ioloop.sample.store.Key;
import dev.ioloop.sample.store.KeyValueStore;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * INCRBYFLOAT key increment: adds in Redis's 80-bit {@code long double} ({@link LongDouble}) and stores the sum as
 * Redis's human-readable text; keeps the expiry time. An absent key counts as 0.
 */
final class IncrByFloat implements Command {

    static final String NOT_A_FLOAT = "ERR value is not a valid float";
    static final String NAN_OR_INFINITY = "ERR increment would produce NaN or Infinity";

    @Override
    public RespFrame execute(List<byte[]> args, CommandContext ctx) {
        KeyValueStore store = ctx.store();
        Key key = Args.key(args.get(1));
        byte[] old = store.getString(key);
        LongDouble.Value value = old == null ? LongDouble.parse(new byte[] {'0'}) : LongDouble.parse(old);
        LongDouble.Value increment = LongDouble.parse(args.get(2));
        if (value == null || increment == null) {
            return RespFrame.error(NOT_A_FLOAT);
        }
        LongDouble.Value sum = LongDouble.add(value, increment);
        if (sum == null || !sum.isFinite()) {
            return RespFrame.error(NAN_OR_INFINITY);
        }
        byte[] text = LongDouble.format(sum).getBytes(StandardCharsets.US_ASCII);
        store.setString(key, text, true);
        return RespFrame.bulk(text);
    }
}
