package dev.ioloop.tcp;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

import org.jspecify.annotations.Nullable;

import dev.ioloop.IOLoop;
import dev.ioloop.IOLoopGroup;
import dev.ioloop.iostream.IOStream;
import dev.ioloop.iostream.TlsOptions;

/**
 * A non-blocking TCP client: connects and returns an {@link IOStream}. Tornado's {@code TCPClient}.
 *
 * <pre>{@code
 * TCPClient client = new TCPClient(loop);
 * client.connect("localhost", 8888, Duration.ofSeconds(5))
 *       .thenCompose(stream -> stream.write("ping\n".getBytes(StandardCharsets.US_ASCII))
 *               .thenCompose(written -> stream.readUntil(new byte[] {'\n'})));
 * }</pre>
 *
 * <p>The rules that bite:
 * <ul>
 *   <li>Host names resolve off the loop thread, on the loop's default executor
 *       ({@link IOLoop#runInExecutor} with a null executor); IP literals skip resolution.
 *   <li>Every address the name resolves to is tried, IPv4 and IPv6 interleaved; the next attempt
 *       starts when one fails or after {@link #ATTEMPT_STAGGER} without an answer, and the first
 *       to connect wins (a simple form of Tornado's and RFC 8305's "happy eyeballs").
 *   <li>The returned future fails with {@link java.net.ConnectException} (refused),
 *       {@link java.net.UnknownHostException} (does not resolve) or
 *       {@link java.util.concurrent.TimeoutException} (the timeout passed), each as itself; a
 *       timeout that did not fire is cancelled once connected.
 *   <li>Connected streams have {@code TCP_NODELAY} on (see {@link TCPServer} for why); call
 *       {@code stream.setNodelay(false)} to bring Nagle's algorithm back.
 *   <li>{@code connect} may be called from any thread; the work and the future's completion
 *       happen on the loop thread (on a group: the loop that connection was given).
 *   <li>TLS: {@link #connect(String, int, Duration, TlsOptions)} returns the stream once the
 *       handshake finished, with SNI and hostname verification for {@code host} by default.
 * </ul>
 */
public class TCPClient {

    /** How long an attempt to one address runs alone before the next address is tried too. */
    public static final Duration ATTEMPT_STAGGER = Duration.ofMillis(300);

    private final @Nullable IOLoop loop;
    private final @Nullable IOLoopGroup group;
    private final int maxBufferSize;
    private final int maxWriteBufferSize;

    /** A client whose streams run on {@link IOLoop#current()} (taken now), with default limits. */
    public TCPClient() {
        this(IOLoop.current());
    }

    /**
     * A client whose streams run on {@code loop}, with the default limits
     * ({@link IOStream#DEFAULT_MAX_BUFFER_SIZE}, {@link IOStream#DEFAULT_MAX_WRITE_BUFFER_SIZE}).
     *
     * @param loop the loop that connects and runs the streams
     */
    public TCPClient(IOLoop loop) {
        this(loop, IOStream.DEFAULT_MAX_BUFFER_SIZE, IOStream.DEFAULT_MAX_WRITE_BUFFER_SIZE);
    }

    /**
     * A client whose streams run on {@code loop} with explicit limits (Tornado's
     * {@code connect(..., max_buffer_size=...)}).
     *
     * @param loop the loop that connects and runs the streams
     * @param maxBufferSize each stream's {@code maxBufferSize}, in bytes; positive
     * @param maxWriteBufferSize each stream's {@code maxWriteBufferSize}, in bytes; 0 for unlimited
     * @throws IllegalArgumentException if a limit is out of range
     */
    public TCPClient(IOLoop loop, int maxBufferSize, int maxWriteBufferSize) {
        this(Objects.requireNonNull(loop, "'loop' must not be null"), null, maxBufferSize, maxWriteBufferSize);
    }

