package dev.ioloop.benchmarks.ping;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * The RESP subset the PING servers speak: inline lines and multibulk arrays, as {@code redis-cli}
 * and {@code redis-benchmark -t ping_inline,ping_mbulk} send them. {@code PING} without arguments is
 * answered {@code +PONG}; an empty inline line is ignored, as Redis does; any other command gets
 * {@link #NOT_PING}. Bounded: a line over {@value #MAX_LINE} bytes, more than {@value #MAX_ARGS}
 * arguments or an argument over {@value #MAX_BULK} bytes is a {@link PingProtocolException}, so every
 * valid command fits in {@value #MAX_COMMAND} bytes (a server's input buffer). Stateless; safe from
 * any thread.
 */
public final class PingProtocol {

    /** The longest header or inline line, CR LF included. */
    public static final int MAX_LINE = 64;
    /** The most arguments a multibulk command may have. */
    public static final int MAX_ARGS = 16;
    /** The longest multibulk argument. */
    public static final int MAX_BULK = 512;
    /** No valid command is longer: a server whose input buffer holds this much never waits on a full buffer. */
    public static final int MAX_COMMAND = MAX_LINE * (MAX_ARGS + 1) + MAX_ARGS * (MAX_BULK + 2);
    /** The longest reply {@link #answer} writes: callers keep at least this much room in the output. */
    public static final int MAX_REPLY = 48;

    private static final byte[] PONG = ascii("+PONG\r\n");
    private static final byte[] NOT_PING = ascii("-ERR this server answers PING only\r\n");
    private static final int INCOMPLETE = -1;

    private PingProtocol() {
    }

    /**
     * Answers the complete commands in {@code in[from, to)} in order, putting the replies into
     * {@code out} at its position, and stops at the first incomplete command or once {@code out} has
     * less than {@link #MAX_REPLY} bytes of room. Reads {@code in} with absolute gets only.
     *
     * @return where the first unanswered command begins ({@code to} once everything was answered)
     * @throws PingProtocolException if a complete line or header is malformed or over a limit
     */
    public static int answer(ByteBuffer in, int from, int to, ByteBuffer out) {
        int at = from;
        while (at < to && out.remaining() >= MAX_REPLY) {
            int end = in.get(at) == '*' ? multibulk(in, at, to, out) : inline(in, at, to, out);
            if (end == INCOMPLETE) {
                break;
            }
            at = end;
        }
        return at;
    }

    /** An error reply for {@code e}, as Redis words protocol errors. */
    public static byte[] errorReply(PingProtocolException e) {
        return ascii("-ERR Protocol error: " + e.getMessage() + "\r\n");
    }

    private static int inline(ByteBuffer in, int at, int to, ByteBuffer out) {
        int newline = lineEnd(in, at, to, "too big inline request");
        if (newline == INCOMPLETE) {
            return INCOMPLETE;
        }
        int end = newline > at && in.get(newline - 1) == '\r' ? newline - 1 : newline;
        if (end > at) { // Redis ignores an empty line
            out.put(isPing(in, at, end) ? PONG : NOT_PING);
        }
        return newline + 1;
    }

    private static int multibulk(ByteBuffer in, int at, int to, ByteBuffer out) {
        int newline = lineEnd(in, at, to, "too big mbulk count string");
        if (newline == INCOMPLETE) {
            return INCOMPLETE;
        }
        int args = number(in, at + 1, newline, MAX_ARGS, "invalid multibulk length");
        int next = newline + 1;
        int firstStart = 0;
        int firstEnd = 0;
        for (int i = 0; i < args; i++) {
            if (next >= to) {
                return INCOMPLETE;
            }
            if (in.get(next) != '$') {
                throw new PingProtocolException("expected '$', got '" + (char) in.get(next) + "'");
            }
            newline = lineEnd(in, next, to, "too big bulk count string");
            if (newline == INCOMPLETE) {
                return INCOMPLETE;
            }
            int length = number(in, next + 1, newline, MAX_BULK, "invalid bulk length");
            int start = newline + 1;
            if (to - start < length + 2) {
                return INCOMPLETE;
            }
            if (in.get(start + length) != '\r' || in.get(start + length + 1) != '\n') {
                throw new PingProtocolException("bulk argument not followed by CR LF");
            }
            if (i == 0) {
                firstStart = start;
                firstEnd = start + length;
            }
            next = start + length + 2;
        }
        if (args > 0) { // "*0\r\n" is an empty command: no reply, as Redis
            out.put(args == 1 && isPing(in, firstStart, firstEnd) ? PONG : NOT_PING);
        }
        return next;
    }

    /** The index of the LF ending the line at {@code at}, or INCOMPLETE; throws once the line is too long. */
    private static int lineEnd(ByteBuffer in, int at, int to, String tooLong) {
        int limit = Math.min(to, at + MAX_LINE);
        for (int i = at; i < limit; i++) {
            if (in.get(i) == '\n') {
                return i;
            }
        }
        if (limit - at >= MAX_LINE) {
            throw new PingProtocolException(tooLong);
        }
        return INCOMPLETE;
    }

    /** The decimal in {@code in[from, newline - 1)} (the line must end CR LF), in {@code [0, max]}. */
    private static int number(ByteBuffer in, int from, int newline, int max, String invalid) {
        int end = newline - 1;
        if (end <= from || in.get(end) != '\r') {
            throw new PingProtocolException(invalid);
        }
        int value = 0;
        for (int i = from; i < end; i++) {
            int digit = in.get(i) - '0';
            if (digit < 0 || digit > 9 || value > max) {
                throw new PingProtocolException(invalid);
            }
            value = value * 10 + digit;
        }
        if (value > max) {
            throw new PingProtocolException(invalid);
        }
        return value;
    }

    private static boolean isPing(ByteBuffer in, int start, int end) {
        return end - start == 4
                && (in.get(start) | 0x20) == 'p' && (in.get(start + 1) | 0x20) == 'i'
                && (in.get(start + 2) | 0x20) == 'n' && (in.get(start + 3) | 0x20) == 'g';
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
