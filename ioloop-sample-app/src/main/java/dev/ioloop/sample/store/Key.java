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
 * thread-safe, except a {@linkplain #probe() probe}: a lookup key its owner points at a range of a request before
 * each lookup, which nothing keeps (the store keeps its {@link #stable()} copy).
 */
public final class Key implements CharSequence, Comparable<Key> {

    private static final byte[] EMPTY = new byte[0];

    // Final for every key the store holds; a probe ({@link #probe()}) changes them with each reset().
    private byte[] bytes;
    private int from;
    private int length;
    private int hash;
    private final boolean probe;

    private Key(byte[] bytes) {
        this.bytes = bytes;
        this.length = bytes.length;
        this.hash = hash(bytes, 0, bytes.length);
        this.probe = false;
    }

    private Key() {
        this.bytes = EMPTY;
        this.probe = true;
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

    /**
     * Returns a lookup key to {@linkplain #reset reset} over a range of a request before each lookup, so a command
     * that only reads (GET) or replaces an existing key's value (SET) makes no key object and copies no key bytes. The
     * store never keeps a probe: it keeps {@link #stable()} of it. Not thread-safe: one thread owns a probe.
     */
    public static Key probe() {
        return new Key();
    }

    /**
     * Points this probe at {@code bytes[from, from + length)} (not copied: valid while that range is unchanged) and
     * returns it.
     *
     * @throws IllegalStateException if this is not a probe
     * @throws IndexOutOfBoundsException if the range is not inside {@code bytes}
     */
    public Key reset(byte[] bytes, int from, int length) {
        if (!probe) {
            throw new IllegalStateException("only a probe key can be reset");
        }
        java.util.Objects.checkFromIndexSize(from, length, bytes.length);
        this.bytes = bytes;
        this.from = from;
        this.length = length;
        this.hash = hash(bytes, from, from + length);
        return this;
    }

    /** Returns this key, or for a probe a new key holding a copy of its bytes (what the store may keep). */
    public Key stable() {
        return probe ? new Key(Arrays.copyOfRange(bytes, from, from + length)) : this;
    }

    /**
     * Returns the key's bytes: not a copy (callers must not change them: a reply may send them as they are), except
     * for a probe, whose range is copied.
     */
    public byte[] bytes() {
        return probe ? Arrays.copyOfRange(bytes, from, from + length) : bytes;
    }

    /** Returns the number of bytes. */
    @Override
    public int length() {
        return length;
    }

    /** Returns the byte at {@code index} as an ISO-8859-1 char. */
    @Override
    public char charAt(int index) {
        java.util.Objects.checkIndex(index, length);
        return (char) (bytes[from + index] & 0xff);
    }

    /** Returns the ISO-8859-1 string of bytes {@code start} to {@code end} (a new string). */
    @Override
    public CharSequence subSequence(int start, int end) {
        java.util.Objects.checkFromToIndex(start, end, length);
        return new String(bytes, from + start, end - start, StandardCharsets.ISO_8859_1);
    }

    /** Compares as unsigned bytes, as Redis's {@code memcmp}-based ordering of keys. */
    @Override
    public int compareTo(Key other) {
        return Arrays.compareUnsigned(bytes, from, from + length, other.bytes, other.from, other.from + other.length);
    }

    @Override
    public boolean equals(Object o) {
        return o == this || (o instanceof Key k && k.hash == hash
                && Arrays.equals(k.bytes, k.from, k.from + k.length, bytes, from, from + length));
    }

    @Override
    public int hashCode() {
        return hash;
    }

    /** Returns the key as an ISO-8859-1 string (one char per byte). */
    @Override
    public String toString() {
        return new String(bytes, from, length, StandardCharsets.ISO_8859_1);
    }

    /** {@link Arrays#hashCode(byte[])} of the range (the same value for the same bytes wherever they lie). */
    private static int hash(byte[] bytes, int from, int to) {
        int h = 1;
        for (int i = from; i < to; i++) {
            h = 31 * h + bytes[i];
        }
        return h;
    }
}
