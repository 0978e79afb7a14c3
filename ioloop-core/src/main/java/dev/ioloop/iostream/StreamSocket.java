package dev.ioloop.iostream;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;

import org.jspecify.annotations.Nullable;

import dev.ioloop.IOLoop;

/**
 * A connected socket that does its own I/O, for a loop backend that cannot watch a {@code java.nio}
 * channel: on io_uring the kernel completes reads and sends instead of reporting readiness
 * ({@code dev.ioloop.netty.RingSockets}). {@link IOStream#IOStream(StreamSocket, IOLoop, int, int)} wraps
 * one with every promise of a channel stream (the five reads, lent reads, limits, back-pressure, the close
 * funnel), except that {@link IOStream#channel()} is null and {@code startTls} is refused.
 *
 * <p>The socket may hold bytes of its own: what arrived and was not read yet, and what was taken by
 * {@link #write} and not yet handed to the kernel ({@link #flushed()} is false meanwhile). It tells its
 * stream when it can do something again through the {@link Listener}.
 *
 * <p>Threading: loop thread only, all of it. The listener is called on the loop thread, in the loop's dispatch
 * step ({@code IOLoopBackend.ReadySource}) or from a loop callback, never inside the backend's wait, where no
 * user code may run.
 */
public interface StreamSocket {

    /** What the socket tells its stream. */
    @FunctionalInterface
    interface Listener {

        /**
         * The socket can do what the stream waited for: {@link IOLoop#READ} ({@link #read} returns bytes,
         * -1 or throws the socket's error), {@link IOLoop#WRITE} ({@link #write} takes bytes or
         * {@link #flushed()} turned true), or both. A spurious call is harmless.
         *
         * @param events a mask of {@link IOLoop#READ} and {@link IOLoop#WRITE}
         */
        void onEvents(int events);
    }

    /**
     * Starts the socket's I/O, telling {@code listener} from now on. Called once, by the stream.
     *
     * @param listener the stream's handler
     */
    void start(Listener listener);

    /**
     * Sets what the stream waits for now. While {@link IOLoop#READ} is wanted the socket keeps a read
     * going; without it, it stops reading once what it holds is full (the peer is slowed by TCP itself).
     *
     * @param events a mask of {@link IOLoop#READ} and {@link IOLoop#WRITE}, possibly {@link IOLoop#NONE}
     */
    void interest(int events);

    /**
     * Moves received bytes into {@code dst}, advancing its position.
     *
     * @param dst where to put them
     * @return the count, 0 when none has arrived, -1 once the peer's end of stream was read
     * @throws IOException the socket's failure (a reset, say); the stream closes with it
     */
    int read(ByteBuffer dst) throws IOException;

    /**
     * Takes bytes to send from {@code srcs[offset, offset + length)}, advancing their positions by what
     * it took (possibly nothing while an earlier send is unfinished).
     *
     * @return the bytes taken
     * @throws IOException the socket's failure; the stream closes with it
     */
    long write(ByteBuffer[] srcs, int offset, int length) throws IOException;

    /**
     * Returns whether every byte {@link #write} took has been handed to the kernel.
     *
     * @return true when nothing is held back
     */
    boolean flushed();

    /**
     * Returns whether the socket is open.
     *
     * @return false once closed
     */
    boolean isOpen();

    /**
     * Sets {@code TCP_NODELAY}.
     *
     * @param on whether to send small writes at once
     * @throws IOException if the socket refuses it
     */
    void setNoDelay(boolean on) throws IOException;

    /**
     * Returns whether {@code TCP_NODELAY} is set.
     *
     * @return the option's value
     * @throws IOException if the socket cannot tell (closed)
     */
    boolean noDelay() throws IOException;

    /**
     * Returns the local address.
     *
     * @return the address, or null if the socket cannot tell (closed)
     */
    @Nullable InetSocketAddress localAddress();

    /**
     * Returns the peer's address.
     *
     * @return the address, or null if the socket cannot tell (closed)
     */
    @Nullable InetSocketAddress remoteAddress();

    /**
     * Closes the socket: the peer sees the end of stream at once; the socket's own resources are
     * released once the I/O it has in flight completed. Idempotent. The listener is not called again.
     *
     * @throws IOException if the close failed (the socket is closed anyway)
     */
    void close() throws IOException;
}
