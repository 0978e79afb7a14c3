package dev.ioloop.sample.resp;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * One RESP2 value: a simple string, an error, an integer, a bulk string, an array, or one of the two nulls.
 *
 * <p>Frames are immutable values (a bulk string's bytes are not copied: do not change an array after handing it
 * over). Java 17 has no pattern {@code switch}, so consumers dispatch with {@code instanceof}, as
 * {@link RespEncoder} does.
 */
public sealed interface RespFrame {

    /** {@code +OK}. */
    SimpleString OK = new SimpleString("OK");
    /** {@code +PONG}. */
    SimpleString PONG = new SimpleString("PONG");
    /** {@code :0}. */
    IntegerReply ZERO = new IntegerReply(0);
    /** {@code :1}. */
    IntegerReply ONE = new IntegerReply(1);
    /** {@code $-1}: the RESP2 null bulk string (a missing key). */
    NullBulkString NULL_BULK = new NullBulkString();
    /** {@code *-1}: the RESP2 null array. */
    NullArray NULL_ARRAY = new NullArray();
    /** {@code *0}. */
    RespArray EMPTY_ARRAY = new RespArray(List.of());

    /** Returns an integer frame. */
    static IntegerReply integer(long value) {
        return value == 0 ? ZERO : value == 1 ? ONE : new IntegerReply(value);
    }

    /** Returns a bulk string frame over {@code bytes} (not copied). */
    static BulkString bulk(byte[] bytes) {
        return new BulkString(bytes);
    }

    /** Returns a bulk string frame holding {@code text} as UTF-8. */
    static BulkString bulk(String text) {
        return new BulkString(text.getBytes(StandardCharsets.UTF_8));
    }

    /** Returns an error frame; {@code message} starts with its code, as in {@code "ERR syntax error"}. */
    static SimpleError error(String message) {
        return new SimpleError(message);
    }

    /**
     * {@code +text}: a status reply.
     *
     * @param text the status, without CR or LF
     */
    record SimpleString(String text) implements RespFrame {
        /** @throws IllegalArgumentException if {@code text} contains CR or LF */
        public SimpleString {
            requireSingleLine("text", text);
        }
    }

    /**
     * {@code -message}: an error reply. The message starts with an upper-case code ({@code ERR}, {@code WRONGTYPE}).
     *
     * @param message the error, without CR or LF
     */
    record SimpleError(String message) implements RespFrame {
        /** @throws IllegalArgumentException if {@code message} contains CR or LF */
        public SimpleError {
            requireSingleLine("message", message);
        }
    }

    /** {@code :value}: a signed 64-bit integer reply. */
    record IntegerReply(long value) implements RespFrame {
    }

    /** {@code $len\r\nbytes\r\n}: a binary-safe string. Equality compares the bytes. */
    record BulkString(byte[] bytes) implements RespFrame {
        @Override
        public boolean equals(Object other) {
            return other instanceof BulkString b && Arrays.equals(bytes, b.bytes);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(bytes);
        }

        /** Returns the bytes decoded as UTF-8 (for tests and logs). */
        @Override
        public String toString() {
            return "BulkString[" + new String(bytes, StandardCharsets.UTF_8) + "]";
        }
    }

    /** {@code $-1}: no value. */
    record NullBulkString() implements RespFrame {
    }

    /** {@code *n} followed by n frames. */
    record RespArray(List<RespFrame> elements) implements RespFrame {
        /** Copies {@code elements} into an unmodifiable list. */
        public RespArray {
            elements = List.copyOf(elements);
        }
    }

    /** {@code *-1}: no array. */
    record NullArray() implements RespFrame {
    }

    /**
     * Several replies to one command, sent one after the other (SUBSCRIBE answers one array per channel). Not a RESP
     * type of its own: it encodes as its frames in order.
     */
    record Replies(List<RespFrame> frames) implements RespFrame {
        /** Copies {@code frames} into an unmodifiable list. */
        public Replies {
            frames = List.copyOf(frames);
        }
    }

    private static void requireSingleLine(String name, String text) {
        if (text.indexOf('\r') >= 0 || text.indexOf('\n') >= 0) {
            throw new IllegalArgumentException("'" + name + "' must not contain CR or LF (was " + text.replace("\r", "\\r").replace("\n", "\\n") + ")");
        }
    }
}
