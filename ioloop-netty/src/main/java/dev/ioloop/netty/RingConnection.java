package dev.ioloop.netty;

import dev.ioloop.IOLoop;
import dev.ioloop.iostream.StreamSocket;
import dev.ioloop.tcp.SocketProvider;
import io.netty.channel.unix.Socket;
import java.net.InetSocketAddress;
import org.jspecify.annotations.Nullable;

/** A connection a {@link RingListener} accepted, until a stream opens it on its loop's ring. */
final class RingConnection implements SocketProvider.Connection {

    private final Socket socket;
    private final @Nullable InetSocketAddress remoteAddress;

    RingConnection(Socket socket) {
        this.socket = socket;
        InetSocketAddress remote;
        try {
            remote = socket.remoteAddress();
        } catch (RuntimeException e) { // reset before it was asked
            remote = null;
        }
        this.remoteAddress = remote;
    }

    @Override
    public InetSocketAddress remoteAddress() {
        InetSocketAddress remote = remoteAddress;
        if (remote == null) {
            throw new IllegalStateException("the peer reset " + this + " before its address was read");
        }
        return remote;
    }

    @Override
    public StreamSocket open(IOLoop loop) {
        return RingSockets.wrap(loop, socket);
    }

    @Override
    public void close() {
        RingSockets.closeQuietly(socket);
    }

    @Override
    public String toString() {
        return "RingConnection[fd " + socket.intValue() + " from " + remoteAddress + "]";
    }
}
