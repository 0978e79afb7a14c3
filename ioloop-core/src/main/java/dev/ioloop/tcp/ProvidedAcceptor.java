package dev.ioloop.tcp;

import java.net.InetSocketAddress;
import java.util.function.Consumer;

import dev.ioloop.IOLoop;

/**
 * A listening socket of a backend that does its own socket I/O ({@link SocketProvider}): it accepts by
 * itself once started, and hands each connection to the server on the accepting loop's thread.
 */
final class ProvidedAcceptor implements Listening {

    private final SocketProvider.ListeningSocket socket;
    private final IOLoop loop;
    private final Consumer<SocketProvider.Connection> onAccepted;
    private boolean started;

    ProvidedAcceptor(SocketProvider.ListeningSocket socket, IOLoop loop, Consumer<SocketProvider.Connection> onAccepted) {
        this.socket = socket;
        this.loop = loop;
        this.onAccepted = onAccepted;
    }

    @Override
    public InetSocketAddress localAddress() {
        return socket.localAddress();
    }

    @Override
    public IOLoop loop() {
        return loop;
    }

    @Override
    public void register() {
        if (!started) {
            started = true;
            socket.start(loop, onAccepted);
        }
    }

    @Override
    public void unregister() {
        // closing the socket stops its accepting: nothing is registered with the loop
    }

    @Override
    public void closeSocket() {
        socket.close();
    }
}
