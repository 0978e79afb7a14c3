package dev.ioloop.sample.command;

import dev.ioloop.sample.resp.RespFrame;
import dev.ioloop.sample.store.Key;
import dev.ioloop.sample.store.KeyValueStore;
import java.util.Arrays;
import java.util.List;

/**
 * SETBIT key offset 0|1, GETBIT key offset and BITCOUNT key [start end [BYTE | BIT]]: strings as bit arrays, bit 0
 * the most significant bit of the first byte. Offsets may address up to Redis's default proto-max-bulk-len (512 MiB
 * of string); SETBIT zero-pads. Strings are immutable in the store, so SETBIT copies the string (O(length), where
 * Redis writes in place); BITCOUNT is O(range).
 */
final class Bits implements Command {

    /** Which of the three commands. */
    enum Form { SETBIT, GETBIT, BITCOUNT }

    private static final String BAD_OFFSET = "ERR bit offset is not an integer or out of range";
    private static final String BAD_BIT = "ERR bit is not an integer or out of range";

    private final Form form;

    Bits(Form form) {
        this.form = form;
    }

    @Override
    public RespFrame execute(List<byte[]> args, CommandContext ctx) {
        switch (form) {
            case SETBIT:
                return setBit(args, ctx);
            case GETBIT:
                return getBit(args, ctx);
            default:
                return bitCount(args, ctx);
        }
    }

    /** Redis's getBitOffsetFromArgument: a strict integer, not negative, its byte within the string limit. */
    private static long offset(byte[] arg) {
        long offset = Args.longValue(arg, BAD_OFFSET);
        if (offset < 0 || (offset >> 3) >= SetRange.MAX_STRING) {
            throw new CommandException(BAD_OFFSET);
        }
        return offset;
    }

    private static RespFrame setBit(List<byte[]> args, CommandContext ctx) {
        long offset = offset(args.get(2));
        long on = Args.longValue(args.get(3), BAD_BIT);
        if ((on & ~1L) != 0) {
            return RespFrame.error(BAD_BIT);
        }
        KeyValueStore store = ctx.store();
        Key key = Args.key(args.get(1));
        byte[] old = store.getString(key);
        int index = (int) (offset >> 3);
        int mask = 1 << (7 - (int) (offset & 7));
        boolean was = old != null && index < old.length && (old[index] & mask) != 0;
        boolean grows = old == null || index >= old.length;
        if (grows || was != (on == 1)) {
            byte[] updated = Arrays.copyOf(old == null ? new byte[0] : old, Math.max(index + 1, old == null ? 0 : old.length));
            updated[index] = (byte) (on == 1 ? updated[index] | mask : updated[index] & ~mask);
            store.setString(key, updated, true);
        }
        return was ? RespFrame.ONE : RespFrame.ZERO;
    }

    private static RespFrame getBit(List<byte[]> args, CommandContext ctx) {
        long offset = offset(args.get(2));
        byte[] s = ctx.store().getString(Args.key(args.get(1)));
        long index = offset >> 3;
        if (s == null || index >= s.length) {
            return RespFrame.ZERO;
        }
        return (s[(int) index] & (1 << (7 - (int) (offset & 7)))) != 0 ? RespFrame.ONE : RespFrame.ZERO;
    }

    private static RespFrame bitCount(List<byte[]> args, CommandContext ctx) {
        byte[] s = ctx.store().getString(Args.key(args.get(1)));
        if (s == null) {
            return RespFrame.ZERO;
        }
        long start;
        long end;
        int firstMask = 0;
        int lastMask = 0;
        if (args.size() == 4 || args.size() == 5) {
            long total = s.length;
            start = Args.longValue(args.get(2));
            end = Args.longValue(args.get(3));
            if (start < 0 && end < 0 && start > end) {
                return RespFrame.ZERO;
            }
            boolean bit = false;
            if (args.size() == 5) {
                if (Args.is(args.get(4), "bit")) {
                    bit = true;
                } else if (!Args.is(args.get(4), "byte")) {
                    return RespFrame.error(Errors.SYNTAX);
                }
            }
            if (bit) {
                total <<= 3;
            }
            if (start < 0) {
                start = total + start;
            }
            if (end < 0) {
                end = total + end;
            }
            start = Math.max(start, 0);
            end = Math.max(end, 0);
            if (end >= total) {
                end = total - 1;
            }
            if (bit && start <= end) {
                firstMask = ~((1 << (8 - (start & 7))) - 1) & 0xff;
                lastMask = (1 << (7 - (end & 7))) - 1;
                start >>= 3;
                end >>= 3;
            }
        } else if (args.size() == 2) {
            start = 0;
            end = s.length - 1;
        } else {
            return RespFrame.error(Errors.SYNTAX);
        }
        if (start > end) {
            return RespFrame.ZERO;
        }
        long count = 0;
        for (int i = (int) start; i <= end; i++) {
            count += Integer.bitCount(s[i] & 0xff);
        }
        count -= Integer.bitCount(s[(int) start] & firstMask) + Integer.bitCount(s[(int) end] & lastMask);
        return RespFrame.integer(count);
    }
}
