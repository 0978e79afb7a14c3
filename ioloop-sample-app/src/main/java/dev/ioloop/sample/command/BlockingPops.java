package dev.ioloop.sample.command;

import dev.ioloop.sample.resp.RespFrame;
import dev.ioloop.sample.store.Key;
import dev.ioloop.sample.store.KeyValueStore;
import dev.ioloop.sample.store.ListValue;
import dev.ioloop.sample.store.SortedSetValue;
import dev.ioloop.sample.store.ValueType;
import dev.ioloop.sample.store.WrongTypeException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * BLPOP, BRPOP, BLMOVE, BRPOPLPUSH, BLMPOP, BZPOPMIN and BZPOPMAX, as Redis 7.0: each serves at once when a key has
 * something, answers WRONGTYPE for a key of another type, answers its "nothing" at once inside EXEC, and otherwise
 * blocks the client in {@link BlockedClients} with a timeout (seconds, fractions allowed, 0 = forever); a client
 * that times out gets {@code *-1}. When a key it waits on gets elements, its attempt takes them from that key.
 */
final class BlockingPops {

    private BlockingPops() {
    }

    // ---------------------------------------------------------------- the commands

    /** BLPOP key... timeout. */
    static RespFrame blpop(List<byte[]> args, CommandContext ctx) {
        return listPop(args, ctx, true);
    }

    /** BRPOP key... timeout. */
    static RespFrame brpop(List<byte[]> args, CommandContext ctx) {
        return listPop(args, ctx, false);
    }

    private static RespFrame listPop(List<byte[]> args, CommandContext ctx, boolean left) {
        long timeout = timeoutMillis(args.get(args.size() - 1), ctx);
        KeyValueStore store = ctx.store();
        return serveOrBlock(ctx, keys(args, 1, args.size() - 1), timeout,
                (key, retry) -> popFromList(store, key, left, -1, retry));
    }

    /** BLMOVE source destination LEFT|RIGHT LEFT|RIGHT timeout. */
    static RespFrame blmove(List<byte[]> args, CommandContext ctx) {
        Boolean fromLeft = ListMove.side(args.get(3));
        Boolean toLeft = ListMove.side(args.get(4));
        if (fromLeft == null || toLeft == null) {
            return RespFrame.error(Errors.SYNTAX);
        }
        return move(ctx, Args.key(args.get(1)), Args.key(args.get(2)), fromLeft, toLeft, timeoutMillis(args.get(5), ctx));
    }

    /** BRPOPLPUSH source destination timeout: BLMOVE source destination RIGHT LEFT timeout. */
    static RespFrame brpoplpush(List<byte[]> args, CommandContext ctx) {
        return move(ctx, Args.key(args.get(1)), Args.key(args.get(2)), false, true, timeoutMillis(args.get(3), ctx));
    }

    private static RespFrame move(CommandContext ctx, Key source, Key destination, boolean fromLeft,
                                  boolean toLeft, long timeout) {
        KeyValueStore store = ctx.store();
        byte[] moved = ListMove.move(store, source, destination, fromLeft, toLeft);
        if (moved != null) {
            return RespFrame.bulk(moved);
        }
        if (ctx.executingTransaction()) {
            return RespFrame.NULL_BULK; // Redis's addReplyNull for an empty source inside EXEC
        }
        return block(ctx, List.of(source), timeout, RespFrame.NULL_ARRAY, key -> {
            if (store.type(key) != ValueType.LIST) {
                return null; // the source is not a list now: keep waiting
            }
            try {
                byte[] value = ListMove.move(store, source, destination, fromLeft, toLeft);
                return value == null ? null : RespFrame.bulk(value);
            } catch (WrongTypeException e) {
                return RespFrame.error(WrongTypeException.MESSAGE); // the destination is not a list
            }
        });
    }

