package dev.ioloop.tcp;

import java.net.InetSocketAddress;

import org.jspecify.annotations.Nullable;

import dev.ioloop.IOLoop;

/**
 * One listening socket of a {@link TCPServer}: a {@code java.nio} server channel ({@link Acceptor}) or a
 * backend's own ({@link ProvidedAcceptor}).
 */
interface Listening {

    /** The socket's local address, or null if it could not be read. Safe from any thread. */
    @Nullable InetSocketAddress localAddress();

    /** The loop that accepts on this socket. */
    IOLoop loop();

    /** Loop thread: starts accepting (no-op once the socket is closed). */
    void register();

    /** Loop thread: stops accepting (the socket is closed separately). */
    void unregister();

    /** Closes the listening socket. Safe from any thread. */
    void closeSocket();
}
