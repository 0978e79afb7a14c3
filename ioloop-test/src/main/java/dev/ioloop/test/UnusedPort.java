package dev.ioloop.test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;

/**
 * A listening socket on 127.0.0.1 and the free port the system gave it: Tornado's
 * {@code bind_unused_port}. The socket is already bound, so no other process can take the port between
 * choosing it and listening on it (the race of "find a free port, close it, bind it again").
 *
 * <pre>{@code
 * UnusedPort port = UnusedPort.bind();
 * server.addSocket(port.channel());          // TCPServer takes the bound socket
 * client.connect("127.0.0.1", port.port());
 * }</pre>
 *
 * <p>Whoever takes the channel closes it: {@code TCPServer.close()} does, and so does closing the test's
 * loop with every channel it has (the {@link IOLoopExtension} does after each test).
 *
 * @param channel the bound, listening socket (blocking mode; {@code TCPServer.addSocket} switches it)
 * @param port the port it listens on, in [1, 65535]
 */
public record UnusedPort(ServerSocketChannel channel, int port) {

    /**
     * Binds a new socket to a free port on 127.0.0.1.
     *
     * @return the socket and its port
     * @throws UncheckedIOException if the system could not open or bind a socket
     */
    public static UnusedPort bind() {
        InetAddress loopback = loopback();
        ServerSocketChannel channel = null;
        try {
            channel = ServerSocketChannel.open();
            channel.bind(new InetSocketAddress(loopback, 0));
            return new UnusedPort(channel, ((InetSocketAddress) channel.getLocalAddress()).getPort());
        } catch (IOException e) {
            closeQuietly(channel, e);
            throw new UncheckedIOException("could not bind a socket to a free port on 127.0.0.1", e);
        }
    }

    /**
     * Returns the address to connect to.
     *
     * @return 127.0.0.1 and {@link #port()}
     */
    public InetSocketAddress address() {
        return new InetSocketAddress(loopback(), port);
    }

    // 127.0.0.1 itself, not InetAddress.getLoopbackAddress(), which is ::1 under java.net.preferIPv6Addresses.
    private static InetAddress loopback() {
        try {
            return InetAddress.getByAddress("localhost", new byte[] {127, 0, 0, 1});
        } catch (java.net.UnknownHostException e) {
            throw new AssertionError("a 4-byte address is always valid", e);
        }
    }

    private static void closeQuietly(ServerSocketChannel channel, IOException failure) {
        if (channel == null) {
            return;
        }
        try {
            channel.close();
        } catch (IOException e) {
            failure.addSuppressed(e);
        }
    }
}