    /**
     * A client whose connections are spread over {@code group}'s loops: each {@code connect} runs,
     * and its stream lives, on the group's next loop (round-robin), with the default limits.
     *
     * @param group the loops
     */
    public TCPClient(IOLoopGroup group) {
        this(null, Objects.requireNonNull(group, "'group' must not be null"), IOStream.DEFAULT_MAX_BUFFER_SIZE,
                IOStream.DEFAULT_MAX_WRITE_BUFFER_SIZE);
    }

    private TCPClient(@Nullable IOLoop loop, @Nullable IOLoopGroup group, int maxBufferSize, int maxWriteBufferSize) {
        IOStream.checkLimits(maxBufferSize, maxWriteBufferSize);
        this.loop = loop;
        this.group = group;
        this.maxBufferSize = maxBufferSize;
        this.maxWriteBufferSize = maxWriteBufferSize;
    }

    /**
     * Connects without a timeout of its own (the operating system's connect timeout applies).
     *
     * @param host a host name or IP literal
     * @param port the port, in [1, 65535]
     * @return the connected stream, completed on the loop thread
     * @throws IllegalArgumentException if the port is out of range or the host empty
     */
    public CompletableFuture<IOStream> connect(String host, int port) {
        return connect(host, port, null);
    }

    /**
     * Connects to {@code host:port}, failing after {@code timeout} (covering resolution and every
     * attempt). Safe from any thread.
     *
     * @param host a host name or IP literal
     * @param port the port, in [1, 65535]
     * @param timeout the time allowed, positive, or {@code null} for none
     * @return the connected stream, completed on the loop thread; fails with ConnectException,
     *     UnknownHostException or TimeoutException as described above, or another IOException
     * @throws IllegalArgumentException if the port is out of range, the host empty or the timeout
     *     not positive
     */
    public CompletableFuture<IOStream> connect(String host, int port, @Nullable Duration timeout) {
        return connect(host, port, timeout, null);
    }

    /**
     * Connects to {@code host:port} and starts TLS (Tornado's {@code connect(..., ssl_options=...,
     * server_hostname=...)}): the stream is returned once the handshake finished. Unless the
     * options name a {@code serverHostname}, {@code host} is sent as SNI (not for IP literals) and
     * the server's certificate must match it. Safe from any thread.
     *
     * @param host a host name or IP literal
     * @param port the port, in [1, 65535]
     * @param timeout the time allowed for resolution, connection and handshake together, positive,
     *     or {@code null} for none (the handshake still has {@link TlsOptions#handshakeTimeout()})
     * @param tls client-side options, or {@code null} for plain TCP
     * @return the stream, completed on its loop thread after the handshake; fails as
     *     {@link #connect(String, int, Duration)} does, or with the
     *     {@link javax.net.ssl.SSLHandshakeException} naming why the handshake failed
     * @throws IllegalArgumentException as {@link #connect(String, int, Duration)}, or if {@code tls}
     *     is server-side
     */
    public CompletableFuture<IOStream> connect(String host, int port, @Nullable Duration timeout, @Nullable TlsOptions tls) {
        Objects.requireNonNull(host, "'host' must not be null");
        if (tls != null && tls.serverSide()) {
            throw new IllegalArgumentException("'tls' must be client-side options, from TlsOptions.client(...) (was " + tls + ")");
        }
        if (host.isEmpty()) {
            throw new IllegalArgumentException("'host' must not be empty");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("'port' must be in [1, 65535] (was " + port + ")");
        }
        if (timeout != null && (timeout.isNegative() || timeout.isZero())) {
            throw new IllegalArgumentException("'timeout' must be positive (was " + timeout + ")");
        }
        IOLoop loop = this.loop != null ? this.loop : Objects.requireNonNull(group).next();
        Connector connector = new Connector(loop, host, port, timeout, maxBufferSize, maxWriteBufferSize, tls);
        if (loop.inLoopThread()) {
            connector.start();
        } else {
            loop.execute(connector::start);
        }
        return connector.result();
    }
}
