package dev.ioloop.iostream;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.util.Arrays;

import org.jspecify.annotations.Nullable;

/**
 * The bytes a stream has read from its socket and no read has consumed yet: one array holding the
 * live bytes at {@code [head, tail)}.
 *
 * <p>An empty buffer holds no array: a socket read into an empty buffer goes into the loop
 * thread's shared array ({@link #SHARED_CAPACITY}), which every stream of that thread borrows in
 * turn, so an idle stream costs no buffer memory. Reads consume from it in place; what is left
 * when the stream hands control back to the loop ({@link #releaseShared()}) moves into an array of
 * the stream's own, which is the only copy this adds, and only for bytes no read has taken yet (a
 * partial message). An own array grows when a read needs more room (doubling, up to a cap),
 * compacts instead of growing when the consumed prefix frees enough room, and is dropped once it
 * empties. A lent read ({@link #lendTo}) shows the bytes where they lie, shared array included:
 * its handler must not keep them, and what it leaves moves to an own array as any other rest.
 * Each socket read offers at most {@link #MAX_IO_BYTES}, which keeps the JDK's
 * per-thread temporary direct buffer (used for heap buffers) small.
 *
 * <p>Loop thread only (owned by one {@link IOStream}); the shared array is the current thread's,
 * and at most one stream of a thread holds it at a time: a socket read nested in another stream's
 * delivery reads into an array of its own instead.
 */
final class ReadBuffer {

    /** The size of each thread's shared array: the most one socket read into an empty buffer takes. */
    static final int SHARED_CAPACITY = 64 * 1024;

    /** The smallest own array, made for the bytes left in the shared array. */
    static final int INITIAL_CAPACITY = 4 * 1024;

    /** The idle read high-water mark (bytes a stream buffers while no read is pending). */
    static final int STEADY_CAPACITY = 64 * 1024;

    /** The most bytes one socket read is offered. */
    static final int MAX_IO_BYTES = 256 * 1024;

    private static final byte[] EMPTY = new byte[0];

    /** Each thread's shared array; a thread that runs no stream never makes one. */
    private static final ThreadLocal<Shared> SHARED = ThreadLocal.withInitial(Shared::new);

    private byte[] array = EMPTY;
    private @Nullable ByteBuffer view;
    private @Nullable Shared borrowed;
    /** The shared array of the thread this buffer last read on (checked against the current thread). */
    private @Nullable Shared ownShared;
    private int head;
    private int tail;
    private boolean lastReadFilled;
    private @Nullable Latin1View latin1;

    /** One thread's shared array, its view, and whether a stream holds it now. */
    private static final class Shared {
        final Thread thread = Thread.currentThread();
        final byte[] array = new byte[SHARED_CAPACITY];
        final ByteBuffer view = ByteBuffer.wrap(array);
        boolean held;
    }

    /** Whether the last {@link #readFrom} filled all the room it offered (more may be waiting). */
    boolean lastReadFilled() {
        return lastReadFilled;
    }

    /** Bytes buffered and not yet consumed. */
    int size() {
        return tail - head;
    }

    /** Bytes the array of this buffer can hold: 0 while empty, the shared array's size while borrowed. */
    int capacity() {
        return array.length;
    }

    /**
     * Ends the use of the thread's shared array: returns it, first moving the bytes still in it (if
     * any) into an array of this buffer's own. The stream calls it before handing control back to
     * the loop, so another stream of the thread can borrow the shared array. A no-op when not
     * borrowed.
     */
    void releaseShared() {
        Shared shared = borrowed;
        if (shared == null) {
            return;
        }
        int size = size();
        if (size == 0) {
            dropArray();
            return;
        }
        byte[] own = new byte[Math.max(INITIAL_CAPACITY, size)];
        System.arraycopy(array, head, own, 0, size);
        replace(own, size); // returns the shared array
    }

    /**
     * Reads once from the channel into the buffer, at most {@code limit} bytes.
     *
     * @param limit the most bytes to take in (what the stream may still buffer, so the array never
     *     grows past {@code size() + limit}); positive
     * @return the bytes read, 0 when the channel had none, -1 at EOF
     */
    int readFrom(ReadableByteChannel channel, int limit) throws IOException {
        if (array == EMPTY) {
            borrowShared();
        }
        int room = prepareRoom(limit);
        ByteBuffer into = view();
        into.limit(tail + room).position(tail);
        int n = channel.read(into);
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

    private void borrowShared() {
        Shared shared = ownShared;
        if (shared == null || shared.thread != Thread.currentThread()) {
            shared = SHARED.get(); // a stream reads on its loop's thread: looked up once, then remembered
            ownShared = shared;
        }
        if (shared.held) {
            // A read nested in another stream's delivery on this thread (a callback of that stream's
            // read made this one read from its socket, e.g. through startTls, or a Netty handler on the
            // same event loop did): the shared array holds the other stream's bytes, so read into an
            // array of this buffer's own instead.
            replace(new byte[INITIAL_CAPACITY], 0);
            return;
        }
        shared.held = true;
        borrowed = shared;
        array = shared.array;
        view = shared.view;
        head = 0;
        tail = 0;
    }

    private void replace(byte[] newArray, int size) {
        returnShared();
        array = newArray;
        view = null; // made when a socket read needs it
        head = 0;
        tail = size;
    }

    private void dropArray() {
        returnShared();
        array = EMPTY;
        view = null;
        head = 0;
        tail = 0;
    }

    private void returnShared() {
        Shared shared = borrowed;
        if (shared != null) {
            shared.held = false;
            borrowed = null;
        }
    }

    private ByteBuffer view() {
        ByteBuffer v = view;
        if (v == null) {
            v = ByteBuffer.wrap(array);
            view = v;
        }
        return v;
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
        Latin1View v = latin1;
        if (v == null) {
            v = new Latin1View();
            latin1 = v;
        }
        v.reset(array, head, tail);
        return v;
    }

    /** Removes and returns the first {@code n} buffered bytes. */
    byte[] take(int n) {
        byte[] out = Arrays.copyOfRange(array, head, head + n);
        consumed(n);
        return out;
    }

    /**
     * Lends the buffered bytes to {@code handler} in place (this buffer's array, or the thread's
     * shared one while borrowed) and removes the prefix it consumed. The array must not change
     * while the handler runs: the stream reads nothing into this buffer meanwhile.
     *
     * @return how many bytes the handler consumed
     * @throws IllegalStateException if the handler answered a count outside {@code [0, size()]}
     *     (nothing is consumed then)
     */
    int lendTo(LentReadHandler handler) {
        int size = size();
        int consumed = handler.consume(array, head, size);
        if (consumed < 0 || consumed > size) {
            throw new IllegalStateException("LentReadHandler " + handler + " answered " + consumed
                    + " bytes consumed of the " + size + " lent: must be in [0, " + size + "]");
        }
        if (consumed > 0) {
            consumed(consumed);
        }
        return consumed;
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
            dropArray(); // empty: hold nothing (the next socket read borrows the shared array)
        }
    }
}