    /** BLMPOP timeout numkeys key... LEFT|RIGHT [COUNT count]. */
    static RespFrame blmpop(List<byte[]> args, CommandContext ctx) {
        long timeout = timeoutMillis(args.get(1), ctx);
        long numkeys = positive(args.get(2), "ERR numkeys should be greater than 0");
        if (numkeys > args.size() - 3) {
            return RespFrame.error(Errors.SYNTAX);
        }
        int whereIndex = 3 + (int) numkeys;
        if (whereIndex >= args.size()) {
            return RespFrame.error(Errors.SYNTAX);
        }
        Boolean left = ListMove.side(args.get(whereIndex));
        if (left == null) {
            return RespFrame.error(Errors.SYNTAX);
        }
        long count = -1;
        for (int i = whereIndex + 1; i < args.size(); i += 2) {
            if (!Args.is(args.get(i), "count") || count != -1 || i + 1 >= args.size()) {
                return RespFrame.error(Errors.SYNTAX);
            }
            count = positive(args.get(i + 1), "ERR count should be greater than 0");
        }
        long n = count == -1 ? 1 : count;
        KeyValueStore store = ctx.store();
        return serveOrBlock(ctx, keys(args, 3, whereIndex), timeout, (key, retry) -> popFromList(store, key, left, n, retry));
    }

    /** BZPOPMIN key... timeout. */
    static RespFrame bzpopmin(List<byte[]> args, CommandContext ctx) {
        return zpop(args, ctx, true);
    }

    /** BZPOPMAX key... timeout. */
    static RespFrame bzpopmax(List<byte[]> args, CommandContext ctx) {
        return zpop(args, ctx, false);
    }

    private static RespFrame zpop(List<byte[]> args, CommandContext ctx, boolean min) {
        long timeout = timeoutMillis(args.get(args.size() - 1), ctx);
        KeyValueStore store = ctx.store();
        return serveOrBlock(ctx, keys(args, 1, args.size() - 1), timeout,
                (key, retry) -> popFromSortedSet(store, key, min, retry));
    }

    // ---------------------------------------------------------------- shared steps

    /** A pop from one key: its reply, or null if the key has nothing (a retry also skips a key of another type). */
    @FunctionalInterface
    private interface Pop {
        @Nullable RespFrame from(Key key, boolean retry);
    }

    /** Pops from the first of {@code keys} that has something, else blocks on them all with {@code *-1} on timeout. */
    private static RespFrame serveOrBlock(CommandContext ctx, List<Key> keys, long timeout, Pop pop) {
        for (Key key : keys) {
            RespFrame served = pop.from(key, false);
            if (served != null) {
                return served;
            }
        }
        return block(ctx, keys, timeout, RespFrame.NULL_ARRAY, key -> pop.from(key, true));
    }

    /**
     * Nothing to serve now: inside EXEC answers {@code nothing} at once; else blocks the client on {@code keys} (its
     * reply is then ignored by the connection, which waits for the real one).
     */
    private static RespFrame block(CommandContext ctx, List<Key> keys, long timeoutMillis, RespFrame nothing,
                                   BlockedClients.Attempt attempt) {
        if (ctx.executingTransaction() || ctx.blockingClient() == null) {
            return nothing;
        }
        BlockedClients blocked = ctx.shared().blocked();
        blocked.block(ctx, keys, timeoutMillis, attempt, nothing);
        return nothing; // not sent: the client is blocked
    }

    /**
     * Pops from the list at {@code key}: one element as {@code *2 key element} ({@code count} -1), or up to
     * {@code count} as {@code *2 key *n elements}; null if there is no list there. A retry ({@code retry}) also skips a
     * key of another type instead of answering WRONGTYPE.
     */
    private static @Nullable RespFrame popFromList(KeyValueStore store, Key key, boolean left, long count, boolean retry) {
        if (retry && store.type(key) != ValueType.LIST) {
            return null;
        }
        ListValue list = store.modify(key, ListValue.KIND);
        if (list == null || list.isEmpty()) {
            return null;
        }
        RespFrame name = RespFrame.bulk(key.bytes());
        RespFrame reply;
        if (count < 0) {
            reply = new RespFrame.RespArray(List.of(name, RespFrame.bulk(left ? list.pollFirst() : list.pollLast())));
        } else {
            List<RespFrame> popped = new ArrayList<>();
            for (long i = 0; i < count && !list.isEmpty(); i++) {
                popped.add(RespFrame.bulk(left ? list.pollFirst() : list.pollLast()));
            }
            reply = new RespFrame.RespArray(List.of(name, new RespFrame.RespArray(popped)));
        }
        store.deleteIfEmpty(key);
        return reply;
    }

