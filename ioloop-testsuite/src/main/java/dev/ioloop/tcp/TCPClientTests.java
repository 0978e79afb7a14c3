package dev.ioloop.tcp;

import static dev.ioloop.iostream.LoopThread.await;
import static dev.ioloop.iostream.LoopThread.awaitFailure;
import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.ConnectException;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.UnknownHostException;
import java.nio.channels.ServerSocketChannel;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeoutException;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.ioloop.iostream.IOStream;
import dev.ioloop.iostream.IOStreamBackPressureTests;
import dev.ioloop.iostream.LoopThread;
import dev.ioloop.testing.BackendSuite;
import dev.ioloop.test.IOLoopTest;

/**
 * TCPClient against real listening sockets: success over IPv4 and IPv6, refusal, an unresolvable
 * name (under the reserved {@code .invalid} TLD), a timeout, and the cancelled timer.
 */
@IOLoopTest(makeCurrent = false)
public abstract class TCPClientTests extends BackendSuite {

    private LoopThread serverLoop;
    private LoopThread clientLoop;
    private TCPServer server;

    @BeforeEach
    void setUp() {
        serverLoop = new LoopThread("server-loop");
        clientLoop = new LoopThread("client-loop");
    }

    @AfterEach
    void tearDown() throws Exception {
        if (server != null) {
            server.close();
        }
        clientLoop.close();
        serverLoop.close();
    }

    private int echoServer(String address) {
        server = new TCPServer((stream, peer) -> TCPServerTests.echoLines(stream), serverLoop.loop(),
                TCPServerOptions.defaults());
        server.listen(0, address);
        return server.boundAddresses().get(0).getPort();
    }

    private String roundTrip(IOStream stream, String line) {
        return clientLoop.call(() -> stream.write(line.getBytes(ISO_8859_1))
                .thenCompose(written -> stream.readUntil(new byte[] {'\n'})))
                .thenApply(bytes -> new String(bytes, ISO_8859_1)).join();
    }

    @Test
    void streamsOfADefaultClientRefuseWritesPastTheDefaultWriteLimitWhenThePeerNeverReads() throws Exception {
        try (ServerSocket neverReads = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            IOStream stream = await(new TCPClient(clientLoop.loop()).connect("127.0.0.1", neverReads.getLocalPort()));
            IOStreamBackPressureTests.writeUntilRefused(clientLoop, stream, IOStream.DEFAULT_MAX_WRITE_BUFFER_SIZE);
            assertThat(clientLoop.call(stream::closed)).isFalse();
            clientLoop.run(stream::close);
        }
    }

    @Test
    void connectReturnsAStreamOnTheClientsLoopThatTalksToTheServer() {
        int port = echoServer("127.0.0.1");
        TCPClient client = new TCPClient(clientLoop.loop());
        IOStream stream = await(client.connect("127.0.0.1", port)); // from the test thread: allowed
        assertThat(stream.ioLoop()).isSameAs(clientLoop.loop());
        assertThat(roundTrip(stream, "hello\n")).isEqualTo("hello\n");
        assertThat(clientLoop.call(() -> ((InetSocketAddress) stream.channel().getRemoteAddress()).getAddress()))
                .isInstanceOf(Inet4Address.class);
        clientLoop.run(stream::close);
    }

    @Test
    void connectOverIpv6WhenTheHostHasIt() throws IOException {
        try (ServerSocketChannel probe = ServerSocketChannel.open()) {
            probe.bind(new InetSocketAddress(InetAddress.getByName("::1"), 0));
        } catch (IOException | UnsupportedOperationException e) {
            Assumptions.abort("no IPv6 loopback on this host: " + e);
        }
        int port = echoServer("::1");
        IOStream stream = await(new TCPClient(clientLoop.loop()).connect("::1", port, Duration.ofSeconds(30)));
        assertThat(roundTrip(stream, "six\n")).isEqualTo("six\n");
        assertThat(clientLoop.call(() -> ((InetSocketAddress) stream.channel().getRemoteAddress()).getAddress()))
                .isInstanceOf(Inet6Address.class);
        clientLoop.run(stream::close);
    }

    @Test
    void aHostNameIsResolvedOffTheLoopAndEveryAddressIsTried() {
        // "localhost" may resolve to ::1 and 127.0.0.1 in either order; the server listens on both
        int port = echoServer("localhost");
        IOStream stream = await(new TCPClient(clientLoop.loop()).connect("localhost", port, Duration.ofSeconds(30)));
        assertThat(roundTrip(stream, "named\n")).isEqualTo("named\n");
        clientLoop.run(stream::close);
    }

    @Test
    void aClosedPortFailsWithConnectExceptionNamingTheAddress() throws IOException {
        int port;
        try (ServerSocket closed = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = closed.getLocalPort();
        }
        Throwable failure = awaitFailure(new TCPClient(clientLoop.loop()).connect("127.0.0.1", port));
        assertThat(failure).isInstanceOf(ConnectException.class).hasMessageContaining("127.0.0.1:" + port);
    }

