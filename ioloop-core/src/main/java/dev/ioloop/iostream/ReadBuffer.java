package dev.ioloop.iostream;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.util.Arrays;

/**
 * The bytes a stream has read from its socket and no read has consumed yet: one reusable array
 * holding the live bytes at {@code [head, tail)}.
 *
 * <p>It grows only when a read needs more room than it has (doubling, up to a cap), compacts
 * instead of growing when the consumed prefix frees enough room, and shrinks back to
 * {@link #STEADY_CAPACITY} once it empties after having grown past it for one large message. In
 * steady state a socket read therefore allocates nothing. Each socket read offers at most
 * {@link #MAX_IO_BYTES}, which keeps the JDK's per-thread temporary direct buffer (used for heap
 * buffers) small.
 *
 * <p>Loop thread only (owned by one {@link IOStream}).
 */
final class ReadBuffer {

    /** Capacity allocated on the first socket read. */
    static final int INITIAL_CAPACITY = 4 * 1024;

    /** The largest capacity kept once the buffer empties; also the idle read high-water mark. */
    static final int STEADY_CAPACITY = 64 * 1024;

    /** The most bytes one socket read is offered. */
    static final int MAX_IO_BYTES = 256 * 1024;

    private static final byte[] EMPTY = new byte[0];

    private byte[] array = EMPTY;
    private ByteBuffer view = ByteBuffer.wrap(EMPTY);
    private int head;
    private int tail;
    private boolean lastReadFilled;
    private final Latin1View latin1 = new Latin1View();

    /** Whether the last {@link #readFrom} filled all the room it offered (more may be waiting). */
    boolean lastReadFilled() {
        return lastReadFilled;
    }

    /** Bytes buffered and not yet consumed. */
    int size() {
        return tail - head;
    }

    /** Bytes the backing array can hold. */
    int capacity() {
        return array.length;
    }

    /**
     * Reads once from the channel into the buffer, at most {@code limit} bytes.
     *
     * @param limit the most bytes to take in (what the stream may still buffer, so the array never
     *     grows past {@code size() + limit}); positive
     * @return the bytes read, 0 when the channel had none, -1 at EOF
     */
    int readFrom(ReadableByteChannel channel, int limit) throws IOException {
        int room = prepareRoom(limit);
        view.limit(tail + room).position(tail);
        int n = channel.read(view);
        lastReadFilled = n == room;
        if (n > 0) {
            tail += n;
        }
        return n;
    }

    /** Makes room for up to {@code limit} bytes at the tail and returns how many fit. */
    private int prepareRoom(int limit) {
        int wanted = Math.min(limit, MAX_IO_BYTES);
        int free = array.length - tail;
        if (free >= wanted) {
            return wanted;
        }
        if (head > 0 && array.length - size() >= Math.min(wanted, array.length / 2)) {
            compact();
            free = array.length - tail;
        }
        // Grow when full, or when the last read filled what it was offered (a burst is arriving)
        // and the array is still below the steady size. The cap is limit-driven: never more
        // than the caller may buffer.
        boolean burst = lastReadFilled && array.length < STEADY_CAPACITY;
        if (free == 0 || (burst && free < wanted)) {
            grow(size() + limit);
            free = array.length - tail;
        }
        return Math.min(wanted, free);
    }

    private void compact() {
        int size = size();
        System.arraycopy(array, head, array, 0, size);
        head = 0;
        tail = size;
    }

    /** Doubles the capacity (at least {@link #INITIAL_CAPACITY}), but never past {@code cap}. */
    private void grow(int cap) {
        long doubled = Math.max(INITIAL_CAPACITY, 2L * array.length);
        int capacity = (int) Math.min(doubled, cap);
        if (capacity <= array.length) {
            return;
        }
        byte[] bigger = new byte[capacity];
        int size = size();
        System.arraycopy(array, head, bigger, 0, size);
        replace(bigger, size);
    }

    private void replace(byte[] newArray, int size) {
        array = newArray;
        view = ByteBuffer.wrap(newArray);
        head = 0;
        tail = size;
    }

    /**
     * Finds {@code delimiter} in the buffered bytes, starting the scan at offset {@code from}.
     *
     * @return the offset (from the first buffered byte) just past the delimiter, or -1
     */
    int indexAfter(byte[] delimiter, int from) {
        int last = tail - delimiter.length;
        byte first = delimiter[0];
        for (int i = head + from; i <= last; i++) {
            if (array[i] == first && matchesAt(delimiter, i)) {
                return i - head + delimiter.length;
            }
        }
        return -1;
    }

    private boolean matchesAt(byte[] delimiter, int at) {
        for (int j = 1; j < delimiter.length; j++) {
            if (array[at + j] != delimiter[j]) {
                return false;
            }
        }
        return true;
    }

    /** The buffered bytes as ISO-8859-1 characters, without copying; valid until the next change. */
    CharSequence latin1() {
        latin1.reset(array, head, tail);
        return latin1;
    }

    /** Removes and returns the first {@code n} buffered bytes. */
    byte[] take(int n) {
        byte[] out = Arrays.copyOfRange(array, head, head + n);
        consumed(n);
        return out;
    }

    /** Moves up to {@code dst.remaining()} buffered bytes into {@code dst}; returns the count. */
    int takeInto(ByteBuffer dst) {
        int n = Math.min(size(), dst.remaining());
        dst.put(array, head, n);
        consumed(n);
        return n;
    }

    private void consumed(int n) {
        head += n;
        if (head == tail) {
            head = 0;
            tail = 0;
            if (array.length > STEADY_CAPACITY) {
                replace(new byte[STEADY_CAPACITY], 0);
            }
        }
    }
}
