package dev.ioloop;

import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;

/**
 * Tornado's event masks ({@link IOLoop#READ}, {@link IOLoop#WRITE}) in java.nio's terms, for every
 * backend that watches channels through a java.nio selector (the default selector backend, and
 * ioloop-netty's NIO transport): READ is OP_ACCEPT on a server channel and OP_READ elsewhere; WRITE is
 * OP_CONNECT while a non-blocking connect is pending, then OP_WRITE.
 *
 * <p>Safe from any thread (stateless).
 */
public final class NioInterest {

    private NioInterest() {
    }

    /**
     * Translates java.nio ready operations into Tornado's event mask.
     *
     * @param readyOps a selection key's ready set
     * @return {@link IOLoop#READ} and/or {@link IOLoop#WRITE}, or 0
     */
    public static int events(int readyOps) {
        int events = 0;
        if ((readyOps & (SelectionKey.OP_READ | SelectionKey.OP_ACCEPT)) != 0) {
            events |= IOLoop.READ;
        }
        if ((readyOps & (SelectionKey.OP_WRITE | SelectionKey.OP_CONNECT)) != 0) {
            events |= IOLoop.WRITE;
        }
        return events;
    }

    /**
     * Translates Tornado's event mask into this channel's java.nio interest set.
     *
     * @param channel the channel to watch
     * @param events {@link IOLoop#READ} and/or {@link IOLoop#WRITE}
     * @return the java.nio interest set
     * @throws IllegalArgumentException if the channel does not support one of the events
     */
    public static int interestOps(SelectableChannel channel, int events) {
        int ops = 0;
        if ((events & IOLoop.READ) != 0) {
            ops |= supported(channel, channel instanceof ServerSocketChannel ? SelectionKey.OP_ACCEPT
                    : SelectionKey.OP_READ, "READ");
        }
        if ((events & IOLoop.WRITE) != 0) {
            ops |= supported(channel, isConnecting(channel) ? SelectionKey.OP_CONNECT : SelectionKey.OP_WRITE, "WRITE");
        }
        return ops;
    }

    /**
     * The interest set once a pending connect has finished: OP_CONNECT becomes OP_WRITE.
     *
     * @param channel the channel watched
     * @param ops its current interest set
     * @return {@code ops} unchanged while the connect is still pending or when OP_CONNECT is not in it
     */
    public static int afterConnect(SelectableChannel channel, int ops) {
        if ((ops & SelectionKey.OP_CONNECT) == 0 || isConnecting(channel)) {
            return ops;
        }
        return (ops & ~SelectionKey.OP_CONNECT) | SelectionKey.OP_WRITE;
    }

    private static boolean isConnecting(SelectableChannel channel) {
        return channel instanceof SocketChannel && ((SocketChannel) channel).isConnectionPending();
    }

    private static int supported(SelectableChannel channel, int op, String event) {
        int valid = channel.validOps();
        if ((valid & op) == 0) {
            throw new IllegalArgumentException(channel.getClass().getSimpleName() + " does not support " + event
                    + " events (valid java.nio ops: " + valid + ")");
        }
        return op;
    }
}
