package dev.ioloop.sample.command;

import dev.ioloop.sample.resp.RespFrame;
import dev.ioloop.sample.store.Key;
import dev.ioloop.sample.store.KeyValueStore;
import dev.ioloop.sample.store.ListValue;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * LMOVE source destination LEFT|RIGHT LEFT|RIGHT and RPOPLPUSH source destination: moves one element between lists
 * (or rotates one list), as Redis 7.0: {@code $-1} when the source is absent, WRONGTYPE for either key before anything
 * changes, the destination created if absent. BLMOVE and BRPOPLPUSH use {@link #move} when the source has elements.
 */
final class ListMove {

    private ListMove() {
    }

    /** LMOVE source destination wherefrom whereto. */
    static RespFrame lmove(List<byte[]> args, CommandContext ctx) {
        Boolean fromLeft = side(args.get(3));
        Boolean toLeft = side(args.get(4));
        if (fromLeft == null || toLeft == null) {
            return RespFrame.error(Errors.SYNTAX);
        }
        byte[] moved = move(ctx.store(), Args.key(args.get(1)), Args.key(args.get(2)), fromLeft, toLeft);
        return moved == null ? RespFrame.NULL_BULK : RespFrame.bulk(moved);
    }

    /** RPOPLPUSH source destination: LMOVE source destination RIGHT LEFT. */
    static RespFrame rpoplpush(List<byte[]> args, CommandContext ctx) {
        byte[] moved = move(ctx.store(), Args.key(args.get(1)), Args.key(args.get(2)), false, true);
        return moved == null ? RespFrame.NULL_BULK : RespFrame.bulk(moved);
    }

    /** {@code LEFT} is true, {@code RIGHT} false (any case), anything else null. */
    static @Nullable Boolean side(byte[] arg) {
        if (Args.is(arg, "left")) {
            return Boolean.TRUE;
        }
        return Args.is(arg, "right") ? Boolean.FALSE : null;
    }

    /**
     * Pops from one end of {@code source} and pushes onto one end of {@code destination}; returns the element, or
     * null if the source is absent. An emptied source is removed.
     *
     * @throws dev.ioloop.sample.store.WrongTypeException if either key holds another type (nothing changes)
     */
    static byte @Nullable [] move(KeyValueStore store, Key source, Key destination, boolean fromLeft, boolean toLeft) {
        if (store.read(source, ListValue.KIND) == null) {
            return null;
        }
        store.read(destination, ListValue.KIND); // WRONGTYPE before anything changes, as Redis checks
        ListValue from = store.modify(source, ListValue.KIND);
        byte[] value = fromLeft ? from.pollFirst() : from.pollLast();
        ListValue to = store.modifyOrCreate(destination, ListValue.KIND);
        if (toLeft) {
            to.addFirst(value);
        } else {
            to.addLast(value);
        }
        store.deleteIfEmpty(source);
        return value;
    }
}
