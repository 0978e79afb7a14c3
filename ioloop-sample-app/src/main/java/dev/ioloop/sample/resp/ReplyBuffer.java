package dev.ioloop.sample.resp;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.jspecify.annotations.Nullable;

/**
 * A growable byte buffer that replies are encoded into, then handed to the socket in one write.
 *
 * <p>Not thread-safe: one loop thread owns it (a server's data loop shares one among its connections).
 */
public final class ReplyBuffer {

    private static final byte[] MIN_LONG = Long.toString(Long.MIN_VALUE).getBytes(StandardCharsets.US_ASCII);

    private byte[] bytes;
    private int size;
    /** The wrapper {@link #view()} returns, over {@link #bytes}; null until needed and after the array changes. */
    private java.nio.@Nullable ByteBuffer view;

    /** Creates an empty buffer with room for {@code initialCapacity} bytes before it grows. */
    public ReplyBuffer(int initialCapacity) {
        if (initialCapacity < 1) {
            throw new IllegalArgumentException("'initialCapacity' must be positive (was " + initialCapacity + ")");
        }
        this.bytes = new byte[initialCapacity];
    }

    /** Returns the number of bytes written since the last {@link #clear()}. */
    public int size() {
        return size;
    }

    /** Forgets the contents; the capacity is kept. */
    public void clear() {
        size = 0;
    }

    /**
     * Forgets the contents and, if the buffer grew past {@code maxCapacity} (for one large reply), replaces it with
     * one of {@code maxCapacity} bytes, so a long-lived buffer does not keep its largest size.
     *
     * @throws IllegalArgumentException if {@code maxCapacity} is below 1
     */
    public void clearAndTrim(int maxCapacity) {
        if (maxCapacity < 1) {
            throw new IllegalArgumentException("'maxCapacity' must be positive (was " + maxCapacity + ")");
        }
        size = 0;
        if (bytes.length > maxCapacity) {
            bytes = new byte[maxCapacity];
            view = null;
        }
    }

    /**
     * Returns the contents as a buffer over this buffer's own array (no copy), for a write that may take it: call
     * {@link #handOver} if the array is then still in use, else keep using this buffer. The wrapper itself is reused
     * by the next call (until {@link #handOver} or a growth replaces the array): do not keep it.
     */
    public java.nio.ByteBuffer view() {
        java.nio.ByteBuffer v = view;
        if (v == null) {
            v = java.nio.ByteBuffer.wrap(bytes);
            view = v;
        }
        // the same wrapper each time (one fewer object per burst): whoever took the last one is done with it, or
        // called handOver, which forgets it with the array
        v.clear().limit(size);
        return v;
    }

    /**
     * Gives up the array returned by {@link #view()} (its new owner keeps it) and starts again, empty, with a new one
     * of {@code capacity} bytes.
     *
     * @throws IllegalArgumentException if {@code capacity} is below 1
     */
    public void handOver(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("'capacity' must be positive (was " + capacity + ")");
        }
        bytes = new byte[capacity];
        view = null;
        size = 0;
    }

    /** Returns a copy of the contents. */
    public byte[] toByteArray() {
        return Arrays.copyOf(bytes, size);
    }

    /** Appends one byte. */
    public ReplyBuffer put(byte b) {
        ensure(1);
        bytes[size++] = b;
        return this;
    }

    /** Appends all of {@code data}. */
    public ReplyBuffer put(byte[] data) {
        ensure(data.length);
        System.arraycopy(data, 0, bytes, size, data.length);
        size += data.length;
        return this;
    }

    /** Appends {@code text} as ISO-8859-1 (callers pass ASCII: status lines and error messages). */
    public ReplyBuffer putAscii(String text) {
        int n = text.length();
        ensure(n);
        for (int i = 0; i < n; i++) {
            bytes[size++] = (byte) text.charAt(i);
        }
        return this;
    }

    /** Appends the decimal digits of {@code value}, with a leading {@code -} when negative. */
    public ReplyBuffer putDecimal(long value) {
        if (value == Long.MIN_VALUE) {
            return put(MIN_LONG);
        }
        ensure(20);
        if (value < 0) {
            bytes[size++] = '-';
            value = -value;
        }
        int digits = 1;
        for (long v = value; v >= 10; v /= 10) {
            digits++;
        }
        for (int i = size + digits - 1; i >= size; i--) {
            bytes[i] = (byte) ('0' + (value % 10));
            value /= 10;
        }
        size += digits;
        return this;
    }

    /** Appends CR LF. */
    public ReplyBuffer crlf() {
        ensure(2);
        bytes[size++] = '\r';
        bytes[size++] = '\n';
        return this;
    }

    /** Returns the internal array, valid up to {@link #size()}, until the next append. */
    byte[] array() {
        return bytes;
    }

    private void ensure(int more) {
        int needed = size + more;
        if (needed < 0) {
            throw new IllegalStateException("reply buffer would exceed 2 GiB");
        }
        if (needed > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(needed, (int) Math.min(Integer.MAX_VALUE - 8, bytes.length * 2L)));
            view = null;
        }
    }

    /** Returns a read-only view of the contents, valid until the next append or clear. */
    public java.nio.ByteBuffer asByteBuffer() {
        return java.nio.ByteBuffer.wrap(bytes, 0, size).asReadOnlyBuffer();
    }
}
