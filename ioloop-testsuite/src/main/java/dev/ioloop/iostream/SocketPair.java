package dev.ioloop.iostream;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;

/**
 * Test support: two connected TCP sockets on 127.0.0.1 (a real connection through the kernel).
 * {@code near} is meant to become an {@link IOStream}; {@code far} stays a blocking channel the
 * test drives directly, playing the peer.
 */
public record SocketPair(SocketChannel near, SocketChannel far) implements AutoCloseable {

    public static SocketPair open() throws IOException {
        try (ServerSocketChannel listener = ServerSocketChannel.open()) {
            listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            SocketChannel far = SocketChannel.open(listener.getLocalAddress());
            SocketChannel near = listener.accept();
            return new SocketPair(near, far);
        }
    }

    @Override
    public void close() throws IOException {
        near.close();
        far.close();
    }
}
