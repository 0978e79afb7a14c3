package dev.ioloop.tcp;

import java.io.IOException;
import java.net.ConnectException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnknownHostException;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

import dev.ioloop.IOLoop;
import dev.ioloop.Timeout;
import dev.ioloop.iostream.IOStream;
import dev.ioloop.iostream.StreamClosedException;
import dev.ioloop.iostream.TlsOptions;

/**
 * One {@link TCPClient#connect} in progress: resolves the host off the loop, then tries its
 * addresses (staggered, families interleaved) until one connects, every attempt fails, or the
 * timeout fires. Whatever ends it closes every other attempt's channel and cancels the timers.
 *
 * <p>Loop thread only (after construction).
 */
final class Connector {

    /** IPv4 dotted quads and anything with a colon (IPv6): literals that need no resolver. */
    private static final Pattern IP_LITERAL = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}|.*:.*");

    private final IOLoop loop;
    private final String host;
    private final int port;
    private final @Nullable Duration timeout;
    private final int maxBufferSize;
    private final int maxWriteBufferSize;
    private final @Nullable TlsOptions tls;
    /** The connected stream while its TLS handshake runs; closed if the connect fails meanwhile. */
    private @Nullable IOStream handshaking;
    private final CompletableFuture<IOStream> result = new CompletableFuture<>();
    private final List<SocketChannel> attempts = new ArrayList<>();
    private final List<IOException> failures = new ArrayList<>();
    private List<InetAddress> addresses = List.of();
    private int next;
    private @Nullable Timeout stagger;
    private @Nullable Timeout deadline;

    Connector(IOLoop loop, String host, int port, @Nullable Duration timeout, int maxBufferSize,
            int maxWriteBufferSize) {
        this(loop, host, port, timeout, maxBufferSize, maxWriteBufferSize, null);
    }

    Connector(IOLoop loop, String host, int port, @Nullable Duration timeout, int maxBufferSize,
            int maxWriteBufferSize, @Nullable TlsOptions tls) {
        this.tls = tls;
        this.loop = loop;
        this.host = host;
        this.port = port;
        this.timeout = timeout;
        this.maxBufferSize = maxBufferSize;
        this.maxWriteBufferSize = maxWriteBufferSize;
    }

    CompletableFuture<IOStream> result() {
        return result;
    }

    /** Loop thread: arms the timeout and resolves the host. */
    void start() {
        armTimeout();
        String literal = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        if (IP_LITERAL.matcher(literal).matches()) {
            try {
                resolved(Arrays.asList(InetAddress.getAllByName(literal)));
            } catch (UnknownHostException e) {
                fail(e);
            }
            return;
        }
        loop.runInExecutor(null, () -> InetAddress.getAllByName(host)).whenComplete((found, error) -> {
            if (error != null) {
                Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
                fail(cause);
            } else {
                resolved(Arrays.asList(found));
            }
        });
    }

    /** Loop thread: arms the timeout and tries {@code found} as if the host had resolved to it (tests). */
    void startWith(List<InetAddress> found) {
        armTimeout();
        resolved(found);
    }

    private void armTimeout() {
        if (timeout != null) {
            deadline = loop.callLater(timeout, this::timedOut);
        }
    }

    private void resolved(List<InetAddress> found) {
        if (result.isDone()) {
            return; // timed out while resolving
        }
        addresses = interleaveFamilies(found);
        tryNext();
    }

    /** The resolver's order, but alternating IPv6/IPv4 from the first one's family (RFC 8305). */
    static List<InetAddress> interleaveFamilies(List<InetAddress> found) {
        if (found.isEmpty()) {
            return found;
        }
        boolean firstIs4 = found.get(0) instanceof Inet4Address;
        List<InetAddress> primary = new ArrayList<>();
        List<InetAddress> secondary = new ArrayList<>();
        for (InetAddress a : found) {
            ((a instanceof Inet4Address) == firstIs4 ? primary : secondary).add(a);
        }
        List<InetAddress> ordered = new ArrayList<>(found.size());
        for (int i = 0; i < Math.max(primary.size(), secondary.size()); i++) {
            if (i < primary.size()) {
                ordered.add(primary.get(i));
            }
            if (i < secondary.size()) {
                ordered.add(secondary.get(i));
            }
        }
        return ordered;
    }

    /** Starts an attempt on the next address; fails the connect when none is left and none runs. */
    private void tryNext() {
        cancelStagger();
        if (result.isDone()) {
            return;
        }
        if (next >= addresses.size()) {
            if (attempts.isEmpty()) {
                fail(failures.isEmpty() ? new ConnectException("no address to connect to for " + host) : combinedFailure());
            }
            return;
        }
        InetSocketAddress target = new InetSocketAddress(addresses.get(next++), port);
        SocketChannel channel = null;
        try {
            channel = SocketChannel.open(target.getAddress() instanceof Inet4Address
                    ? StandardProtocolFamily.INET : StandardProtocolFamily.INET6);
            channel.configureBlocking(false);
            if (channel.connect(target)) {
                connected(channel);
                return;
            }
            SocketChannel attempt = channel;
            attempts.add(attempt);
            loop.addHandler(attempt, (ignored, events) -> finishAttempt(attempt, target), IOLoop.WRITE);
            if (next < addresses.size()) {
                stagger = loop.callLater(TCPClient.ATTEMPT_STAGGER, this::tryNext);
            }
        } catch (IOException | RuntimeException e) {
            // e.g. refused at once, or an address family this host lacks (UnsupportedOperationException)
            if (channel != null) {
                IOLoop.closeFd(channel);
            }
            failures.add(e instanceof IOException ? describe((IOException) e, target)
                    : new IOException("cannot connect to " + target + ": " + e, e));
            tryNext();
        }
    }

    /** The attempt's channel is writable (connected) or failed. */
    private void finishAttempt(SocketChannel attempt, InetSocketAddress target) {
        try {
            if (!attempt.finishConnect()) {
                return; // still pending; the handler stays
            }
            loop.removeHandler(attempt);
            attempts.remove(attempt);
            connected(attempt);
        } catch (IOException e) {
            loop.removeHandler(attempt);
            attempts.remove(attempt);
            IOLoop.closeFd(attempt);
            failures.add(describe(e, target));
            tryNext();
        }
    }

    private void connected(SocketChannel channel) {
        if (result.isDone()) {
            IOLoop.closeFd(channel);
            return;
        }
        cancelStagger();
        closeAttempts();
        IOStream stream;
        try {
            stream = new IOStream(channel, loop, maxBufferSize, maxWriteBufferSize);
            stream.setNodelay(true);
        } catch (RuntimeException e) {
            IOLoop.closeFd(channel);
            fail(e);
            return;
        }
        if (tls == null) {
            cancelTimers();
            result.complete(stream);
            return;
        }
        startTls(stream, tls);
    }

    /** Connected: the TLS handshake, under the same timeout; SNI and the verified name default to the host. */
    private void startTls(IOStream stream, TlsOptions options) {
        String bare = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        handshaking = stream;
        stream.startTls(options.serverHostname() != null ? options : options.withServerHostname(bare))
                .whenComplete((ready, error) -> {
                    handshaking = null;
                    if (error == null) {
                        cancelTimers();
                        if (!result.complete(stream)) {
                            stream.close(); // timed out at the same moment
                        }
                    } else {
                        fail(error instanceof StreamClosedException && error.getCause() != null ? error.getCause() : error);
                    }
                });
    }

    private void timedOut() {
        deadline = null;
        fail(new TimeoutException("connecting to " + host + ":" + port + " timed out after " + timeout));
    }

    private void fail(Throwable error) {
        cancelTimers();
        closeAttempts();
        IOStream stream = handshaking;
        handshaking = null;
        if (stream != null) {
            stream.close(error); // timed out during the TLS handshake
        }
        result.completeExceptionally(error);
    }

    private IOException combinedFailure() {
        IOException first = failures.get(0);
        for (int i = 1; i < failures.size(); i++) {
            first.addSuppressed(failures.get(i));
        }
        return first;
    }

    /** Adds the address to the JDK's bare "Connection refused", keeping the exception's type. */
    private static IOException describe(IOException e, InetSocketAddress target) {
        if (e instanceof ConnectException) {
            ConnectException described = new ConnectException(e.getMessage() + ": " + target);
            described.initCause(e);
            return described;
        }
        return e;
    }

    private void closeAttempts() {
        for (SocketChannel attempt : attempts) {
            loop.removeHandler(attempt);
            IOLoop.closeFd(attempt);
        }
        attempts.clear();
    }

    private void cancelStagger() {
        if (stagger != null) {
            loop.removeTimeout(stagger);
            stagger = null;
        }
    }

    private void cancelTimers() {
        cancelStagger();
        if (deadline != null) {
            loop.removeTimeout(deadline);
            deadline = null;
        }
    }
}
