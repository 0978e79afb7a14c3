package dev.ioloop.sample.command;

import dev.ioloop.sample.resp.AsciiNumbers;
import dev.ioloop.sample.resp.RequestArgs;
import dev.ioloop.sample.store.Key;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Argument helpers: keys ({@link Key}s over the argument arrays), other text as ISO-8859-1 strings, case-insensitive
 * keywords, Redis's strict integers.
 */
final class Args {

    private Args() {
    }

    /** Returns {@code arg} as a store key over the argument's own array (arguments are fresh arrays, never changed). */
    static Key key(byte[] arg) {
        return Key.wrap(arg);
    }

    /**
     * Returns argument {@code index} as a key to look up with, without copying it when the arguments are a request's
     * ranges: then it is the data loop's {@linkplain Key#probe() probe}, valid until the next call (for any client), so
     * only a command that looks up one key at a time and hands it to nothing but the store may use it (the store keeps
     * a copy when it adds the key).
     */
    static Key lookupKey(List<byte[]> args, int index, CommandContext ctx) {
        if (args instanceof RequestArgs ranges) {
            return ctx.shared().keyProbe().reset(ranges.source(index), ranges.offset(index), ranges.length(index));
        }
        return Key.wrap(args.get(index));
    }

    /** Returns {@code arg} as text (a member, field, channel or pattern): one char per byte. */
    static String text(byte[] arg) {
        return new String(arg, StandardCharsets.ISO_8859_1);
    }

    /** Returns the bytes of text made by {@link #text}. */
    static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }

    /** Returns whether {@code arg} equals {@code lowerWord} (lower-case ASCII) ignoring case. */
    static boolean is(byte[] arg, String lowerWord) {
        int n = lowerWord.length();
        if (arg.length != n) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            int c = arg[i];
            if (c >= 'A' && c <= 'Z') {
                c += 32;
            }
            if (c != lowerWord.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /** Returns the lower-case ASCII form of {@code arg}. */
    static String lower(byte[] arg) {
        char[] chars = new char[arg.length];
        for (int i = 0; i < arg.length; i++) {
            int c = arg[i] & 0xff;
            chars[i] = (char) (c >= 'A' && c <= 'Z' ? c + 32 : c);
        }
        return new String(chars);
    }

    /**
     * Returns {@code arg} as Redis's integer.
     *
     * @throws CommandException "ERR value is not an integer or out of range"
     */
    static long longValue(byte[] arg) {
        return longValue(arg, Errors.NOT_INTEGER);
    }

    /** Returns {@code arg} as an integer, or throws a CommandException with {@code error}. */
    static long longValue(byte[] arg, String error) {
        long v = AsciiNumbers.parseOrMin(arg, 0, arg.length);
        if (v == AsciiNumbers.INVALID && !AsciiNumbers.isMinValueText(arg, 0, arg.length)) {
            throw new CommandException(error);
        }
        return v;
    }

    /** Redis's {@code getPositiveLongFromObjectOrReply}: 0 or more, with its one error for all failures. */
    static long nonNegative(byte[] arg) {
        long v = longValue(arg, Errors.MUST_BE_POSITIVE);
        if (v < 0) {
            throw new CommandException(Errors.MUST_BE_POSITIVE);
        }
        return v;
    }
}
