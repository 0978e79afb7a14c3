package dev.ioloop.sample.resp;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Splits an inline request line into arguments with the rules of Redis's {@code sdssplitargs}: whitespace
 * separates; {@code "..."} understands {@code \n \r \t \b \a \\ \"} and {@code \xHH}; {@code '...'} understands
 * {@code \'}; a closing quote must be followed by whitespace or the end of the line.
 *
 * <p>Stateless and thread-safe.
 */
final class InlineSplitter {

    private InlineSplitter() {
    }

    /**
     * Adds the arguments of {@code line[from, to)} to {@code args}; returns false for unbalanced quotes (then
     * {@code args} holds what was split before them). A line without quotes (what clients send: {@code PING},
     * {@code GET key}) is cut into ranges of {@code line}, nothing copied; one with quotes takes the general path,
     * whose unescaped arguments are arrays of their own.
     */
    static boolean splitInto(byte[] line, int from, int to, RequestArgs args) {
        for (int i = from; i < to; i++) {
            if (line[i] == '"' || line[i] == '\'') {
                List<byte[]> split = split(line, from, to);
                if (split == null) {
                    return false;
                }
                for (byte[] arg : split) {
                    args.addOwned(arg);
                }
                return true;
            }
        }
        // Without quotes sdssplitargs reduces to: skip whitespace, take bytes up to a separator, skip that one byte.
        int p = from;
        while (true) {
            while (p < to && isSpace(line[p])) {
                p++;
            }
            if (p >= to) {
                return true;
            }
            int start = p;
            while (p < to && !endsUnquoted(line[p])) {
                p++;
            }
            args.addRange(line, start, p - start);
            if (p < to) {
                p++;
            }
        }
    }

    /** The bytes that end an unquoted argument in {@code sdssplitargs} (not the same set as the ones it skips). */
    private static boolean endsUnquoted(byte c) {
        return c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == 0;
    }

    /** Returns the arguments of {@code line[from, to)}, or null for unbalanced quotes. */
    static @Nullable List<byte[]> split(byte[] line, int from, int to) {
        List<byte[]> args = new ArrayList<>();
        int p = from;
        while (true) {
            while (p < to && isSpace(line[p])) {
                p++;
            }
            if (p >= to) {
                return args;
            }
            ByteArrayOutputStream current = new ByteArrayOutputStream();
            boolean inDouble = false;
            boolean inSingle = false;
            boolean done = false;
            while (!done) {
                if (inDouble) {
                    if (p >= to) {
                        return null;
                    }
                    byte c = line[p];
                    if (c == '\\' && p + 3 < to && line[p + 1] == 'x' && isHex(line[p + 2]) && isHex(line[p + 3])) {
                        current.write(hex(line[p + 2]) * 16 + hex(line[p + 3]));
                        p += 3;
                    } else if (c == '\\' && p + 1 < to) {
                        p++;
                        current.write(unescape(line[p]));
                    } else if (c == '"') {
                        if (p + 1 < to && !isSpace(line[p + 1])) {
                            return null;
                        }
                        done = true;
                    } else {
                        current.write(c);
                    }
                } else if (inSingle) {
                    if (p >= to) {
                        return null;
                    }
                    byte c = line[p];
                    if (c == '\\' && p + 1 < to && line[p + 1] == '\'') {
                        p++;
                        current.write('\'');
                    } else if (c == '\'') {
                        if (p + 1 < to && !isSpace(line[p + 1])) {
                            return null;
                        }
                        done = true;
                    } else {
                        current.write(c);
                    }
                } else if (p >= to) {
                    done = true;
                } else {
                    byte c = line[p];
                    if (c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == 0) {
                        done = true;
                    } else if (c == '"') {
                        inDouble = true;
                    } else if (c == '\'') {
                        inSingle = true;
                    } else {
                        current.write(c);
                    }
                }
                if (p < to) {
                    p++;
                }
            }
            args.add(current.toByteArray());
        }
    }

    private static int unescape(byte c) {
        switch (c) {
            case 'n':
                return '\n';
            case 'r':
                return '\r';
            case 't':
                return '\t';
            case 'b':
                return '\b';
            case 'a':
                return 7;
            default:
                return c;
        }
    }

    private static boolean isSpace(byte c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == 0x0b || c == '\f';
    }

    private static boolean isHex(byte c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }

    private static int hex(byte c) {
        return c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10;
    }
}
