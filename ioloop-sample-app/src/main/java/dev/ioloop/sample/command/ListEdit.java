package dev.ioloop.sample.command;

import dev.ioloop.sample.resp.RespFrame;
import dev.ioloop.sample.store.Key;
import dev.ioloop.sample.store.KeyValueStore;
import dev.ioloop.sample.store.ListValue;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;

/**
 * LINDEX key index, LSET key index element, LINSERT key BEFORE|AFTER pivot element, LREM key count element and LTRIM
 * key start stop: the list commands that work by position or by value. The list is a deque, so positional access
 * walks from the nearer end and changes in the middle rebuild the deque: O(N), as Redis's quicklist is for these.
 */
final class ListEdit implements Command {

    /** Which of the commands. */
    enum Form { LINDEX, LSET, LINSERT, LREM, LTRIM }

    private final Form form;

    ListEdit(Form form) {
        this.form = form;
    }

    @Override
    public RespFrame execute(List<byte[]> args, CommandContext ctx) {
        switch (form) {
            case LINDEX:
                return lindex(args, ctx);
            case LSET:
                return lset(args, ctx);
            case LINSERT:
                return linsert(args, ctx);
            case LREM:
                return lrem(args, ctx);
            default:
                return ltrim(args, ctx);
        }
    }

    /** Returns the 0-based position of {@code index} (negative from the tail), or -1 if outside the list. */
    private static long position(long index, int size) {
        long i = index < 0 ? size + index : index;
        return i < 0 || i >= size ? -1 : i;
    }

    private static RespFrame lindex(List<byte[]> args, CommandContext ctx) {
        ListValue list = ctx.store().read(Args.key(args.get(1)), ListValue.KIND);
        if (list == null) {
            return RespFrame.NULL_BULK;
        }
        long i = position(Args.longValue(args.get(2)), list.size());
        if (i < 0) {
            return RespFrame.NULL_BULK;
        }
        Iterator<byte[]> it;
        long steps;
        if (i <= list.size() / 2) {
            it = list.iterator();
            steps = i;
        } else {
            it = list.descendingIterator();
            steps = list.size() - 1 - i;
        }
        for (long k = 0; k < steps; k++) {
            it.next();
        }
        return RespFrame.bulk(it.next());
    }

    private static RespFrame lset(List<byte[]> args, CommandContext ctx) {
        Key key = Args.key(args.get(1));
        ListValue read = ctx.store().read(key, ListValue.KIND);
        if (read == null) {
            return RespFrame.error(Errors.NO_SUCH_KEY);
        }
        long i = position(Args.longValue(args.get(2)), read.size());
        if (i < 0) {
            return RespFrame.error("ERR index out of range");
        }
        ListValue list = ctx.store().modify(key, ListValue.KIND);
        byte[][] elements = list.toArray(new byte[0][]);
        elements[(int) i] = args.get(3);
        list.clear();
        list.addAll(Arrays.asList(elements));
        return RespFrame.OK;
    }

    private static RespFrame linsert(List<byte[]> args, CommandContext ctx) {
        boolean after;
        if (Args.is(args.get(2), "after")) {
            after = true;
        } else if (Args.is(args.get(2), "before")) {
            after = false;
        } else {
            return RespFrame.error(Errors.SYNTAX);
        }
        Key key = Args.key(args.get(1));
        ListValue read = ctx.store().read(key, ListValue.KIND);
        if (read == null) {
            return RespFrame.ZERO;
        }
        byte[] pivot = args.get(3);
        int at = 0;
        for (byte[] e : read) {
            if (Arrays.equals(e, pivot)) {
                break;
            }
            at++;
        }
        if (at == read.size()) {
            return RespFrame.integer(-1);
        }
        ListValue list = ctx.store().modify(key, ListValue.KIND);
        List<byte[]> elements = new ArrayList<>(list);
        elements.add(after ? at + 1 : at, args.get(4));
        list.clear();
        list.addAll(elements);
        return RespFrame.integer(list.size());
    }

    private static RespFrame lrem(List<byte[]> args, CommandContext ctx) {
        long toRemove = Args.longValue(args.get(2));
        Key key = Args.key(args.get(1));
        KeyValueStore store = ctx.store();
        ListValue read = store.read(key, ListValue.KIND);
        if (read == null) {
            return RespFrame.ZERO;
        }
        byte[] element = args.get(3);
        boolean fromTail = toRemove < 0;
        long limit = toRemove == Long.MIN_VALUE ? Long.MAX_VALUE : Math.abs(toRemove);
        List<byte[]> kept = new ArrayList<>(read.size());
        long removed = 0;
        Iterator<byte[]> it = fromTail ? read.descendingIterator() : read.iterator();
        while (it.hasNext()) {
            byte[] e = it.next();
            if ((limit == 0 || removed < limit) && Arrays.equals(e, element)) {
                removed++;
            } else {
                kept.add(e);
            }
        }
        if (removed == 0) {
            return RespFrame.ZERO;
        }
        ListValue list = store.modify(key, ListValue.KIND);
        list.clear();
        for (byte[] e : kept) {
            if (fromTail) {
                list.addFirst(e);
            } else {
                list.addLast(e);
            }
        }
        store.deleteIfEmpty(key);
        return RespFrame.integer(removed);
    }

    private static RespFrame ltrim(List<byte[]> args, CommandContext ctx) {
        long start = Args.longValue(args.get(2));
        long end = Args.longValue(args.get(3));
        Key key = Args.key(args.get(1));
        KeyValueStore store = ctx.store();
        if (store.read(key, ListValue.KIND) == null) {
            return RespFrame.OK;
        }
        ListValue list = store.modify(key, ListValue.KIND);
        long size = list.size();
        if (start < 0) {
            start = size + start;
        }
        if (end < 0) {
            end = size + end;
        }
        if (start < 0) {
            start = 0;
        }
        long ltrim;
        long rtrim;
        if (start > end || start >= size) {
            ltrim = size;
            rtrim = 0;
        } else {
            if (end >= size) {
                end = size - 1;
            }
            ltrim = start;
            rtrim = size - end - 1;
        }
        for (long i = 0; i < ltrim; i++) {
            list.pollFirst();
        }
        for (long i = 0; i < rtrim; i++) {
            list.pollLast();
        }
        store.deleteIfEmpty(key);
        return RespFrame.OK;
    }
}
