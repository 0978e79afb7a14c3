package dev.ioloop.sample.resp;

import dev.ioloop.sample.resp.RespFrame.RespArray;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Decodes RESP2 from a byte range: requests (multibulk arrays of bulk strings, or inline lines, with Redis's limits
 * and error texts) and replies (any frame, for clients and tests).
 *
 * <p>The decoder keeps no state between calls: given the bytes of an unfinished value it answers
 * {@link DecodeResult.Incomplete}, and the caller decodes again from the same start once more bytes arrived. Only
 * header lines are re-read, never bulk payloads, so a large value arriving in small pieces costs a few bytes per
 * retry. Malformed input raises {@link RespProtocolException} with the message Redis sends before it closes.
 *
 * <pre>{@code
 * RespDecoder decoder = new RespDecoder(RespDecoder.DEFAULT_MAX_BULK_LENGTH);
 * DecodeResult<List<byte[]>> r = decoder.decodeCommand(buf, 0, n, true);
 * if (r instanceof DecodeResult.Complete<List<byte[]>> c) { run(c.value()); consumed = c.end(); }
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 */
public final class RespDecoder {

    /** Redis's {@code proto-max-bulk-len} default: 512 MiB. */
    public static final long DEFAULT_MAX_BULK_LENGTH = 512L * 1024 * 1024;
    /** Redis's {@code PROTO_INLINE_MAX_SIZE}: the longest inline request or header line without its end, 64 KiB. */
    public static final int MAX_INLINE_LENGTH = 64 * 1024;
    /** Largest multibulk count accepted before AUTH (Redis: 10). */
    static final int UNAUTHENTICATED_MAX_ARGS = 10;
    /** Largest bulk length accepted before AUTH (Redis: 16384). */
    static final int UNAUTHENTICATED_MAX_BULK = 16384;

    /** What {@link #decodeCommandInto} returns when the bytes hold only the beginning of a request. */
    public static final int INCOMPLETE = -1;

    private long maxBulkLength; // changed by CONFIG SET proto-max-bulk-len, on the thread that decodes

    /**
     * Creates a decoder.
     *
     * @param maxBulkLength the largest bulk string a request may carry, in bytes (Redis's {@code proto-max-bulk-len})
     * @throws IllegalArgumentException if {@code maxBulkLength} is below 1 or above {@code Integer.MAX_VALUE - 8}
     */
    public RespDecoder(long maxBulkLength) {
        if (maxBulkLength < 1 || maxBulkLength > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("'maxBulkLength' must be between 1 and " + (Integer.MAX_VALUE - 8) + " (was " + maxBulkLength + ")");
        }
        this.maxBulkLength = maxBulkLength;
    }

    /**
     * Changes the largest bulk string a request may carry (CONFIG SET proto-max-bulk-len). Call on the thread that
     * decodes.
     *
     * @throws IllegalArgumentException if below 1 or above {@code Integer.MAX_VALUE - 8}
     */
    public void setMaxBulkLength(long maxBulkLength) {
        if (maxBulkLength < 1 || maxBulkLength > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("'maxBulkLength' must be between 1 and " + (Integer.MAX_VALUE - 8) + " (was " + maxBulkLength + ")");
        }
        this.maxBulkLength = maxBulkLength;
    }

    /** Returns the largest bulk string a request may carry, in bytes. */
    public long maxBulkLength() {
        return maxBulkLength;
    }

    /**
     * Decodes one request starting at {@code start}. A request that starts with {@code *} is a multibulk array of
     * bulk strings; anything else is an inline line split like Redis's {@code sdssplitargs} (quotes and escapes).
     * An empty line or {@code *0} decodes to an empty list, which the caller skips.
     *
     * @param buf the bytes
     * @param start index of the request's first byte
     * @param end index after the last readable byte
     * @param authenticated whether the client has passed AUTH (else Redis's tighter limits apply)
     * @return the arguments (fresh arrays) and the index after the request, or incomplete
     * @throws RespProtocolException for malformed input, with Redis's error text
     */
    public DecodeResult<List<byte[]>> decodeCommand(byte[] buf, int start, int end, boolean authenticated)
            throws RespProtocolException {
        List<byte[]> args = new ArrayList<>();
        int next = decodeCommandInto(buf, start, end, authenticated, args);
        return next == INCOMPLETE ? DecodeResult.incomplete() : new DecodeResult.Complete<>(args, next);
    }

    /**
     * Decodes one request as {@link #decodeCommand} does, into a list the caller reuses from one request to the next.
     *
     * @param buf the bytes
     * @param start index of the request's first byte
     * @param end index after the last readable byte
     * @param authenticated whether the client has passed AUTH (else Redis's tighter limits apply)
     * @param args cleared, then given the arguments (fresh arrays); empty for an empty line or {@code *0}; its
     *     contents are unspecified when the request is incomplete
     * @return the index after the request, or {@link #INCOMPLETE}
     * @throws RespProtocolException for malformed input, with Redis's error text
     */
    public int decodeCommandInto(byte[] buf, int start, int end, boolean authenticated, List<byte[]> args)
            throws RespProtocolException {
        args.clear();
        RequestArgs ranges = new RequestArgs();
        int next = decodeRequest(buf, start, end, authenticated, ranges);
        if (next != INCOMPLETE) {
            args.addAll(ranges); // each get() is a copy of its own
        }
        return next;
    }

    /**
     * Decodes one request as {@link #decodeCommand} does, as ranges of {@code buf} (nothing copied but an inline
     * argument with quotes or escapes), into a list the caller reuses from one request to the next: a complete
     * request allocates nothing.
     *
     * @param buf the bytes; the arguments stay ranges of it, valid while it is unchanged
     * @param start index of the request's first byte
     * @param end index after the last readable byte
     * @param authenticated whether the client has passed AUTH (else Redis's tighter limits apply)
     * @param args cleared, then given the arguments; empty for an empty line or {@code *0}; its contents are
     *     unspecified when the request is incomplete
     * @return the index after the request, or {@link #INCOMPLETE}
     * @throws RespProtocolException for malformed input, with Redis's error text
     */
    public int decodeRequest(byte[] buf, int start, int end, boolean authenticated, RequestArgs args)
            throws RespProtocolException {
        args.clear();
        if (start >= end) {
            return INCOMPLETE;
        }
        return buf[start] == '*' ? decodeMultibulk(buf, start, end, authenticated, args)
                : decodeInline(buf, start, end, args);
    }

    private int decodeMultibulk(byte[] buf, int start, int end, boolean authenticated, RequestArgs args)
            throws RespProtocolException {
        int cr = lineEnd(buf, start, end, (byte) '\r');
        if (cr < 0) {
            if (end - start > MAX_INLINE_LENGTH) {
                throw new RespProtocolException("Protocol error: too big mbulk count string");
            }
            return INCOMPLETE;
        }
        if (cr + 2 > end) {
            return INCOMPLETE;
        }
        long count = parseOrMinus(buf, start + 1, cr);
        if (count == PARSE_FAILED || count > Integer.MAX_VALUE) {
            throw new RespProtocolException("Protocol error: invalid multibulk length");
        }
        if (count > UNAUTHENTICATED_MAX_ARGS && !authenticated) {
            throw new RespProtocolException("Protocol error: unauthenticated multibulk length");
        }
        int pos = cr + 2; // Redis skips the byte after CR without checking it is LF
        for (int i = 0; i < count; i++) { // count <= Integer.MAX_VALUE (checked above)
            cr = lineEnd(buf, pos, end, (byte) '\r');
            if (cr < 0) {
                if (end - pos > MAX_INLINE_LENGTH) {
                    throw new RespProtocolException("Protocol error: too big bulk count string");
                }
                return INCOMPLETE;
            }
            if (cr + 2 > end) {
                return INCOMPLETE;
            }
            if (buf[pos] != '$') {
                throw new RespProtocolException("Protocol error: expected '$', got '" + printable(buf[pos]) + "'");
            }
            long length = parseOrMinus(buf, pos + 1, cr);
            if (length == PARSE_FAILED || length < 0 || length > maxBulkLength) {
                throw new RespProtocolException("Protocol error: invalid bulk length");
            }
            if (length > UNAUTHENTICATED_MAX_BULK && !authenticated) {
                throw new RespProtocolException("Protocol error: unauthenticated bulk length");
            }
            pos = cr + 2;
            if (end - pos < length + 2) {
                return INCOMPLETE;
            }
            args.addRange(buf, pos, (int) length);
            pos += (int) length + 2; // as Redis, the two bytes after the payload are skipped unchecked
        }
        return pos;
    }

    private static int decodeInline(byte[] buf, int start, int end, RequestArgs args) throws RespProtocolException {
        int lf = lineEnd(buf, start, end, (byte) '\n');
        if (lf < 0) {
            if (end - start > MAX_INLINE_LENGTH) {
                throw new RespProtocolException("Protocol error: too big inline request");
            }
            return INCOMPLETE;
        }
        int lineEnd = (lf > start && buf[lf - 1] == '\r') ? lf - 1 : lf;
        if (!InlineSplitter.splitInto(buf, start, lineEnd, args)) {
            throw new RespProtocolException("Protocol error: unbalanced quotes in request");
        }
        return lf + 1;
    }

    /**
     * Decodes one reply frame of any RESP2 type starting at {@code start} (the client side, used by tests and
     * tools).
     *
     * @return the frame and the index after it, or incomplete
     * @throws RespProtocolException if the bytes are not RESP2
     */
    public DecodeResult<RespFrame> decodeFrame(byte[] buf, int start, int end) throws RespProtocolException {
        if (start >= end) {
            return DecodeResult.incomplete();
        }
        int cr = indexOf(buf, start, end, (byte) '\r');
        if (cr < 0 || cr + 2 > end) {
            return DecodeResult.incomplete();
        }
        if (buf[cr + 1] != '\n') {
            throw new RespProtocolException("Protocol error: expected LF after CR");
        }
        String line = new String(buf, start + 1, cr - start - 1, StandardCharsets.ISO_8859_1);
        int next = cr + 2;
        switch (buf[start]) {
            case '+':
                return new DecodeResult.Complete<>(new RespFrame.SimpleString(line), next);
            case '-':
                return new DecodeResult.Complete<>(new RespFrame.SimpleError(line), next);
            case ':':
                return new DecodeResult.Complete<>(RespFrame.integer(number(buf, start + 1, cr, "integer")), next);
            case '$':
                return bulk(buf, next, end, number(buf, start + 1, cr, "bulk length"));
            case '*':
                return array(buf, next, end, number(buf, start + 1, cr, "multibulk length"));
            default:
                throw new RespProtocolException("Protocol error: invalid frame type '" + printable(buf[start]) + "'");
        }
    }

    private DecodeResult<RespFrame> bulk(byte[] buf, int pos, int end, long length) throws RespProtocolException {
        if (length == -1) {
            return new DecodeResult.Complete<>(RespFrame.NULL_BULK, pos);
        }
        if (length < 0 || length > maxBulkLength) {
            throw new RespProtocolException("Protocol error: invalid bulk length");
        }
        if (end - pos < length + 2) {
            return DecodeResult.incomplete();
        }
        int stop = pos + (int) length;
        if (buf[stop] != '\r' || buf[stop + 1] != '\n') {
            throw new RespProtocolException("Protocol error: bulk string not terminated by CRLF");
        }
        return new DecodeResult.Complete<>(RespFrame.bulk(Arrays.copyOfRange(buf, pos, stop)), stop + 2);
    }

    private DecodeResult<RespFrame> array(byte[] buf, int pos, int end, long count) throws RespProtocolException {
        if (count == -1) {
            return new DecodeResult.Complete<>(RespFrame.NULL_ARRAY, pos);
        }
        if (count < 0 || count > Integer.MAX_VALUE) {
            throw new RespProtocolException("Protocol error: invalid multibulk length");
        }
        List<RespFrame> elements = new ArrayList<>((int) Math.min(count, 1024));
        for (long i = 0; i < count; i++) {
            DecodeResult<RespFrame> element = decodeFrame(buf, pos, end);
            if (!(element instanceof DecodeResult.Complete<RespFrame> complete)) {
                return DecodeResult.incomplete();
            }
            elements.add(complete.value());
            pos = complete.end();
        }
        return new DecodeResult.Complete<>(new RespArray(elements), pos);
    }

    private static long number(byte[] buf, int from, int to, String what) throws RespProtocolException {
        long value = parseOrMinus(buf, from, to);
        if (value == PARSE_FAILED && !AsciiNumbers.isMinValueText(buf, from, to)) {
            throw new RespProtocolException("Protocol error: invalid " + what);
        }
        return value;
    }

    private static final long PARSE_FAILED = AsciiNumbers.INVALID;

    private static long parseOrMinus(byte[] buf, int from, int to) {
        return AsciiNumbers.parseOrMin(buf, from, to);
    }

    /**
     * Finds the end of a header or inline line as Redis's {@code strchr} on its NUL-terminated query buffer does: a
     * NUL before {@code b} hides it, so the line never ends and the request waits for more input (until the
     * {@link #MAX_INLINE_LENGTH} limit refuses it). Payloads, read by length, may hold any byte.
     *
     * @return the index of {@code b}, or -1 if it is not there or a NUL comes first
     */
    private static int lineEnd(byte[] buf, int from, int to, byte b) {
        for (int i = from; i < to; i++) {
            byte c = buf[i];
            if (c == b) {
                return i;
            }
            if (c == 0) {
                return -1;
            }
        }
        return -1;
    }

    private static int indexOf(byte[] buf, int from, int to, byte b) {
        for (int i = from; i < to; i++) {
            if (buf[i] == b) {
                return i;
            }
        }
        return -1;
    }

    /** Redis maps CR and LF in error replies to spaces; other bytes are sent as they are. */
    private static char printable(byte b) {
        return (b == '\r' || b == '\n') ? ' ' : (char) (b & 0xff);
    }
}
