package dev.ioloop.sample.store;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A key of the store: binary-safe bytes with their hash computed once, when the key is made from a request's
 * argument. A lookup therefore hashes the key's bytes once and compares bytes, with no {@code String} made or hashed
 * per request (what the keyspace used before: a copy of every key and a hash of that copy per command).
 *
 * <p>As a {@link CharSequence} a key reads as ISO-8859-1 (one char per byte, so any bytes are a key): glob patterns
 * match it and {@link #toString()} is that string, for logs and tests.
 *
 * <pre>{@code
 * Key key = Key.wrap(args.get(1));   // the argument's array, not copied
 * byte[] value = store.getString(key);
 * }</pre>
 *
 * <p>Immutable (the array must not be changed once wrapped: request arguments are fresh arrays no one changes) and
 * thread-safe.
 */
public final class Key implements CharSequence, Comparable<Key> {

    private final byte[] bytes;
    private final int hash;

    private Key(byte[] bytes) {
        this.bytes = bytes;
        this.hash = Arrays.hashCode(bytes);
    }

    /**
     * Returns a key over {@code bytes}, which is not copied: the caller must not change the array afterwards.
     *
     * @throws NullPointerException if {@code bytes} is null
     */
    public static Key wrap(byte[] bytes) {
        return new Key(java.util.Objects.requireNonNull(bytes, "'bytes' must not be null"));
    }

    /** Returns the key whose bytes are {@code text}'s ISO-8859-1 encoding (one byte per char up to U+00FF). */
    public static Key of(String text) {
        return new Key(text.getBytes(StandardCharsets.ISO_8859_1));
    }

    /** Returns the key's bytes, not a copy: callers must not change them (a reply may send them as they are). */
    public byte[] bytes() {
        return bytes;
    }

    /** Returns the number of bytes. */
    @Override
    public int length() {
        return bytes.length;
    }

    /** Returns the byte at {@code index} as an ISO-8859-1 char. */
    @Override
    public char charAt(int index) {
        return (char) (bytes[index] & 0xff);
    }

    /** Returns the ISO-8859-1 string of bytes {@code start} to {@code end} (a new string). */
    @Override
    public CharSequence subSequence(int start, int end) {
        return new String(bytes, start, end - start, StandardCharsets.ISO_8859_1);
    }

    /** Compares as unsigned bytes, as Redis's {@code memcmp}-based ordering of keys. */
    @Override
    public int compareTo(Key other) {
        return Arrays.compareUnsigned(bytes, other.bytes);
    }

    @Override
    public boolean equals(Object o) {
        return o == this || (o instanceof Key k && k.hash == hash && Arrays.equals(k.bytes, bytes));
    }

    @Override
    public int hashCode() {
        return hash;
    }

    /** Returns the key as an ISO-8859-1 string (one char per byte). */
    @Override
    public String toString() {
        return new String(bytes, StandardCharsets.ISO_8859_1);
    }
}
