package dev.ioloop.tcp;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.function.Consumer;

import dev.ioloop.IOLoop;
import dev.ioloop.iostream.StreamSocket;

/**
 * Listening sockets of a loop backend that does its own socket I/O (io_uring: accepts, reads and sends are
 * operations on its ring), for {@link TCPServer}: a server whose accepting loop's backend offers one
 * ({@code IOLoopBackend.capability(SocketProvider.class)}) listens and accepts through it, and its streams
 * run over the {@link StreamSocket}s it gives, instead of {@code java.nio} channels. Everything else about
 * the server is the same; TLS and {@link TCPServer#addSocket} need {@code java.nio} channels and are refused.
 */
public interface SocketProvider {

    /**
     * Opens a listening socket bound to {@code address}, not accepting yet. Safe from any thread.
     *
     * @param address where to listen (port 0: any free one)
     * @param options the server's backlog, {@code reuseAddress} and {@code reusePort}
     * @return the socket
     * @throws IOException if it cannot be bound
     */
    ListeningSocket listen(InetSocketAddress address, TCPServerOptions options) throws IOException;

    /** A bound listening socket. */
    interface ListeningSocket {

        /**
         * Returns the address it is bound to. Safe from any thread.
         *
         * @return the address (with the port chosen for port 0)
         */
        InetSocketAddress localAddress();

        /**
         * Starts accepting on {@code loop}, a loop of the provider's backend, handing every connection to
         * {@code accepted} on that loop's thread. Loop thread only; called once.
         *
         * @param loop the accepting loop
         * @param accepted takes each connection, which it must open or close
         */
        void start(IOLoop loop, Consumer<Connection> accepted);

        /**
         * Stops accepting and closes the socket. Idempotent; safe from any thread (the accepting loop's
         * work is done on its thread).
         */
        void close();
    }

    /** An accepted connection, not yet a stream's. */
    interface Connection {

        /**
         * Returns the peer's address.
         *
         * @return the address
         */
        InetSocketAddress remoteAddress();

        /**
         * Makes the connection a stream socket of {@code loop} (a loop of the provider's backend; the accepting
         * one or another), owned by the result from now on. Called once, on {@code loop}'s thread.
         *
         * @param loop the loop its stream runs on
         * @return the socket
         */
        StreamSocket open(IOLoop loop);

        /** Drops a connection that was not opened. Safe from any thread. */
        void close();
    }
}
