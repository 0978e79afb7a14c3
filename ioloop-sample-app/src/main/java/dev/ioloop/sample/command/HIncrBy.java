package dev.ioloop.sample.command;

import dev.ioloop.sample.resp.AsciiNumbers;
import dev.ioloop.sample.resp.RespFrame;
import dev.ioloop.sample.store.HashValue;
import dev.ioloop.sample.store.Key;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * HINCRBY key field increment (64-bit integers, overflow refused) and HINCRBYFLOAT key field increment (Redis's
 * 80-bit long double, {@link LongDouble}): the field's new value; an absent field or key counts as 0.
 */
final class HIncrBy implements Command {

    private final boolean floating;

    /** @param floating HINCRBYFLOAT rather than HINCRBY */
    HIncrBy(boolean floating) {
        this.floating = floating;
    }

    @Override
    public RespFrame execute(List<byte[]> args, CommandContext ctx) {
        return floating ? incrByFloat(args, ctx) : incrBy(args, ctx);
    }

    private static RespFrame incrBy(List<byte[]> args, CommandContext ctx) {
        long increment = Args.longValue(args.get(3));
        Key key = Args.key(args.get(1));
        String field = Args.text(args.get(2));
        HashValue read = ctx.store().read(key, HashValue.KIND);
        byte[] old = read == null ? null : read.get(field);
        long value = 0;
        if (old != null) {
            value = AsciiNumbers.parseOrMin(old, 0, old.length);
            if (value == AsciiNumbers.INVALID && !AsciiNumbers.isMinValueText(old, 0, old.length)) {
                return RespFrame.error("ERR hash value is not an integer");
            }
        }
        if ((increment < 0 && value < 0 && increment < Long.MIN_VALUE - value)
                || (increment > 0 && value > 0 && increment > Long.MAX_VALUE - value)) {
            return RespFrame.error("ERR increment or decrement would overflow");
        }
        value += increment;
        ctx.store().modifyOrCreate(key, HashValue.KIND).put(field, Long.toString(value).getBytes(StandardCharsets.US_ASCII));
        return RespFrame.integer(value);
    }

    private static RespFrame incrByFloat(List<byte[]> args, CommandContext ctx) {
        LongDouble.Value increment = LongDouble.parse(args.get(3));
        if (increment == null) {
            return RespFrame.error(IncrByFloat.NOT_A_FLOAT);
        }
        if (!increment.isFinite()) {
            return RespFrame.error("ERR value is NaN or Infinity");
        }
        Key key = Args.key(args.get(1));
        String field = Args.text(args.get(2));
        HashValue read = ctx.store().read(key, HashValue.KIND);
        byte[] old = read == null ? null : read.get(field);
        LongDouble.Value value = LongDouble.parse(old == null ? new byte[] {'0'} : old);
        if (value == null) {
            return RespFrame.error("ERR hash value is not a float");
        }
        LongDouble.Value sum = LongDouble.add(value, increment);
        if (sum == null || !sum.isFinite()) {
            return RespFrame.error(IncrByFloat.NAN_OR_INFINITY);
        }
        byte[] text = LongDouble.format(sum).getBytes(StandardCharsets.US_ASCII);
        ctx.store().modifyOrCreate(key, HashValue.KIND).put(field, text);
        return RespFrame.bulk(text);
    }
}
