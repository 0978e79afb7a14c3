package dev.ioloop.netty;

import dev.ioloop.IOLoop;
import dev.ioloop.IOLoopBackend;
import dev.ioloop.iostream.IOStream;
import dev.ioloop.iostream.StreamSocket;
import io.netty.channel.EventLoop;
import io.netty.channel.IoEventLoop;
import io.netty.channel.uring.IoUring;
import io.netty.channel.uring.IoUringIoHandle;
import io.netty.channel.uring.IoUringIoHandler;
import io.netty.channel.uring.IoUringIoHandlerConfig;
import io.netty.channel.unix.Socket;
import java.io.IOException;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Sockets for streams on io_uring: {@link #wrap} makes a connected socket a {@link StreamSocket} on an IOLoop
 * whose backend is Netty's io_uring event loop, for {@link IOStream#IOStream(StreamSocket, IOLoop, int, int)}.
 *
 * <pre>{@code
 * IOLoop loop = IOLoop.builder().backend(NettyBackend.factory(IoUringIoHandler.newFactory())).build();
 * // on the loop's thread, with a connected io.netty.channel.unix.Socket:
 * IOStream stream = new IOStream(RingSockets.wrap(loop, socket), loop, IOStream.DEFAULT_MAX_BUFFER_SIZE,
 *         IOStream.DEFAULT_MAX_WRITE_BUFFER_SIZE);
 * }</pre>
 *
 * <p>Each socket holds at most {@value RingSocket#RECEIVE_CAPACITY} bytes received and
 * {@value RingSocket#SEND_CAPACITY} bytes being sent, in direct buffers of its own; the stream's limits
 * bound the rest.
 */
public final class RingSockets {

    /** Completions the ring of {@link #backend()} holds: 1 MiB of completion queue per loop. */
    public static final int COMPLETION_QUEUE_SIZE = 64 * 1024;

    private RingSockets() {
    }

    /**
     * Returns the factory of IOLoop backends on Netty's io_uring event loop whose {@code TCPServer}s listen,
     * accept and serve their streams on the ring: {@code IOLoop.configure(RingSockets.backend())}, or
     * {@code IOLoop.builder().backend(RingSockets.backend())}. Start, run and close each such loop on one thread
     * ({@code IOLoopThread} does): io_uring registers its ring with the thread that first runs it.
     *
     * @return the factory
     */
    public static IOLoopBackend.Factory backend() {
        return backend(defaultConfig());
    }

    /**
     * Returns the io_uring settings of {@link #backend()}: Netty's defaults, with room for
     * {@value #COMPLETION_QUEUE_SIZE} completions (a socket has at most a receive and a send in flight, so a
     * loop serves half as many busy connections before the kernel has to hold completions back, which Netty
     * logs as a completion queue overflow). A new object each time, to change and pass to
     * {@link #backend(IoUringIoHandlerConfig)}.
     *
     * @return the settings
     */
    public static IoUringIoHandlerConfig defaultConfig() {
        return new IoUringIoHandlerConfig().setCqSize(COMPLETION_QUEUE_SIZE);
    }

    /**
     * {@link #backend()} with Netty's io_uring settings (ring size, completion queue size, single issuer,
     * buffer rings); start from {@link #defaultConfig()}.
     *
     * @param config the settings
     * @return the factory
     */
    public static IOLoopBackend.Factory backend(IoUringIoHandlerConfig config) {
        return NettyBackend.factory(IoUringIoHandler.newFactory(config), RingSocketProvider.INSTANCE);
    }

    /** Closes a socket of the ring whose close cannot fail in a way anyone could act on (a reset peer, say). */
    static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // nothing left to release: the descriptor is gone either way
        }
    }

    /**
     * Returns whether io_uring can be used here (Netty's natives load and the kernel allows it).
     *
     * @return true if it can
     */
    public static boolean isAvailable() {
        return IoUring.isAvailable();
    }

    /**
     * Returns why io_uring cannot be used here.
     *
     * @return the cause (the kernel refused, the natives did not load), or null when it can
     */
    public static @Nullable Throwable unavailabilityCause() {
        return IoUring.unavailabilityCause();
    }

    /**
     * Makes a connected socket a stream socket on {@code loop}'s ring. The socket is owned by the result from
     * now on: closing the stream closes it.
     *
     * @param loop an IOLoop built on {@code NettyBackend.factory(IoUringIoHandler.newFactory())}
     * @param connected a connected TCP socket (blocking or not)
     * @return the stream socket; loop thread only
     * @throws IllegalArgumentException if the loop does not run on a Netty io_uring event loop, naming its backend
     */
    public static StreamSocket wrap(IOLoop loop, Socket connected) {
        Objects.requireNonNull(loop, "'loop' must not be null");
        Objects.requireNonNull(connected, "'connected' must not be null");
        EventLoop eventLoop = NettyBackend.eventLoop(loop);
        if (!(eventLoop instanceof IoEventLoop io) || !io.isCompatible(IoUringIoHandle.class)) {
            throw new IllegalArgumentException("IOLoop '" + loop.name() + "' runs on the " + loop.backend().name()
                    + " backend, not on Netty's io_uring: build it with "
                    + "IOLoop.builder().backend(NettyBackend.factory(IoUringIoHandler.newFactory()))");
        }
        return new RingSocket(loop, connected);
    }
}
