package dev.ioloop.sample.command;

import dev.ioloop.sample.resp.RespFrame;
import dev.ioloop.sample.store.GlobPattern;
import dev.ioloop.sample.store.ScanOrder;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * What HSCAN, SSCAN and ZSCAN share: the cursor (Redis's {@code parseScanCursorOrReply}), the MATCH and COUNT
 * options, and the reply. A collection Redis would hold in a compact encoding (a listpack or an intset, so at most a
 * few hundred elements) is answered whole in one step with cursor 0, in the order Redis answers it; a larger one is
 * walked in {@link ScanOrder}, O(n) per step.
 */
final class ElementScan {

    /** MATCH and COUNT. */
    record Options(@Nullable GlobPattern pattern, int count) {
        boolean matches(String name) {
            return pattern == null || pattern.matches(name);
        }
    }

    private ElementScan() {
    }

    /**
     * Returns the cursor argument as C's {@code strtoul} reads it with Redis's checks: an optional sign (a negative
     * number wraps, so {@code -1} is the largest cursor), decimal digits, nothing else, no overflow; the empty string
     * is 0. Otherwise throws Redis's "ERR invalid cursor".
     */
    static long cursor(byte[] arg) {
        if (arg.length == 0) {
            return 0;
        }
        int i = arg[0] == '+' || arg[0] == '-' ? 1 : 0;
        if (i == arg.length) {
            throw new CommandException("ERR invalid cursor");
        }
        java.math.BigInteger value = java.math.BigInteger.ZERO;
        for (int j = i; j < arg.length; j++) {
            if (arg[j] < '0' || arg[j] > '9') {
                throw new CommandException("ERR invalid cursor");
            }
            value = value.multiply(java.math.BigInteger.TEN).add(java.math.BigInteger.valueOf(arg[j] - '0'));
            if (value.bitLength() > 64) {
                throw new CommandException("ERR invalid cursor"); // ERANGE
            }
        }
        long v = value.longValue();
        return arg[0] == '-' ? -v : v;
    }

    /** Parses MATCH and COUNT from argument 3 on (TYPE is SCAN's only: a syntax error here). */
    static Options options(List<byte[]> args) {
        long count = 10;
        GlobPattern pattern = null;
        for (int i = 3; i < args.size(); i += 2) {
            byte[] opt = args.get(i);
            boolean hasValue = args.size() - i >= 2;
            if (Args.is(opt, "count") && hasValue) {
                count = Args.longValue(args.get(i + 1));
                if (count < 1) {
                    throw new CommandException(Errors.SYNTAX);
                }
            } else if (Args.is(opt, "match") && hasValue) {
                String p = Args.text(args.get(i + 1));
                pattern = p.equals("*") ? null : new GlobPattern(p);
            } else {
                throw new CommandException(Errors.SYNTAX);
            }
        }
        return new Options(pattern, (int) Math.min(count, Integer.MAX_VALUE));
    }

    /** The reply for a missing key: cursor 0, nothing. */
    static RespFrame empty() {
        return reply(0, List.of());
    }

    /**
     * One step over {@code elements}: returns the elements of the step that match, each as its reply items (a field
     * and its value, a member and its score, a member).
     *
     * @param whole whether Redis would answer the collection whole (a compact encoding)
     */
    static <T> RespFrame step(Collection<T> elements, Function<T, String> name, Function<T, List<RespFrame>> items,
                              long cursor, Options options, boolean whole) {
        List<RespFrame> out = new ArrayList<>();
        Collection<T> visited;
        long next;
        if (whole) {
            visited = elements;
            next = 0;
        } else {
            ScanOrder.Step<T> step = ScanOrder.step(elements, name, cursor, options.count());
            visited = step.visited();
            next = step.next();
        }
        for (T e : visited) {
            if (options.matches(name.apply(e))) {
                out.addAll(items.apply(e));
            }
        }
        return reply(next, out);
    }

    private static RespFrame reply(long cursor, List<RespFrame> items) {
        return new RespFrame.RespArray(List.of(RespFrame.bulk(Long.toUnsignedString(cursor)), new RespFrame.RespArray(items)));
    }
}
