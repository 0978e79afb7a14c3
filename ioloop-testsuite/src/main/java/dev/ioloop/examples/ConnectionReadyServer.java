package dev.ioloop.examples;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.SelectableChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;

import dev.ioloop.IOLoop;
import dev.ioloop.iostream.IOStream;

/**
 * The example from Tornado's IOLoop documentation, in Java: a TCP server that registers a READ
 * handler on a listening, non-blocking {@link ServerSocketChannel}, accepts connections until
 * accepting would block, and hands each to {@code new IOStream(connection).readUntilClose()},
 * printing what the client sent once it closes.
 *
 * <p>Run it with {@code ./mvnw -q -pl ioloop-core test-compile exec:java} and talk to it with
 * {@code echo hello | nc 127.0.0.1 8888}.
 */
public final class ConnectionReadyServer {

    private final IOLoop loop;
    private final PrintStream out;

    /**
     * Creates the server's logic on a loop.
     *
     * @param loop the loop to register on
     * @param out where to print each client's message
     */
    public ConnectionReadyServer(IOLoop loop, PrintStream out) {
        this.loop = loop;
        this.out = out;
    }

    /**
     * Opens a listening socket and registers the accept handler. Safe from any thread.
     *
     * @param address where to listen (port 0 picks a free port)
     * @return the listening channel
     * @throws IOException if binding fails
     */
    public ServerSocketChannel listen(InetSocketAddress address) throws IOException {
        ServerSocketChannel sock = ServerSocketChannel.open();
        sock.setOption(StandardSocketOptions.SO_REUSEADDR, true);
        sock.configureBlocking(false);
        sock.bind(address, 128);
        loop.addHandler(sock, this::connectionReady, IOLoop.READ);
        return sock;
    }

    /** Tornado's connection_ready: accept until it would block. Loop thread. */
    private void connectionReady(SelectableChannel channel, int events) throws IOException {
        ServerSocketChannel sock = (ServerSocketChannel) channel;
        while (true) {
            SocketChannel connection = sock.accept();
            if (connection == null) {
                return; // would block: every waiting connection was accepted
            }
            connection.configureBlocking(false);
            SocketAddress address = connection.getRemoteAddress();
            IOLoop.current().spawnCallback(() -> handleConnection(connection, address));
        }
    }

    /** Tornado's handle_connection: read until the client closes, then print the message. Loop thread. */
    private void handleConnection(SocketChannel connection, SocketAddress address) {
        IOStream stream = new IOStream(connection);
        stream.readUntilClose().thenAccept(message ->
                out.println("message from client: " + new String(message, StandardCharsets.UTF_8).strip()));
    }

    /**
     * Listens on port 8888 (or the first argument) on all interfaces and runs until killed.
     *
     * @param args optional port
     * @throws IOException if binding fails
     */
    public static void main(String[] args) throws IOException {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 8888;
        IOLoop loop = IOLoop.current();
        ServerSocketChannel sock = new ConnectionReadyServer(loop, System.out).listen(new InetSocketAddress(port));
        System.out.println("listening on " + sock.getLocalAddress() + "; try: echo hello | nc 127.0.0.1 " + port);
        loop.start();
    }
}
