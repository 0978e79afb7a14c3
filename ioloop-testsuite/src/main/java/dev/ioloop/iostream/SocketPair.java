package dev.ioloop.iostream;

import java.io.Closeable;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;

import org.jspecify.annotations.Nullable;

/**
 * Test support: two connected TCP sockets on 127.0.0.1 (a real connection through the kernel).
 * {@code near} is meant to become an {@link IOStream}; {@code far} stays a blocking channel the
 * test drives directly, playing the peer. For a backend whose streams run on sockets of their own
 * ({@link StreamSocket}s, io_uring's), {@code near} is null and {@code nativeNear} holds that socket
 * until a stream takes it (see {@code SocketPairStreamSuite#openPair}).
 */
public record SocketPair(@Nullable SocketChannel near, SocketChannel far, @Nullable Closeable nativeNear)
        implements AutoCloseable {

    /** A pair of {@code java.nio} channels. */
    public SocketPair(SocketChannel near, SocketChannel far) {
        this(near, far, null);
    }

    public static SocketPair open() throws IOException {
        try (ServerSocketChannel listener = ServerSocketChannel.open()) {
            listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            SocketChannel far = SocketChannel.open(listener.getLocalAddress());
            SocketChannel near = listener.accept();
            return new SocketPair(near, far);
        }
    }

    /** Closes both ends (a native near end only if its stream has not closed it: its close is idempotent). */
    @Override
    public void close() throws IOException {
        if (near != null) {
            near.close();
        }
        if (nativeNear != null) {
            nativeNear.close();
        }
        far.close();
    }
}
