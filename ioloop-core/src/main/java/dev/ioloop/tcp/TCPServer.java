package dev.ioloop.tcp;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.net.UnknownHostException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.RejectedExecutionException;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.ioloop.IOLoop;
import dev.ioloop.IOLoopGroup;
import dev.ioloop.iostream.IOStream;
import dev.ioloop.iostream.StreamClosedException;
import dev.ioloop.iostream.TlsOptions;

/**
 * A non-blocking TCP server: accepts connections and hands each to a {@link StreamHandler} as an
 * {@link IOStream}. Tornado's {@code TCPServer}.
 *
 * <pre>{@code
 * IOLoop loop = new IOLoop();
 * TCPServer echo = new TCPServer((stream, address) -> echoLines(stream));
 * echo.listen(8888, "127.0.0.1");
 * loop.start();
 *
 * static CompletionStage<Void> echoLines(IOStream stream) {
 *     return stream.readUntil(new byte[] {'\n'})
 *             .thenCompose(stream::write)
 *             .thenCompose(written -> echoLines(stream));
 * }
 * }</pre>
 *
 * <p>The rules that bite:
 * <ul>
 *   <li>On one loop ({@link #TCPServer(StreamHandler)}: {@link IOLoop#current()} when constructed)
 *       the loop accepts and runs every stream. On an {@link IOLoopGroup}, by default the group's
 *       first loop accepts and hands each connection to the group's next loop (round-robin), where
 *       its stream is created and the handler runs. {@link TCPServerOptions#withReusePort} instead
 *       binds one {@code SO_REUSEPORT} socket per loop and lets the kernel spread connections.
 *   <li>Why the hand-off is the default: it works for {@link #addSocket} (one socket we are given),
 *       on every platform (reuse-port balancing is Linux's; BSD and macOS do not balance), spreads
 *       connections exactly evenly, and a stopping loop cannot strand connections queued on its
 *       own socket. Its cost is one cross-thread callback per connection. Measured with
 *       {@code AcceptHandOffMeasurement} (2 loops, 4 client threads, connect/echo/reset churn, a
 *       shared 2-core box at load 5-7, 6 runs of 20,000 connections each way): hand-off 7.5k-13.0k
 *       connections/s, reuse-port 8.0k-14.9k; reuse-port is ahead by about 10-20% on average, within
 *       the box's noise. It matters only for servers that mostly accept short connections, and
 *       those can opt in.
 *   <li>Accepted streams have {@code TCP_NODELAY} on by default (unlike Tornado): a stream writes as
 *       soon as it is asked, so Nagle's algorithm would only add delayed-ACK stalls to
 *       request/response traffic (measured: 40 ms per round trip of pipelined lines). Turn it off
 *       with {@link TCPServerOptions#withNoDelay}.
 *   <li>An exception from {@code handleStream}, or a stage it returns that fails, closes that
 *       stream only and is logged at ERROR (a failure that is just the stream having been closed,
 *       e.g. by the peer, is logged at DEBUG). Stricter than Tornado, which leaves it open.
 *   <li>{@link #listen}, {@link #addSocket}, {@link #boundAddresses}, {@link #stop} and
 *       {@link #close} are safe from any thread; registration happens on the accepting loop.
 *   <li>{@link #stop()} stops accepting and leaves open streams alone; {@link #close()} also
 *       closes them. A stopped server cannot listen again.
 *   <li>TLS: with {@link TCPServerOptions#withTls} every accepted stream starts TLS on its own
 *       loop and the handler gets it once the handshake finished (Tornado calls it at once and
 *       lets the first read wait). A connection whose handshake fails (plaintext, an untrusted or
 *       expired client certificate, a timeout) is closed, logged at DEBUG, never handled; it
 *       counts in {@link #openStreams()} while it handshakes, and {@link #close()} closes it too.
 * </ul>
 */
