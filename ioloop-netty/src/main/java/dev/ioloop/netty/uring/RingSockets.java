package dev.ioloop.netty.uring;

import dev.ioloop.IOLoop;
import dev.ioloop.iostream.IOStream;
import dev.ioloop.iostream.StreamSocket;
import dev.ioloop.netty.NettyBackend;
import io.netty.channel.EventLoop;
import io.netty.channel.IoEventLoop;
import io.netty.channel.uring.IoUring;
import io.netty.channel.uring.IoUringIoHandle;
import io.netty.channel.unix.Socket;
import java.util.Objects;

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

    private RingSockets() {
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
