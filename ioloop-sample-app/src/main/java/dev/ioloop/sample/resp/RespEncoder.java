package dev.ioloop.sample.resp;

import dev.ioloop.sample.resp.RespFrame.BulkString;
import dev.ioloop.sample.resp.RespFrame.IntegerReply;
import dev.ioloop.sample.resp.RespFrame.NullArray;
import dev.ioloop.sample.resp.RespFrame.NullBulkString;
import dev.ioloop.sample.resp.RespFrame.RespArray;
import dev.ioloop.sample.resp.RespFrame.SimpleError;
import dev.ioloop.sample.resp.RespFrame.SimpleString;
import java.util.List;

/**
 * Writes frames as RESP2 bytes, exactly as Redis does ({@code +OK\r\n}, {@code $-1\r\n}, {@code *2\r\n...}).
 *
 * <p>Stateless and thread-safe; the {@link ReplyBuffer} it writes to is not.
 */
public final class RespEncoder {

    private RespEncoder() {
    }

    /** Appends {@code frame}'s encoding to {@code out}. */
    public static void encode(RespFrame frame, ReplyBuffer out) {
        if (frame instanceof BulkString b) {
            out.put((byte) '$').putDecimal(b.bytes().length).crlf().put(b.bytes()).crlf();
        } else if (frame instanceof SimpleString s) {
            out.put((byte) '+').putAscii(s.text()).crlf();
        } else if (frame instanceof IntegerReply i) {
            out.put((byte) ':').putDecimal(i.value()).crlf();
        } else if (frame instanceof SimpleError e) {
            out.put((byte) '-').putAscii(e.message()).crlf();
        } else if (frame instanceof RespArray a) {
            List<RespFrame> elements = a.elements();
            out.put((byte) '*').putDecimal(elements.size()).crlf();
            for (RespFrame element : elements) {
                encode(element, out);
            }
        } else if (frame instanceof NullBulkString) {
            out.put((byte) '$').putDecimal(-1).crlf();
        } else if (frame instanceof NullArray) {
            out.put((byte) '*').putDecimal(-1).crlf();
        } else if (frame instanceof RespFrame.Replies r) {
            for (RespFrame each : r.frames()) {
                encode(each, out);
            }
        } else {
            throw new IllegalArgumentException("unknown frame type: " + frame.getClass().getName());
        }
    }

    /**
     * Returns how many bytes {@code frame}'s encoding takes, without encoding it (a walk over arrays).
     *
     * @throws IllegalArgumentException for an unknown frame type
     */
    public static long encodedLength(RespFrame frame) {
        if (frame instanceof BulkString b) {
            return 1 + digits(b.bytes().length) + 2 + b.bytes().length + 2;
        } else if (frame instanceof SimpleString s) {
            return 1 + s.text().length() + 2;
        } else if (frame instanceof IntegerReply i) {
            return 1 + Long.toString(i.value()).length() + 2;
        } else if (frame instanceof SimpleError e) {
            return 1 + e.message().length() + 2;
        } else if (frame instanceof RespArray a) {
            long n = 1 + digits(a.elements().size()) + 2;
            for (RespFrame element : a.elements()) {
                n += encodedLength(element);
            }
            return n;
        } else if (frame instanceof NullBulkString || frame instanceof NullArray) {
            return 5;
        } else if (frame instanceof RespFrame.Replies r) {
            long n = 0;
            for (RespFrame each : r.frames()) {
                n += encodedLength(each);
            }
            return n;
        }
        throw new IllegalArgumentException("unknown frame type: " + frame.getClass().getName());
    }

    private static int digits(int n) {
        int d = 1;
        for (int v = n; v >= 10; v /= 10) {
            d++;
        }
        return d;
    }

    /** Returns {@code frame}'s encoding as a new array. */
    public static byte[] encode(RespFrame frame) {
        ReplyBuffer out = new ReplyBuffer(64);
        encode(frame, out);
        return out.toByteArray();
    }

    /** Returns a command as clients send it: an array of bulk strings (used by tests and tools). */
    public static byte[] encodeCommand(byte[]... args) {
        ReplyBuffer out = new ReplyBuffer(64);
        out.put((byte) '*').putDecimal(args.length).crlf();
        for (byte[] arg : args) {
            out.put((byte) '$').putDecimal(arg.length).crlf().put(arg).crlf();
        }
        return out.toByteArray();
    }
}
