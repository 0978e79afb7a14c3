package dev.ioloop.iostream;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.GatheringByteChannel;
import java.nio.channels.ReadableByteChannel;

import dev.ioloop.IOLoop;

/**
 * What an {@link IOStream} reads its bytes from and writes them to: the socket itself
 * ({@link PlainTransport}), TLS over the socket ({@link TlsTransport}), or a {@link StreamSocket} that
 * does its own I/O ({@link SocketTransport}).
 *
 * <p>Why a layer under the stream rather than a TLS subclass of it: everything a user relies on
 * (the five read kinds, the bounded read buffer and write queue, back-pressure, the one
 * {@code close(cause)} funnel, futures completed on the loop) lives once, in {@code IOStream},
 * and works on plaintext; a transport only turns plaintext into what goes on the wire and back.
 * The stream calls {@link #read} where it read the socket and {@link #write} where it wrote it,
 * and asks the transport which socket events to wait for, so TLS adds no second copy of the
 * stream's rules, and {@code startTls} swaps the transport of a live stream in place.
 *
 * <p>Loop thread only (owned by one stream).
 */
abstract class Transport implements ReadableByteChannel, GatheringByteChannel {

    /** What a transport tells its stream outside of a read or write call. Loop thread only. */
    interface Events {

        /** Work the transport waited for (TLS: delegated tasks) is done: handle the socket again. */
        void resume();

        /** The transport failed on its own (TLS: the handshake timed out): close the stream with {@code cause}. */
        void failed(Throwable cause);
    }

    /**
     * Does the transport's own I/O for a readiness event before the stream reads or writes (TLS:
     * its handshake, and records it holds for the socket).
     *
     * @param events the ready events ({@link IOLoop#READ}, {@link IOLoop#WRITE})
     * @return whether the stream may read and write now (false while a TLS handshake runs)
     * @throws IOException when the transport failed; the stream closes with it
     */
    boolean prepare(int events) throws IOException {
        return true; // plaintext: nothing of its own to do
    }

    /**
     * The socket events to wait for, given what the stream wants.
     *
     * @param streamReads whether the stream wants to read
     * @param streamWrites whether the stream has writes queued
     * @return a mask of {@link IOLoop#READ} and {@link IOLoop#WRITE}
     */
    int interest(boolean streamReads, boolean streamWrites) {
        return (streamReads ? IOLoop.READ : IOLoop.NONE) | (streamWrites ? IOLoop.WRITE : IOLoop.NONE);
    }

    /** Whether input the transport holds itself (not the socket) can give the stream plaintext now. */
    boolean hasBufferedInput() {
        return false;
    }

    /** Whether every byte handed to {@link #write} has reached the socket. */
    abstract boolean flushed();

    /** The bytes of buffer the transport holds of its own (TLS: records and plaintext in flight), for tests and metrics. */
    int bufferCapacity() {
        return 0;
    }

    /** Reads plaintext into {@code dst}: the count, 0 when none is available now, -1 at the end of the stream. */
    @Override
    public abstract int read(ByteBuffer dst) throws IOException;

    /** Takes plaintext from {@code srcs}: the bytes taken (on the socket, or held until {@link #flushed()}). */
    @Override
    public abstract long write(ByteBuffer[] srcs, int offset, int length) throws IOException;

    @Override
    public long write(ByteBuffer[] srcs) throws IOException {
        return write(srcs, 0, srcs.length);
    }

    /** Ends the transport (TLS: sends close_notify if the socket takes it at once) and closes the channel. */
    @Override
    public abstract void close() throws IOException;
}