    /** Pops the lowest or highest member of the sorted set at {@code key} as {@code *3 key member score}, or null. */
    private static @Nullable RespFrame popFromSortedSet(KeyValueStore store, Key key, boolean min, boolean retry) {
        if (retry && store.type(key) != ValueType.ZSET) {
            return null;
        }
        SortedSetValue zset = store.modify(key, SortedSetValue.KIND);
        if (zset == null || zset.isEmpty()) {
            return null;
        }
        SortedSetValue.ScoredMember popped = min ? zset.popMin() : zset.popMax();
        store.deleteIfEmpty(key);
        return new RespFrame.RespArray(List.of(RespFrame.bulk(key.bytes()),
                RespFrame.bulk(Args.bytes(popped.member())), RespFrame.bulk(Scores.format(popped.score()))));
    }

    private static List<Key> keys(List<byte[]> args, int from, int to) {
        List<Key> keys = new ArrayList<>(to - from);
        for (int i = from; i < to; i++) {
            keys.add(Args.key(args.get(i)));
        }
        return keys;
    }

    private static long positive(byte[] arg, String error) {
        long v = Args.longValue(arg, error);
        if (v < 1) {
            throw new CommandException(error);
        }
        return v;
    }

    /**
     * Parses a blocking timeout in seconds (fractions allowed) as Redis 7.0's {@code getTimeoutFromObjectOrReply}:
     * returns milliseconds, 0 for forever.
     *
     * @throws CommandException "ERR timeout is not a float or out of range", "ERR timeout is negative" (also for a
     *     value too large to count in milliseconds, as Redis's conversion makes it), "ERR timeout is out of range"
     */
    static long timeoutMillis(byte[] arg, CommandContext ctx) {
        String text = new String(arg, StandardCharsets.ISO_8859_1);
        String notFloat = "ERR timeout is not a float or out of range";
        if (text.isEmpty() || Character.isWhitespace(text.charAt(0))) {
            throw new CommandException(notFloat);
        }
        String body = text.startsWith("+") || text.startsWith("-") ? text.substring(1) : text;
        double seconds;
        if (body.equalsIgnoreCase("inf") || body.equalsIgnoreCase("infinity")) {
            seconds = text.startsWith("-") ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
        } else {
            for (int i = 0; i < body.length(); i++) {
                char c = body.charAt(i);
                if (!((c >= '0' && c <= '9') || c == '.' || c == 'e' || c == 'E' || c == '+' || c == '-')) {
                    throw new CommandException(notFloat);
                }
            }
            try {
                seconds = Double.parseDouble(text);
            } catch (NumberFormatException e) {
                throw new CommandException(notFloat);
            }
        }
        double millis = seconds * 1000.0;
        if (Double.isNaN(millis)) {
            throw new CommandException(notFloat);
        }
        if (millis >= 0x1p63 || millis <= -0x1p63) {
            throw new CommandException("ERR timeout is negative"); // C's cast makes it LLONG_MIN, as Redis answers
        }
        long ms = (long) millis; // toward zero, as C's cast
        if (ms < 0) {
            throw new CommandException("ERR timeout is negative");
        }
        if (ms > 0 && ms > Long.MAX_VALUE - ctx.store().unixMillis()) {
            throw new CommandException("ERR timeout is out of range");
        }
        return ms;
    }
}
