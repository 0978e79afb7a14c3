package dev.ioloop.netty;

import dev.ioloop.IOLoop;
import dev.ioloop.tcp.SocketProvider;
import io.netty.channel.IoEvent;
import io.netty.channel.IoEventLoop;
import io.netty.channel.IoRegistration;
import io.netty.channel.uring.IoUringIoEvent;
import io.netty.channel.uring.IoUringIoHandle;
import io.netty.channel.uring.IoUringIoOps;
import io.netty.channel.unix.Errors;
import io.netty.channel.unix.Socket;
import io.netty.util.concurrent.Future;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A listening TCP socket that accepts through its loop's io_uring ring: one {@code IORING_OP_ACCEPT} in flight,
 * submitted again after each completion. Each connection goes to the server from a loop callback (a completion
 * arrives inside the backend's wait, where no user code may run). A failed accept (out of file descriptors,
 * say) is logged at most once a second and accepting pauses {@link #ACCEPT_BACKOFF}, as {@code TCPServer}'s
 * {@code java.nio} acceptor does. Closing shuts the socket down, which ends the accept in flight, and closes
 * it when that completes.
 */
final class RingListener implements SocketProvider.ListeningSocket, IoUringIoHandle {

    private static final Logger log = LoggerFactory.getLogger(RingListener.class);
    static final byte IORING_OP_ACCEPT = 13;
    /** accept4's flag for the accepted descriptor: not inherited by child processes. */
    private static final int SOCK_CLOEXEC = 0x80000;
    /** How long accepting pauses after an accept failed. */
    static final Duration ACCEPT_BACKOFF = Duration.ofMillis(100);
    private static final long WARN_INTERVAL_NANOS = Duration.ofSeconds(1).toNanos();

    private final Socket socket;
    private final InetSocketAddress localAddress;
    private @Nullable IOLoop loop;
    private @Nullable IoRegistration registration;
    private @Nullable Consumer<SocketProvider.Connection> accepted;
    private boolean acceptInFlight;
    private long lastWarnNanos = System.nanoTime() - WARN_INTERVAL_NANOS;
    private long unreportedFailures;
    // ordering: both volatile. close() (any thread) writes closed, then reads started; start() (loop thread)
    // writes started, then reads closed: at least one of them sees the other, so the socket is always closed
    // (by both at worst, and Socket.close is idempotent).
    private volatile boolean started;
    private volatile boolean closed;

    RingListener(Socket socket) {
        this.socket = socket;
        this.localAddress = socket.localAddress();
    }

    @Override
    public InetSocketAddress localAddress() {
        return localAddress;
    }

    @Override
    public void start(IOLoop loop, Consumer<SocketProvider.Connection> accepted) {
        this.loop = loop;
        this.accepted = accepted;
        started = true;
        if (closed) {
            closeSocket();
            return;
        }
        Future<IoRegistration> registered = ((IoEventLoop) NettyBackend.eventLoop(loop)).register(this);
        if (!registered.isSuccess()) {
            log.error("Cannot accept on {}: the socket could not be registered with {}'s io_uring event loop",
                    localAddress, loop.name(), registered.cause());
            closeSocket();
            return;
        }
        registration = registered.getNow();
        arm();
    }

    private void arm() {
        IoRegistration registration = this.registration;
        if (closed || acceptInFlight || registration == null) {
            return;
        }
        acceptInFlight = true;
        registration.submit(new IoUringIoOps(IORING_OP_ACCEPT, (byte) 0, (short) 0, socket.intValue(),
                0L, 0L, 0, SOCK_CLOEXEC, (short) 0, (short) 0, (short) 0, 0, 0L));
    }

    /** A completion, inside the backend's wait: the connection reaches the server from a loop callback. */
    @Override
    public void handle(IoRegistration registration, IoEvent event) {
        acceptInFlight = false;
        int res = ((IoUringIoEvent) event).res();
        IOLoop loop = this.loop;
        Consumer<SocketProvider.Connection> accepted = this.accepted;
        if (closed || loop == null || accepted == null) {
            if (res >= 0) {
                new RingConnection(new Socket(res)).close();
            }
            registration.cancel();
            closeSocket();
            return;
        }
        if (res >= 0) {
            RingConnection connection = new RingConnection(new Socket(res));
            loop.addCallback(() -> accepted.accept(connection));
            arm();
            return;
        }
        warnThrottled(Errors.newIOException("accept", res));
        loop.callLater(ACCEPT_BACKOFF, this::arm);
    }

    private void warnThrottled(IOException e) {
        unreportedFailures++;
        long now = System.nanoTime();
        if (now - lastWarnNanos >= WARN_INTERVAL_NANOS) {
            log.warn("Accepting on {} failed ({} time(s) since the last report); retrying in {} ms",
                    localAddress, unreportedFailures, ACCEPT_BACKOFF.toMillis(), e);
            lastWarnNanos = now;
            unreportedFailures = 0;
        }
    }

    @Override
    public void close() {
        closed = true;
        if (!started) {
            closeSocket();
            return;
        }
        try {
            socket.shutdown(); // ends the accept in flight: its completion closes the socket on the loop thread
        } catch (IOException | RuntimeException e) {
            closeSocket();
        }
    }

    /** Called by Netty as the event loop shuts down. */
    @Override
    public void unregistered() {
        closeSocket();
    }

    private void closeSocket() {
        RingSockets.closeQuietly(socket);
    }

    @Override
    public String toString() {
        return "RingListener[" + localAddress + (closed ? ", closed" : "") + "]";
    }
}