public class TCPServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(TCPServer.class);

    /**
     * Handles one accepted connection. Runs on the loop thread of the stream it is given.
     */
    @FunctionalInterface
    public interface StreamHandler {

        /**
         * Starts handling a new connection.
         *
         * @param stream the connection's stream, on the loop that runs this call
         * @param address the peer's address
         * @return a stage completing when handling ends, or {@code null}; if it fails, the stream
         *     is closed and the failure logged
         * @throws Exception to close this stream (logged); the server goes on
         */
        @Nullable CompletionStage<?> handleStream(IOStream stream, InetSocketAddress address) throws Exception;
    }

    private final StreamHandler handler;
    private final @Nullable IOLoopGroup group;
    private final IOLoop acceptLoop;
    private final TCPServerOptions options;
    private final List<Listening> acceptors = new CopyOnWriteArrayList<>();
    private final Set<IOStream> streams = ConcurrentHashMap.newKeySet();
    // ordering: volatile, each written once (true) by stop()/close() on any thread and read after
    // adding to `acceptors`/`streams`: see the Dekker pairings at those accesses.
    private volatile boolean stopped;
    private volatile boolean closing;

    /**
     * A server whose connections run on {@link IOLoop#current()} (taken now), with default options.
     *
     * @param handler called for each accepted connection
     */
    public TCPServer(StreamHandler handler) {
        this(handler, IOLoop.current(), TCPServerOptions.defaults());
    }

    /**
     * A server whose connections are spread over {@code group}'s loops, with default options.
     *
     * @param handler called for each accepted connection, on that connection's loop
     * @param group the loops; the first accepts
     */
    public TCPServer(StreamHandler handler, IOLoopGroup group) {
        this(handler, group, TCPServerOptions.defaults());
    }

    /**
     * A server on one loop with explicit options.
     *
     * @param handler called for each accepted connection, on {@code loop}
     * @param loop the loop that accepts and runs every connection
     * @param options backlog, address reuse and the streams' buffer limits
     */
    public TCPServer(StreamHandler handler, IOLoop loop, TCPServerOptions options) {
        this(handler, Objects.requireNonNull(loop, "'loop' must not be null"), null, options);
    }

    /**
     * A server on a group of loops with explicit options.
     *
     * @param handler called for each accepted connection, on that connection's loop
     * @param group the loops; the first accepts
     * @param options backlog, address reuse and the streams' buffer limits
     */
    public TCPServer(StreamHandler handler, IOLoopGroup group, TCPServerOptions options) {
        this(handler, Objects.requireNonNull(group, "'group' must not be null").loops().get(0), group, options);
    }

    private TCPServer(StreamHandler handler, IOLoop acceptLoop, @Nullable IOLoopGroup group, TCPServerOptions options) {
        this.handler = Objects.requireNonNull(handler, "'handler' must not be null");
        this.options = Objects.requireNonNull(options, "'options' must not be null");
        this.group = group;
        this.acceptLoop = acceptLoop;
    }

    /**
     * Listens on {@code port} on every interface (IPv4 and IPv6 where available). Safe from any thread.
     *
     * @param port the port, or 0 for an ephemeral one (see {@link #boundAddresses()})
     * @throws IllegalArgumentException if the port is outside [0, 65535]
     * @throws IllegalStateException if the server was stopped (nothing is bound)
     * @throws UncheckedIOException if the socket cannot be bound
     */
    public void listen(int port) {
        listen(port, null);
    }

    /**
     * Listens on {@code port} on every address {@code address} resolves to (all interfaces when it
     * is null or empty); with port 0 every address gets the port the first bind chose. Resolves
     * {@code address} on the calling thread. Safe from any thread.
     *
     * @param port the port, or 0 for an ephemeral one (see {@link #boundAddresses()})
     * @param address a host name or literal, or {@code null}/empty for all interfaces
     * @throws IllegalArgumentException if the port is outside [0, 65535]
     * @throws IllegalStateException if the server was stopped (nothing is bound)
     * @throws UncheckedIOException if the address does not resolve or a socket cannot be bound
     */
    public void listen(int port, @Nullable String address) {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("'port' must be in [0, 65535] (was " + port + ")");
        }
        // ordering: volatile read; a stop() racing with this listen is caught by startAccepting's re-check.
        if (stopped) {
            throw stoppedError();
        }
        // Hand-off: one socket per address, on the accepting loop. Reuse-port: one per address per loop.
        List<IOLoop> acceptingLoops = group != null && options.reusePort() ? group.loops() : List.of(acceptLoop);
        SocketProvider provider = acceptLoop.backend().capability(SocketProvider.class);
        List<Listening> bound;
        if (provider == null) {
            bound = bindAll(resolve(port, address), port, acceptingLoops, (target, loop, handOff) -> new Acceptor(
                    bind(target), loop, options.backlog(), handOff ? (SocketChannel c) -> dispatch(c)
                            : (SocketChannel c) -> startStream(c, loop)));
        } else {
            if (options.tls() != null) {
                throw new UnsupportedOperationException("TLS needs java.nio channels, and this server's loops run on the "
                        + acceptLoop.backend().name() + " backend, whose sockets are its own: serve TLS on a selector"
                        + " or Netty NIO loop");
            }
            bound = bindAll(resolve(port, address), port, acceptingLoops, (target, loop, handOff) -> new ProvidedAcceptor(
                    provider.listen(target, options), loop, handOff ? (SocketProvider.Connection c) -> dispatch(c)
                            : (SocketProvider.Connection c) -> startStream(c, loop)));
        }
        for (int i = 0; i < bound.size(); i++) {
            try {
                startAccepting(bound.get(i));
            } catch (RuntimeException e) {
                // stopped meanwhile: startAccepting closed this socket; the ones not yet handed over are ours
                bound.subList(i + 1, bound.size()).forEach(Listening::closeSocket);
                throw e;
            }
        }
    }

    /** Opens one listening socket of one kind, for one accepting loop. */
    @FunctionalInterface
    private interface ListenerFactory {
        /**
         * @param handOff true: the connections go to {@link #dispatch} (one accepting loop); false: they start
         *     on {@code loop} (reuse-port, one socket per loop)
         */
        Listening open(InetSocketAddress target, IOLoop loop, boolean handOff) throws IOException;
    }

    /**
     * Binds one socket per accepting loop to each target (port 0: all on the first one's port), each
     * handing its connections to {@code dispatch} (one accepting loop) or starting them on its own loop
     * (reuse-port); all or none.
     */
    private static List<Listening> bindAll(List<InetSocketAddress> targets, int port, List<IOLoop> acceptingLoops,
            ListenerFactory factory) {
        List<Listening> bound = new ArrayList<>();
        try {
            for (InetSocketAddress target : targets) {
                for (IOLoop loop : acceptingLoops) {
                    InetSocketAddress first = bound.isEmpty() ? null : bound.get(0).localAddress();
                    if (port == 0 && first != null) {
                        target = new InetSocketAddress(target.getAddress(), first.getPort());
                    }
                    bound.add(factory.open(target, loop, acceptingLoops.size() == 1));
                }
            }
        } catch (IOException e) {
            bound.forEach(Listening::closeSocket);
            throw new UncheckedIOException("cannot listen on " + targets + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            bound.forEach(Listening::closeSocket);
            throw e;
        }
        return bound;
    }


    private static List<InetSocketAddress> resolve(int port, @Nullable String address) {
        if (address == null || address.isEmpty()) {
            return List.of(new InetSocketAddress(port));
        }
        List<InetSocketAddress> targets = new ArrayList<>();
        try {
            for (InetAddress a : InetAddress.getAllByName(address)) {
                targets.add(new InetSocketAddress(a, port));
            }
        } catch (UnknownHostException e) {
            throw new UncheckedIOException("cannot listen on '" + address + "': unknown host", e);
        }
        return targets;
    }

    private ServerSocketChannel bind(InetSocketAddress target) throws IOException {
        ServerSocketChannel socket = ServerSocketChannel.open();
        try {
            socket.setOption(StandardSocketOptions.SO_REUSEADDR, options.reuseAddress());
            if (group != null && options.reusePort()) {
                if (!socket.supportedOptions().contains(StandardSocketOptions.SO_REUSEPORT)) {
                    throw new UnsupportedOperationException(
                            "'reusePort' is not supported on this platform: use the default hand-off");
                }
                socket.setOption(StandardSocketOptions.SO_REUSEPORT, true);
            }
            socket.bind(target, options.backlog());
            socket.configureBlocking(false);
            return socket;
        } catch (IOException | RuntimeException e) {
            IOLoop.closeFd(socket);
            throw e;
        }
    }

    /**
     * Starts accepting on a bound server socket (made non-blocking). Safe from any thread; the
     * handler is registered on the accepting loop's thread.
     *
     * @param socket an open, bound server socket; the server owns it from now on
     * @throws IllegalArgumentException if the socket is closed or not bound
     * @throws IllegalStateException if the server was stopped
     */
    public void addSocket(ServerSocketChannel socket) {
        Objects.requireNonNull(socket, "'socket' must not be null");
        try {
            if (!socket.isOpen() || socket.getLocalAddress() == null) {
                throw new IllegalArgumentException("'socket' must be open and bound (was " + socket + ")");
            }
            socket.configureBlocking(false);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot use " + socket, e);
        }
        if (acceptLoop.backend().capability(SocketProvider.class) != null) {
            throw new UnsupportedOperationException("addSocket needs java.nio channels, and this server's loops run on the "
                    + acceptLoop.backend().name() + " backend, whose sockets are its own: use listen(port, address)");
        }
        startAccepting(new Acceptor(socket, acceptLoop, options.backlog(), this::dispatch));
    }

    private void startAccepting(Listening acceptor) {
        acceptors.add(acceptor);
        // ordering: volatile read after adding; see stop()
        if (stopped) {
            acceptors.remove(acceptor);
            acceptor.closeSocket();
            throw stoppedError();
        }
        onLoop(acceptor.loop(), acceptor::register);
    }

    private static IllegalStateException stoppedError() {
        return new IllegalStateException("TCPServer is stopped: create a new TCPServer to accept again");
    }

    /**
     * The local addresses of the sockets this server accepts on (e.g. the ports {@code listen(0)}
     * chose). Safe from any thread.
     *
     * @return a snapshot; empty once stopped
     */
    public List<InetSocketAddress> boundAddresses() {
        List<InetSocketAddress> addresses = new ArrayList<>();
        for (Listening acceptor : acceptors) {
            InetSocketAddress address = acceptor.localAddress();
            if (address != null) {
                addresses.add(address);
            }
        }
        return List.copyOf(addresses);
    }

    /**
     * Stops accepting: closes every listening socket. Open streams stay open and their handlers
     * run on. Idempotent; safe from any thread. The channels close at once and their handlers are
     * removed on the accepting loop; java.nio releases a registered socket, so that new
     * connections are refused, at that loop's next select.
     */
    public void stop() {
        // ordering: volatile write; addSocket reads it after adding its acceptor, so an acceptor
        // added concurrently is either closed below or refused there.
        stopped = true;
        for (Listening acceptor : acceptors) {
            acceptors.remove(acceptor);
            acceptor.closeSocket();
            onLoop(acceptor.loop(), acceptor::unregister);
        }
    }

    /**
     * Stops accepting and closes every open stream, each on its own loop: at once for streams on
     * the calling loop thread, otherwise as a callback queued on their loop (so a stream may still
     * handle an event or two before its close runs; {@link #openStreams()} reaches 0 once all
     * closed). Idempotent; safe from any thread.
     */
    @Override
    public void close() {
        // ordering: volatile write before reading the stream set; startStream adds to the set
        // before reading this flag. Both are sequentially consistent (volatile, and the set's
        // own volatile/CAS accesses), so a stream is either seen here or sees closing itself.
        closing = true;
        stop();
        for (IOStream stream : streams) {
            if (!onLoop(stream.ioLoop(), stream::close) && stream.channel() != null) {
                IOLoop.closeFd(stream.channel()); // its loop is closed: nobody else will (a backend's own socket went with it)
            }
        }
    }

    /**
     * The accepted streams still open. Safe from any thread.
     *
     * @return their number
     */
    public int openStreams() {
        return streams.size();
    }

    /** On the accepting loop: picks the connection's loop and starts its stream there. */
    private void dispatch(SocketChannel connection) {
        dispatch(connection, (SocketChannel c, IOLoop loop) -> startStream(c, loop), IOLoop::closeFd);
    }

    /** The same for a connection a backend accepted on its own socket. */
    private void dispatch(SocketProvider.Connection connection) {
        dispatch(connection, (SocketProvider.Connection c, IOLoop loop) -> startStream(c, loop),
                SocketProvider.Connection::close);
    }

    private <C> void dispatch(C connection, java.util.function.BiConsumer<C, IOLoop> start,
            java.util.function.Consumer<C> drop) {
        IOLoop target = group == null ? acceptLoop : group.next();
        if (target == acceptLoop) {
            start.accept(connection, target);
            return;
        }
        try {
            target.execute(() -> start.accept(connection, target));
        } catch (RejectedExecutionException e) {
            log.debug("Loop {} is closed; dropping connection {}", target, connection);
            drop.accept(connection);
        }
    }

    /** On the connection's loop: creates its stream, tracks it, runs the handler. */
    private void startStream(SocketChannel connection, IOLoop loop) {
        InetSocketAddress remote;
        IOStream stream;
        try {
            remote = (InetSocketAddress) connection.getRemoteAddress();
            stream = new IOStream(connection, loop, options.maxBufferSize(), options.maxWriteBufferSize());
            stream.setNodelay(options.noDelay());
        } catch (IOException | RuntimeException e) {
            log.debug("Dropping connection {}: it failed before its stream started", connection, e);
            IOLoop.closeFd(connection);
            return;
        }
        serve(stream, remote);
    }

    /** The same for a connection a backend accepted on its own socket. */
    private void startStream(SocketProvider.Connection connection, IOLoop loop) {
        InetSocketAddress remote;
        IOStream stream;
        try {
            remote = connection.remoteAddress();
            stream = new IOStream(connection.open(loop), loop, options.maxBufferSize(), options.maxWriteBufferSize());
            stream.setNodelay(options.noDelay());
        } catch (RuntimeException e) {
            log.debug("Dropping connection {}: it failed before its stream started", connection, e);
            connection.close();
            return;
        }
        serve(stream, remote);
    }

    /** On the stream's loop: tracks it, then runs the handler (after the TLS handshake, with TLS). */
    private void serve(IOStream stream, InetSocketAddress remote) {
        streams.add(stream);
        stream.onClosed(() -> streams.remove(stream)); // no stages: ~170 B less per open stream than whenClosed()
        // ordering: volatile read after adding to the set; see close()
        if (closing) {
            stream.close();
            return;
        }
        TlsOptions tls = options.tls();
        if (tls == null) {
            runHandler(stream, remote);
            return;
        }
        // TLS: the handler sees the stream once its handshake finished; a peer that fails it
        // (not TLS, untrusted, too slow) only closes its own stream, logged at DEBUG.
        stream.startTls(tls).whenComplete((handshaken, error) -> {
            if (error == null) {
                runHandler(stream, remote);
            } else {
                log.debug("TLS handshake with {} failed; connection closed", remote, error);
            }
        });
    }

    private void runHandler(IOStream stream, InetSocketAddress remote) {
        CompletionStage<?> stage;
        try {
            stage = handler.handleStream(stream, remote);
        } catch (Throwable e) {
            // an AssertionError in one handler closes that stream like an exception; a VM error
            // (out of memory) still closes it, then propagates to the loop's error policy
            handlerFailed(stream, remote, e);
            if (e instanceof VirtualMachineError && !(e instanceof StackOverflowError)) {
                throw (VirtualMachineError) e;
            }
            return;
        }
        if (stage != null) {
            stage.whenCompleteAsync((ignored, error) -> {
                if (error != null) {
                    handlerFailed(stream, remote, error);
                }
            }, stream.ioLoop());
        }
    }

    /** Loop thread of the stream: closes it and logs why. */
    private void handlerFailed(IOStream stream, InetSocketAddress remote, Throwable error) {
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        if (cause instanceof StreamClosedException && stream.closed()) {
            log.debug("Connection from {} closed while its handler used it", remote, cause);
            return;
        }
        log.error("handleStream failed for the connection from {}; closing that connection", remote, cause);
        stream.close(cause);
    }

    /** Runs {@code task} on {@code loop}: now if on its thread, else as a callback; false if the loop is closed. */
    private static boolean onLoop(IOLoop loop, Runnable task) {
        if (loop.inLoopThread()) {
            task.run();
            return true;
        }
        try {
            loop.execute(task);
            return true;
        } catch (RejectedExecutionException e) {
            log.debug("Loop {} is closed; skipping {}", loop, task);
            return false;
        }
    }
}
