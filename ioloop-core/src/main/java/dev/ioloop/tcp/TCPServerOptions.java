package dev.ioloop.tcp;

import org.jspecify.annotations.Nullable;

import dev.ioloop.iostream.IOStream;
import dev.ioloop.iostream.TlsOptions;

/**
 * A {@link TCPServer}'s options: listen backlog, address reuse, and the limits of the streams it
 * creates. Immutable; build from {@link #defaults()} with the {@code with*} methods.
 *
 * @param backlog the listen backlog (connections the kernel queues before accept), and the most
 *     connections accepted per readiness event; positive. Default {@value #DEFAULT_BACKLOG}, as
 *     Tornado's (the kernel caps it, e.g. at {@code net.core.somaxconn} on Linux)
 * @param reuseAddress whether {@code listen} sets {@code SO_REUSEADDR} (rebinding a port in
 *     TIME_WAIT); default true, as Tornado
 * @param reusePort for a server on an {@link dev.ioloop.IOLoopGroup}: whether {@code listen} binds one
 *     {@code SO_REUSEPORT} socket per loop (the kernel spreads connections; no hand-off) instead of
 *     one socket whose loop hands connections off; default false (see {@link TCPServer} for why).
 *     Where the platform lacks {@code SO_REUSEPORT}, {@code listen} throws. Sockets given to
 *     {@code addSocket} are always handed off
 * @param noDelay whether accepted streams get {@code TCP_NODELAY} (Nagle's algorithm off); default
 *     true (see {@link TCPServer} for why)
 * @param maxBufferSize each stream's {@code maxBufferSize}, in bytes; positive. Default
 *     {@link IOStream#DEFAULT_MAX_BUFFER_SIZE}
 * @param maxWriteBufferSize each stream's {@code maxWriteBufferSize}, in bytes; 0 for unlimited.
 *     Default {@link IOStream#DEFAULT_MAX_WRITE_BUFFER_SIZE} (16 MiB; see there for why)
 * @param tls server-side TLS options: every accepted stream starts TLS and reaches the handler
 *     once its handshake finished (a connection whose handshake fails or times out is closed and
 *     logged at DEBUG, never handled); {@code null} (the default) for plain TCP
 */
public record TCPServerOptions(int backlog, boolean reuseAddress, boolean reusePort, boolean noDelay,
        int maxBufferSize, int maxWriteBufferSize, @Nullable TlsOptions tls) {

    /** The default listen backlog: 128, as Tornado's {@code _DEFAULT_BACKLOG}. */
    public static final int DEFAULT_BACKLOG = 128;

    /**
     * Validates every option.
     *
     * @param backlog the listen backlog
     * @param reuseAddress whether to set SO_REUSEADDR
     * @param reusePort whether a group server binds one SO_REUSEPORT socket per loop
     * @param noDelay whether accepted streams get TCP_NODELAY
     * @param maxBufferSize each stream's maxBufferSize, in bytes
     * @param maxWriteBufferSize each stream's maxWriteBufferSize, in bytes (0 = unlimited)
     * @param tls server-side TLS options, or null for plain TCP
     * @throws IllegalArgumentException naming the option, the rule and the value
     */
    public TCPServerOptions {
        if (backlog < 1) {
            throw new IllegalArgumentException("'backlog' must be positive (was " + backlog + ")");
        }
        IOStream.checkLimits(maxBufferSize, maxWriteBufferSize);
        if (tls != null && !tls.serverSide()) {
            throw new IllegalArgumentException("'tls' must be server-side options, from TlsOptions.server(...) (was " + tls + ")");
        }
    }

    /**
     * Plain-TCP options; see the record's documentation.
     *
     * @param backlog the listen backlog
     * @param reuseAddress whether to set SO_REUSEADDR
     * @param reusePort whether a group server binds one SO_REUSEPORT socket per loop
     * @param noDelay whether accepted streams get TCP_NODELAY
     * @param maxBufferSize each stream's maxBufferSize, in bytes
     * @param maxWriteBufferSize each stream's maxWriteBufferSize, in bytes (0 = unlimited)
     * @throws IllegalArgumentException naming the option, the rule and the value
     */
    public TCPServerOptions(int backlog, boolean reuseAddress, boolean reusePort, boolean noDelay, int maxBufferSize,
            int maxWriteBufferSize) {
        this(backlog, reuseAddress, reusePort, noDelay, maxBufferSize, maxWriteBufferSize, null);
    }

    /**
     * The defaults: backlog 128, address reuse on, hand-off (no reuse-port), TCP_NODELAY on,
     * 100 MiB read limit, 16 MiB write limit.
     *
     * @return the default options
     */
    public static TCPServerOptions defaults() {
        return new TCPServerOptions(DEFAULT_BACKLOG, true, false, true, IOStream.DEFAULT_MAX_BUFFER_SIZE,
                IOStream.DEFAULT_MAX_WRITE_BUFFER_SIZE);
    }

    /**
     * These options with another backlog; see the record's documentation.
     *
     * @param value the new value
     * @return a copy with that value
     */
    public TCPServerOptions withBacklog(int value) {
        return new TCPServerOptions(value, reuseAddress, reusePort, noDelay, maxBufferSize, maxWriteBufferSize, tls);
    }

    /**
     * These options with another address-reuse setting.
     *
     * @param value the new value
     * @return a copy with that value
     */
    public TCPServerOptions withReuseAddress(boolean value) {
        return new TCPServerOptions(backlog, value, reusePort, noDelay, maxBufferSize, maxWriteBufferSize, tls);
    }

    /**
     * These options with one {@code SO_REUSEPORT} socket per loop on (true) or the hand-off (false).
     *
     * @param value the new value
     * @return a copy with that value
     */
    public TCPServerOptions withReusePort(boolean value) {
        return new TCPServerOptions(backlog, reuseAddress, value, noDelay, maxBufferSize, maxWriteBufferSize, tls);
    }

    /**
     * These options with {@code TCP_NODELAY} on accepted streams on (true) or off (false).
     *
     * @param value the new value
     * @return a copy with that value
     */
    public TCPServerOptions withNoDelay(boolean value) {
        return new TCPServerOptions(backlog, reuseAddress, reusePort, value, maxBufferSize, maxWriteBufferSize, tls);
    }

    /**
     * These options with another stream {@code maxBufferSize}, in bytes.
     *
     * @param value the new value
     * @return a copy with that value
     */
    public TCPServerOptions withMaxBufferSize(int value) {
        return new TCPServerOptions(backlog, reuseAddress, reusePort, noDelay, value, maxWriteBufferSize, tls);
    }

    /**
     * These options with another stream {@code maxWriteBufferSize}, in bytes (0 = unlimited).
     *
     * @param value the new value
     * @return a copy with that value
     */
    public TCPServerOptions withMaxWriteBufferSize(int value) {
        return new TCPServerOptions(backlog, reuseAddress, reusePort, noDelay, maxBufferSize, value, tls);
    }

    /**
     * These options with TLS on every accepted stream (server-side options), or plain TCP ({@code null}).
     *
     * @param value the TLS options, or null
     * @return a copy with that value
     * @throws IllegalArgumentException if {@code value} is client-side
     */
    public TCPServerOptions withTls(@Nullable TlsOptions value) {
        return new TCPServerOptions(backlog, reuseAddress, reusePort, noDelay, maxBufferSize, maxWriteBufferSize, value);
    }
}
