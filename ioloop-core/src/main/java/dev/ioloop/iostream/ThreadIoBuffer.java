package dev.ioloop.iostream;

import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;

/**
 * One thread's direct buffer, through which {@link PlainTransport} reads into and writes from heap
 * buffers: the copy the JDK makes for them, made cheaper.
 *
 * <p>Why: a socket channel given a heap buffer copies it through a temporary direct buffer of the
 * calling thread, taken from a per-thread cache and given back on every call
 * ({@code sun.nio.ch.Util.getTemporaryDirectBuffer}), and copies with {@code Unsafe.copyMemory},
 * whose argument checks cost more than the copy itself for the 10-100 bytes of a small request or
 * reply. At {@code redis-benchmark -P 1} (issue 12) that was about 0.3 µs of user CPU per request,
 * a tenth of the loop's user time. Here the buffer is looked up once per thread and transport
 * ({@link PlainTransport} remembers it with its thread: a thread-local lookup per call was itself
 * about 0.2 µs per request, issue 12), and the bytes up to {@link #WORD_COPY_MAX} are copied eight
 * at a time with plain loads and stores that the JIT compiles inline; longer transfers take the
 * JDK's bulk copy, which is faster per byte.
 *
 * <p>A use is a copy and one system call, nothing else: no user code runs in between, so a use
 * never nests in another one and the buffer needs no owner flag.
 *
 * <p>Bounded: {@link #CAPACITY} bytes of native memory per thread that does plaintext stream I/O
 * (a loop's thread; made on its first such call), released by the collector once the thread has
 * ended and the buffer is unreachable. Direct memory counts against {@code -XX:MaxDirectMemorySize},
 * whose allocator collects before it fails, so loops started and stopped many times do not pile it
 * up. Larger transfers go to the channel as they are.
 *
 * <p>Threading: each thread uses only its own buffer (a {@link ThreadLocal}); nothing is shared, so
 * there is no memory-ordering decision to make.
 */
final class ThreadIoBuffer {

    /** The most bytes one read or write goes through this buffer: one read of the thread's shared read array. */
    static final int CAPACITY = ReadBuffer.SHARED_CAPACITY;

    /** Transfers up to this many bytes are copied a word at a time; longer ones with the JDK's bulk copy. */
    static final int WORD_COPY_MAX = 256;

    /** Longs in a byte[] at any offset, in the platform's order (the order the direct buffer uses too). */
    private static final VarHandle LONGS_IN_ARRAY =
            MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.nativeOrder());

    /** Longs in any ByteBuffer (heap, read-only, direct) at an absolute index, in the platform's order. */
    private static final VarHandle LONGS_IN_BUFFER =
            MethodHandles.byteBufferViewVarHandle(long[].class, ByteOrder.nativeOrder());

    private static final ThreadLocal<ThreadIoBuffer> BY_THREAD = ThreadLocal.withInitial(ThreadIoBuffer::new);

    private final ByteBuffer direct = ByteBuffer.allocateDirect(CAPACITY).order(ByteOrder.nativeOrder());

    private ThreadIoBuffer() {
    }

    /** The calling thread's buffer, made on its first use. */
    static ThreadIoBuffer current() {
        return BY_THREAD.get();
    }

    /**
     * Reads once from {@code channel} into {@code dst[offset, offset + length)}.
     *
     * @param length the most bytes to read; in [1, {@link #CAPACITY}]
     * @return the bytes read (copied into {@code dst}), 0 when none was available, -1 at EOF
     */
    int read(ReadableByteChannel channel, byte[] dst, int offset, int length) throws IOException {
        ByteBuffer buffer = direct;
        buffer.limit(length).position(0);
        int n = channel.read(buffer);
        if (n > 0) {
            copyOut(buffer, dst, offset, n);
        }
        return n;
    }

    /**
     * Writes {@code src}'s remaining bytes with one call of {@code channel.write}, advancing its
     * position by what the channel took.
     *
     * @param src a buffer of at most {@link #CAPACITY} remaining bytes, any kind (read-only too)
     * @return the bytes the channel took
     */
    int write(WritableByteChannel channel, ByteBuffer src) throws IOException {
        ByteBuffer buffer = direct;
        int position = src.position();
        int size = src.limit() - position;
        buffer.clear();
        copyIn(src, position, buffer, 0, size);
        buffer.limit(size);
        int n = channel.write(buffer);
        if (n > 0) {
            src.position(position + n);
        }
        return n;
    }

    /**
     * Writes the remaining bytes of {@code srcs[offset, offset + length)} with one call of
     * {@code channel.write}, advancing the buffers' positions, in order, by what the channel took.
     *
     * @param total their remaining bytes together; at most {@link #CAPACITY}
     * @return the bytes the channel took
     */
    int write(WritableByteChannel channel, ByteBuffer[] srcs, int offset, int length, int total) throws IOException {
        ByteBuffer buffer = direct;
        buffer.clear();
        int at = 0;
        for (int i = offset; i < offset + length; i++) {
            ByteBuffer src = srcs[i];
            int size = src.remaining();
            copyIn(src, src.position(), buffer, at, size);
            at += size;
        }
        buffer.limit(total);
        int n = channel.write(buffer);
        for (int i = offset, left = n; left > 0; i++) { // the bytes the socket took, buffer by buffer
            ByteBuffer src = srcs[i];
            int taken = Math.min(left, src.remaining());
            src.position(src.position() + taken);
            left -= taken;
        }
        return n;
    }

    /** Copies {@code from[0, n)} into {@code to[offset, offset + n)}; n positive, within both. */
    private static void copyOut(ByteBuffer from, byte[] to, int offset, int n) {
        if (n > WORD_COPY_MAX) {
            from.get(0, to, offset, n);
            return;
        }
        if (n < Long.BYTES) {
            for (int i = 0; i < n; i++) {
                to[offset + i] = from.get(i);
            }
            return;
        }
        int last = n - Long.BYTES;
        for (int i = 0; i < last; i += Long.BYTES) {
            LONGS_IN_ARRAY.set(to, offset + i, (long) LONGS_IN_BUFFER.get(from, i));
        }
        // the last eight bytes, overlapping what the loop copied when n is not a multiple of eight
        LONGS_IN_ARRAY.set(to, offset + last, (long) LONGS_IN_BUFFER.get(from, last));
    }

    /** Copies {@code from[position, position + n)} into {@code to[at, at + n)}; n within both, may be 0. */
    private static void copyIn(ByteBuffer from, int position, ByteBuffer to, int at, int n) {
        if (n > WORD_COPY_MAX) {
            to.put(at, from, position, n);
            return;
        }
        if (n < Long.BYTES) {
            for (int i = 0; i < n; i++) {
                to.put(at + i, from.get(position + i));
            }
            return;
        }
        int last = n - Long.BYTES;
        for (int i = 0; i < last; i += Long.BYTES) {
            LONGS_IN_BUFFER.set(to, at + i, (long) LONGS_IN_BUFFER.get(from, position + i));
        }
        LONGS_IN_BUFFER.set(to, at + last, (long) LONGS_IN_BUFFER.get(from, position + last));
    }
}
