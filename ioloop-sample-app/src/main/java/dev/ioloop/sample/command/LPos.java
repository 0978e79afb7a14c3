package dev.ioloop.sample.command;

import dev.ioloop.sample.resp.RespFrame;
import dev.ioloop.sample.store.ListValue;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;

/**
 * LPOS key element [RANK rank] [COUNT num-matches] [MAXLEN len]: the position of the first match (or the rank-th,
 * from the tail for a negative rank), or with COUNT an array of up to that many positions (0: all). MAXLEN bounds the
 * elements compared, so a client can keep the O(N) scan short, as in Redis.
 */
final class LPos implements Command {
    @Override
    public RespFrame execute(List<byte[]> args, CommandContext ctx) {
        long rank = 1;
        long count = -1; // -1: COUNT not given
        long maxlen = 0;
        for (int j = 3; j < args.size(); j++) {
            byte[] opt = args.get(j);
            boolean more = j + 1 < args.size();
            if (Args.is(opt, "rank") && more) {
                rank = Args.longValue(args.get(++j));
                if (rank == 0) {
                    return RespFrame.error("ERR RANK can't be zero: use 1 to start from the first match, 2 from the "
                            + "second ... or use negative to start from the end of the list");
                }
            } else if (Args.is(opt, "count") && more) {
                count = nonNegative(args.get(++j), "ERR COUNT can't be negative");
            } else if (Args.is(opt, "maxlen") && more) {
                maxlen = nonNegative(args.get(++j), "ERR MAXLEN can't be negative");
            } else {
                return RespFrame.error(Errors.SYNTAX);
            }
        }
        boolean fromTail = rank < 0;
        if (fromTail) {
            rank = -rank; // Long.MIN_VALUE stays negative, as in Redis: every match then counts
        }
        ListValue list = ctx.store().read(Args.key(args.get(1)), ListValue.KIND);
        if (list == null) {
            return count != -1 ? RespFrame.EMPTY_ARRAY : RespFrame.NULL_BULK;
        }
        byte[] element = args.get(2);
        int size = list.size();
        Iterator<byte[]> it = fromTail ? list.descendingIterator() : list.iterator();
        List<RespFrame> positions = new ArrayList<>();
        long matches = 0;
        for (long index = 0; it.hasNext() && (maxlen == 0 || index < maxlen); index++) {
            if (Arrays.equals(it.next(), element)) {
                matches++;
                if (matches >= rank) {
                    long position = fromTail ? size - index - 1 : index;
                    if (count == -1) {
                        return RespFrame.integer(position);
                    }
                    positions.add(RespFrame.integer(position));
                    if (count != 0 && matches - rank + 1 >= count) {
                        break;
                    }
                }
            }
        }
        return count == -1 ? RespFrame.NULL_BULK : new RespFrame.RespArray(positions);
    }

    /** Redis's getPositiveLongFromObjectOrReply with a message: one error for "not a number" and "negative". */
    private static long nonNegative(byte[] arg, String error) {
        long v = Args.longValue(arg, error);
        if (v < 0) {
            throw new CommandException(error);
        }
        return v;
    }
}
