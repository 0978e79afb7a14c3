package dev.ioloop.tcp;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SelectableChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.ioloop.IOLoop;

/**
 * Accepts connections on one listening socket for a {@link TCPServer}: the loop's READ handler for
 * it (Tornado's {@code add_accept_handler}). Each readiness event accepts until the socket would
 * block, at most {@code backlog} connections (then the loop's other work gets a turn).
 *
 * <p>Loop thread only, except {@link #closeSocket()} and {@link #localAddress()}.
 */
final class Acceptor implements IOLoop.IOHandler, Listening {

    private static final Logger log = LoggerFactory.getLogger(Acceptor.class);
    private static final long WARN_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(1);
    /** How long accepting pauses after accept() failed (out of file descriptors, say). */
    static final java.time.Duration ACCEPT_BACKOFF = java.time.Duration.ofMillis(100);

    private final ServerSocketChannel socket;
    private final IOLoop loop;
    private final int maxAcceptsPerEvent;
    private final Consumer<SocketChannel> onAccepted;
    private final @Nullable InetSocketAddress address;
    private boolean registered;
    private long lastWarnNanos = System.nanoTime() - WARN_INTERVAL_NANOS;

    Acceptor(ServerSocketChannel socket, IOLoop loop, int maxAcceptsPerEvent, Consumer<SocketChannel> onAccepted) {
        this.socket = socket;
        this.loop = loop;
        this.maxAcceptsPerEvent = maxAcceptsPerEvent;
        this.onAccepted = onAccepted;
        InetSocketAddress local;
        try {
            local = (InetSocketAddress) socket.getLocalAddress();
        } catch (IOException e) {
            local = null;
        }
        this.address = local;
    }

    /** The socket's local address, or null if it could not be read. Safe from any thread. */
    @Override
    public @Nullable InetSocketAddress localAddress() {
        return address;
    }

    /** The loop that accepts on this socket. */
    @Override
    public IOLoop loop() {
        return loop;
    }

    /** Loop thread: starts listening for connections (no-op once the socket is closed). */
    @Override
    public void register() {
        if (!registered && socket.isOpen()) {
            loop.addHandler(socket, this, IOLoop.READ);
            registered = true;
        }
    }

    /** Loop thread: stops listening (the socket is closed separately). */
    @Override
    public void unregister() {
        if (registered) {
            registered = false;
            loop.removeHandler(socket);
        }
    }

    /** Closes the listening socket at once. Safe from any thread. */
    @Override
    public void closeSocket() {
        IOLoop.closeFd(socket);
    }

    @Override
    public void handle(SelectableChannel channel, int events) {
        if ((events & IOLoop.ERROR) != 0 || !socket.isOpen()) {
            unregister();
            return;
        }
        for (int i = 0; i < maxAcceptsPerEvent; i++) {
            SocketChannel connection;
            try {
                connection = socket.accept();
            } catch (ClosedChannelException e) {
                unregister();
                return;
            } catch (IOException e) {
                // e.g. too many open files: the socket stays readable, so a level-triggered loop would
                // spin at 100% CPU retrying. Stop listening for a moment, then try again.
                warnThrottled(e);
                pauseAccepting();
                return;
            }
            if (connection == null) {
                return;
            }
            onAccepted.accept(connection);
        }
    }

    /** Loop thread: drops READ interest and restores it after {@link #ACCEPT_BACKOFF}. */
    private void pauseAccepting() {
        if (!registered) {
            return;
        }
        loop.updateHandler(socket, IOLoop.NONE);
        loop.callLater(ACCEPT_BACKOFF, () -> {
            if (registered && socket.isOpen()) {
                loop.updateHandler(socket, IOLoop.READ);
            }
        });
    }

    private void warnThrottled(IOException e) {
        long now = System.nanoTime();
        if (now - lastWarnNanos >= WARN_INTERVAL_NANOS) {
            lastWarnNanos = now;
            log.warn("Accept failed on {}: {}", address, e.toString());
        }
    }
}
