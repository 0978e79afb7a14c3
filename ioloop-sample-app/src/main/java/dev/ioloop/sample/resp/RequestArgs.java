package dev.ioloop.sample.resp;

import java.util.AbstractList;
import java.util.Arrays;
import java.util.RandomAccess;

/**
 * One request's arguments as ranges of the bytes they were decoded from, reused from one request to the next: decoding
 * copies nothing, and an argument becomes an array of its own only when a command asks for it with {@link #get}.
 * Commands that only look at an argument (the command name, a key to look up, a keyword) read its range with
 * {@link #source}, {@link #offset} and {@link #length}.
 *
 * <p>Valid only while the bytes it was decoded from are unchanged, that is during the command it was decoded for: a
 * command must not keep the list (it may keep the arrays {@link #get} returns, which are its own). Bounded: after a
 * request of more than {@link #KEPT_CAPACITY} arguments the next {@link #clear()} drops back to that capacity, and
 * clearing forgets every array it referenced.
 *
 * <p>Not thread-safe: the thread that decodes and runs commands owns it.
 */
public final class RequestArgs extends AbstractList<byte[]> implements RandomAccess {

    /** The most arguments whose slots are kept between requests (a larger request's are dropped by clear()). */
    public static final int KEPT_CAPACITY = 64;
    private static final int INITIAL_CAPACITY = 8;

    private byte[][] sources = new byte[INITIAL_CAPACITY][];
    private int[] offsets = new int[INITIAL_CAPACITY];
    private int[] lengths = new int[INITIAL_CAPACITY];
    /** The arrays handed out by get() (or added as arrays of their own), null until asked for. */
    private byte[][] copies = new byte[INITIAL_CAPACITY][];
    private int size;

    /** Creates an empty list. */
    public RequestArgs() {
    }

    /** Forgets the arguments and the arrays they referenced; drops capacity above {@link #KEPT_CAPACITY}. */
    @Override
    public void clear() {
        if (sources.length > KEPT_CAPACITY) {
            sources = new byte[INITIAL_CAPACITY][];
            offsets = new int[INITIAL_CAPACITY];
            lengths = new int[INITIAL_CAPACITY];
            copies = new byte[INITIAL_CAPACITY][];
        } else {
            Arrays.fill(sources, 0, size, null);
            Arrays.fill(copies, 0, size, null);
        }
        size = 0;
    }

    /**
     * Appends the argument {@code source[offset, offset + length)}, not copied.
     *
     * @throws IndexOutOfBoundsException if the range is not inside {@code source}
     */
    public void addRange(byte[] source, int offset, int length) {
        java.util.Objects.checkFromIndexSize(offset, length, source.length);
        int i = grow();
        sources[i] = source;
        offsets[i] = offset;
        lengths[i] = length;
    }

    /** Appends an argument that is an array of its own (an unescaped inline argument): {@link #get} returns it. */
    public void addOwned(byte[] argument) {
        int i = grow();
        sources[i] = argument;
        offsets[i] = 0;
        lengths[i] = argument.length;
        copies[i] = argument;
    }

    private int grow() {
        if (size == sources.length) {
            int capacity = sources.length * 2;
            sources = Arrays.copyOf(sources, capacity);
            offsets = Arrays.copyOf(offsets, capacity);
            lengths = Arrays.copyOf(lengths, capacity);
            copies = Arrays.copyOf(copies, capacity);
        }
        return size++;
    }

    /** Returns the number of arguments. */
    @Override
    public int size() {
        return size;
    }

    /**
     * Returns argument {@code index} as an array of its own, copied the first time it is asked for (the same array
     * after that, until {@link #clear()}): the caller may keep it.
     *
     * @throws IndexOutOfBoundsException if there is no such argument
     */
    @Override
    public byte[] get(int index) {
        java.util.Objects.checkIndex(index, size);
        byte[] copy = copies[index];
        if (copy == null) {
            int from = offsets[index];
            copy = Arrays.copyOfRange(sources[index], from, from + lengths[index]);
            copies[index] = copy;
        }
        return copy;
    }

    /** Returns the array argument {@code index} lies in (do not change or keep it). */
    public byte[] source(int index) {
        java.util.Objects.checkIndex(index, size);
        return sources[index];
    }

    /** Returns where argument {@code index} starts in its {@link #source}. */
    public int offset(int index) {
        java.util.Objects.checkIndex(index, size);
        return offsets[index];
    }

    /** Returns argument {@code index}'s length in bytes. */
    public int length(int index) {
        java.util.Objects.checkIndex(index, size);
        return lengths[index];
    }

    /** The number of arguments the list has room for before it grows (for tests of its bound). */
    int capacity() {
        return sources.length;
    }

    /** Whether no slot references an array (for tests: clear() lets go of the input). */
    boolean referencesNothing() {
        for (int i = 0; i < sources.length; i++) {
            if (sources[i] != null || copies[i] != null) {
                return false;
            }
        }
        return true;
    }

    /** Returns whether argument {@code index} has the same bytes as {@code bytes}. */
    public boolean argEquals(int index, byte[] bytes) {
        java.util.Objects.checkIndex(index, size);
        int from = offsets[index];
        return Arrays.equals(sources[index], from, from + lengths[index], bytes, 0, bytes.length);
    }
}