    @Test
    void anUnresolvableNameFailsWithUnknownHostException() {
        Throwable failure = awaitFailure(new TCPClient(clientLoop.loop()).connect("no-such-host.invalid", 80));
        assertThat(failure).isInstanceOf(UnknownHostException.class).hasMessageContaining("no-such-host.invalid");
    }

    @Test
    void aConnectThatTakesTooLongFailsWithTimeoutException() throws Exception {
        // The resolver never answers: its executor drops every task. Only the timeout can end it.
        try (LoopThread stalled = new LoopThread("stalled-resolver")) {
            stalled.loop().setDefaultExecutor(task -> { });
            Throwable failure = awaitFailure(new TCPClient(stalled.loop())
                    .connect("resolver.never.answers.test", 80, Duration.ofMillis(50)));
            assertThat(failure).isInstanceOf(TimeoutException.class)
                    .hasMessageContaining("resolver.never.answers.test:80").hasMessageContaining("PT0.05S");
            assertThat(stalled.call(() -> stalled.loop().stats().pendingTimeouts())).isZero();
        }
    }

    @Test
    void theTimeoutIsCancelledOnceConnected() {
        int port = echoServer("127.0.0.1");
        IOStream stream = await(new TCPClient(clientLoop.loop()).connect("127.0.0.1", port, Duration.ofHours(1)));
        assertThat(clientLoop.call(() -> clientLoop.loop().stats().pendingTimeouts())).isZero();
        clientLoop.run(stream::close);
    }

    @Test
    void addressesAreTriedWithTheFamiliesInterleaved() throws UnknownHostException {
        InetAddress a4 = InetAddress.getByName("127.0.0.1");
        InetAddress b4 = InetAddress.getByName("127.0.0.2");
        InetAddress a6 = InetAddress.getByName("::1");
        InetAddress b6 = InetAddress.getByName("::2");
        assertThat(Connector.interleaveFamilies(List.of(a6, b6, a4, b4))).containsExactly(a6, a4, b6, b4);
        assertThat(Connector.interleaveFamilies(List.of(a4, b4, a6))).containsExactly(a4, a6, b4);
    }

    @Test
    void badArgumentsAreRefusedWithMessagesNamingThem() {
        TCPClient client = new TCPClient(clientLoop.loop());
        assertThatThrownBy(() -> client.connect("localhost", 0)).hasMessage("'port' must be in [1, 65535] (was 0)");
        assertThatThrownBy(() -> client.connect("", 80)).hasMessage("'host' must not be empty");
        assertThatThrownBy(() -> client.connect("localhost", 80, Duration.ZERO))
                .hasMessage("'timeout' must be positive (was PT0S)");
    }

    @Test
    void anAddressThatDoesNotAnswerIsOvertakenByTheNextAfterTheStagger() throws Exception {
        // 127.0.0.2:port is a listener whose accept queue is full and which never accepts: Linux
        // drops further SYNs, so a connect to it hangs. 127.0.0.1:port is an echo server.
        try (ServerSocketChannel silent = ServerSocketChannel.open()) {
            silent.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.2"), 0), 1);
            int port = ((InetSocketAddress) silent.getLocalAddress()).getPort();
            List<java.net.Socket> queued = fillAcceptQueue(silent);
            try {
                server = new TCPServer((stream, peer) -> TCPServerTests.echoLines(stream), serverLoop.loop(),
                        TCPServerOptions.defaults());
                server.listen(port, "127.0.0.1");
                Connector connector = new Connector(clientLoop.loop(), "two-addresses", port, Duration.ofSeconds(30),
                        IOStream.DEFAULT_MAX_BUFFER_SIZE, 0);
                clientLoop.run(() -> connector.startWith(List.of(InetAddress.getByName("127.0.0.2"),
                        InetAddress.getByName("127.0.0.1"))));
                IOStream stream = await(connector.result());
                assertThat(clientLoop.call(() -> ((InetSocketAddress) stream.channel().getRemoteAddress())
                        .getAddress().getHostAddress())).isEqualTo("127.0.0.1");
                assertThat(roundTrip(stream, "second address\n")).isEqualTo("second address\n");
                // the abandoned attempt left nothing behind: only the stream's own registration remains
                clientLoop.loop().addCallback(() -> { });
                clientLoop.awaitOnLoop("the abandoned attempt is unregistered",
                        () -> clientLoop.loop().stats().handlers() == 1);
                clientLoop.run(stream::close);
            } finally {
                for (java.net.Socket socket : queued) {
                    socket.close();
                }
            }
        }
    }

    /** Connects until a connect times out: the listener's accept queue is then full. */
    private static List<java.net.Socket> fillAcceptQueue(ServerSocketChannel listener) throws IOException {
        List<java.net.Socket> queued = new java.util.ArrayList<>();
        for (int i = 0; i < 64; i++) {
            java.net.Socket socket = new java.net.Socket();
            try {
                socket.connect(listener.getLocalAddress(), 500); // loopback handshakes are in-kernel: 500 ms is ample
                queued.add(socket);
            } catch (java.net.SocketTimeoutException e) {
                socket.close();
                return queued;
            }
        }
        throw new AssertionError("the accept queue never filled (64 connections queued)");
    }
}
