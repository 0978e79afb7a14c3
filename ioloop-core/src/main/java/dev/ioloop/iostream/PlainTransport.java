package dev.ioloop.iostream;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;

import org.jspecify.annotations.Nullable;

/**
 * The socket itself: bytes go to and from the channel unchanged. Loop thread only.
 *
 * <p>Heap buffers of up to {@link ThreadIoBuffer#CAPACITY} bytes (what a stream reads or writes at
 * a time in the common case) go through the calling thread's {@link ThreadIoBuffer}: the one copy
 * the JDK would make, made cheaper, and a gathering write of such buffers becomes one {@code write}
 * of their bytes instead of a {@code writev} with a temporary direct buffer per heap buffer. Direct
 * buffers and larger transfers go to the channel as they are. Either way a call reads or takes
 * exactly what the socket did and advances the buffers' positions by that.
 */
final class PlainTransport extends Transport {

    // The thread that last did I/O here and its buffer: a stream does its I/O on its loop's thread, so
    // after the first call this is a comparison with the current thread instead of a ThreadLocal
    // lookup per read and write (issue 12, -P 1). Compared on every call, because a loop may be
    // stopped and started again on another thread: two threads must never share one buffer.
    // ordering: plain fields, written and read by the thread doing the I/O; a thread that finds another
    // thread's (or a stale) value looks its own buffer up again, so no visibility is relied on.
    private @Nullable Thread ioThread;
    private @Nullable ThreadIoBuffer ioBuffer;

    private final SocketChannel channel;

    PlainTransport(SocketChannel channel) {
        this.channel = channel;
    }

    @Override
    public boolean isOpen() {
        return channel.isOpen();
    }

    /** The calling thread's I/O buffer, remembered for the next call from the same thread. */
    ThreadIoBuffer ioBuffer() {
        Thread current = Thread.currentThread();
        ThreadIoBuffer buffer = ioBuffer;
        if (ioThread != current || buffer == null) {
            buffer = ThreadIoBuffer.current();
            ioBuffer = buffer;
            ioThread = current;
        }
        return buffer;
    }

    @Override
    boolean flushed() {
        return true;
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        int room = dst.remaining();
        if (room == 0 || room > ThreadIoBuffer.CAPACITY || !dst.hasArray()) {
            return channel.read(dst); // direct (the socket reads into it), large, or read-only (the channel refuses it)
        }
        int position = dst.position();
        int n = ioBuffer().read(channel, dst.array(), dst.arrayOffset() + position, room);
        if (n > 0) {
            dst.position(position + n);
        }
        return n;
    }

    @Override
    public int write(ByteBuffer src) throws IOException {
        int size = src.remaining();
        if (size == 0 || size > ThreadIoBuffer.CAPACITY || src.isDirect()) {
            return channel.write(src);
        }
        return ioBuffer().write(channel, src);
    }

    @Override
    public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
        long total = 0;
        for (int i = offset; i < offset + length; i++) {
            ByteBuffer src = srcs[i];
            total += src.remaining();
            if (total > ThreadIoBuffer.CAPACITY || src.isDirect()) {
                return channel.write(srcs, offset, length);
            }
        }
        if (total == 0) {
            return channel.write(srcs, offset, length);
        }
        return ioBuffer().write(channel, srcs, offset, length, (int) total);
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
