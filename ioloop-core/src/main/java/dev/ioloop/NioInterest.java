package dev.ioloop;

import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;

/**
 * Tornado's event masks ({@link IOLoop#READ}, {@link IOLoop#WRITE}) in java.nio's terms, for the
 * selector backend: READ is OP_ACCEPT on a server channel and OP_READ elsewhere; WRITE is OP_CONNECT
 * while a non-blocking connect is pending, then OP_WRITE.
 *
 * <p>Safe from any thread (stateless).
 */
final class NioInterest {

    private NioInterest() {
    }

    /** Translates java.nio ready operations into Tornado's event mask. */
    static int events(int readyOps) {
        int events = 0;
        if ((readyOps & (SelectionKey.OP_READ | SelectionKey.OP_ACCEPT)) != 0) {
            events |= IOLoop.READ;
        }
        if ((readyOps & (SelectionKey.OP_WRITE | SelectionKey.OP_CONNECT)) != 0) {
            events |= IOLoop.WRITE;
        }
        return events;
    }

    /** Translates Tornado's event mask into this channel's java.nio interest set. */
    static int interestOps(SelectableChannel channel, int events) {
        int valid = channel.validOps();
        int ops = 0;
        if ((events & IOLoop.READ) != 0) {
            int read = channel instanceof ServerSocketChannel ? SelectionKey.OP_ACCEPT : SelectionKey.OP_READ;
            if ((valid & read) == 0) {
                throw new IllegalArgumentException(channel.getClass().getSimpleName()
                        + " does not support READ events (valid java.nio ops: " + valid + ")");
            }
            ops |= read;
        }
        if ((events & IOLoop.WRITE) != 0) {
            int write = channel instanceof SocketChannel && ((SocketChannel) channel).isConnectionPending()
                    ? SelectionKey.OP_CONNECT : SelectionKey.OP_WRITE;
            if ((valid & write) == 0) {
                throw new IllegalArgumentException(channel.getClass().getSimpleName()
                        + " does not support WRITE events (valid java.nio ops: " + valid + ")");
            }
            ops |= write;
        }
        return ops;
    }
}
