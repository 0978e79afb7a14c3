package dev.ioloop.tcp;

import static dev.ioloop.iostream.LoopThread.await;
import static dev.ioloop.iostream.LoopThread.awaitFailure;
import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.channels.ServerSocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

import javax.net.ssl.SSLHandshakeException;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.ioloop.IOLoop;
import dev.ioloop.test.IOLoopTest;
import dev.ioloop.testing.BackendSuite;
import dev.ioloop.IOLoopGroup;
import dev.ioloop.iostream.IOStream;
import dev.ioloop.iostream.LoopThread;
import dev.ioloop.iostream.TlsFixture;
import dev.ioloop.iostream.TlsOptions;
import dev.ioloop.test.TestCertificates;

/**
 * TCPServer and TCPClient with TLS, on a loop and on a group, written once for every loop
 * backend: handlers get handshaken streams, clients get them after the handshake with SNI and
 * hostname verification for the host they connect to, failures name their cause, and a bad peer
 * never reaches a handler.
 */
@IOLoopTest(makeCurrent = false)
public abstract class TlsServerClientContract extends BackendSuite {

    /** A new, not yet started loop of the backend under test (BackendSuite configured it). */
    protected IOLoop newLoop(String name) {
        return IOLoop.builder().name(name).makeCurrent(false).build();
    }

    /** A new, not yet started group of the backend under test (BackendSuite configured it). */
    protected IOLoopGroup newGroup(String name, int loops) {
        return new IOLoopGroup(name, loops);
    }

    private LoopThread serverLoop;
    private LoopThread clientLoop;
    private TCPServer server;
    private final AtomicInteger handled = new AtomicInteger();
    private final Set<String> handlerThreads = ConcurrentHashMap.newKeySet();

    @BeforeEach
    void startLoops() {
        serverLoop = new LoopThread(newLoop("tls-server-loop"));
        clientLoop = new LoopThread(newLoop("tls-client-loop"));
    }

    @AfterEach
    void stop() throws Exception {
        if (server != null) {
            server.close();
        }
        clientLoop.close();
        serverLoop.close();
    }

    /** Echoes lines, after noting that the handler ran, where, and that it got a handshaken stream with ALPN. */
    private java.util.concurrent.CompletionStage<Void> handle(IOStream stream) {
        handled.incrementAndGet();
        handlerThreads.add(Thread.currentThread().getName());
        if (stream.sslSession() == null || stream.sslSession().getProtocol().startsWith("NONE")) {
            throw new AssertionError("the handler got a stream without a finished handshake");
        }
        String protocol = stream.applicationProtocol();
        stream.write(("alpn=" + protocol + "\n").getBytes(ISO_8859_1));
        return TCPServerTests.echoLines(stream);
    }

    private TCPServerOptions tlsOptions() {
        return TCPServerOptions.defaults().withTls(TlsFixture.serverOptions().withApplicationProtocols(List.of("redis")));
    }

    private int listen(TCPServer tcpServer) {
        server = tcpServer;
        server.listen(0, "127.0.0.1");
        return server.boundAddresses().get(0).getPort();
    }

    @Test
    void aTlsServerOnALoopHandsHandshakenStreamsToItsHandlerAndTheClientVerifiesTheHostItConnectsTo() throws Exception {
        int port = listen(new TCPServer((stream, address) -> handle(stream), serverLoop.loop(), tlsOptions()));
        TlsOptions client = TlsOptions.client(TlsFixture.CLIENT_CONTEXT).withApplicationProtocols(List.of("redis"));
        for (String host : new String[] {"localhost", "127.0.0.1"}) { // a DNS name and an IP address in the certificate
            IOStream stream = await(new TCPClient(clientLoop.loop()).connect(host, port, Duration.ofSeconds(30), client));
            assertThat(clientLoop.call(() -> stream.sslSession().getPeerPrincipal().getName())).isEqualTo("CN=localhost");
            assertThat(clientLoop.call(stream::applicationProtocol)).isEqualTo("redis");
            assertThat(new String(await(clientLoop.call(() -> stream.readUntil(new byte[] {'\n'}))), ISO_8859_1))
                    .isEqualTo("alpn=redis\n");
            CompletableFuture<String> echoed = clientLoop.call(() -> stream.write("hello\n".getBytes(ISO_8859_1))
                    .thenCompose(written -> stream.readUntil(new byte[] {'\n'})).thenApply(b -> new String(b, ISO_8859_1)));
            assertThat(await(echoed)).isEqualTo("hello\n");
            clientLoop.run(stream::close);
        }
        assertThat(handled.get()).isEqualTo(2);
    }

    @Test
    void aTlsServerOnAGroupHandshakesOnEveryLoopForClientsSpreadOverAGroup() throws Exception {
        try (IOLoopGroup serverGroup = newGroup("tls-server", 2); IOLoopGroup clientGroup = newGroup("tls-client", 2)) {
            serverGroup.start();
            clientGroup.start();
            int port = listen(new TCPServer((stream, address) -> handle(stream), serverGroup, tlsOptions()));
            TCPClient client = new TCPClient(clientGroup);
            List<CompletableFuture<String>> echoes = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                String line = "line " + i;
                echoes.add(client.connect("localhost", port, Duration.ofSeconds(30),
                        TlsFixture.clientOptions().withApplicationProtocols(List.of("redis")))
                        .thenCompose(stream -> stream.readUntil(new byte[] {'\n'})
                                .thenCompose(alpn -> stream.write((line + "\n").getBytes(ISO_8859_1)))
                                .thenCompose(written -> stream.readUntil(new byte[] {'\n'}))
                                .whenComplete((echoed, error) -> stream.close()))
                        .thenApply(bytes -> new String(bytes, ISO_8859_1)));
            }
            for (int i = 0; i < echoes.size(); i++) {
                assertThat(await(echoes.get(i))).isEqualTo("line " + i + "\n");
            }
            assertThat(handled.get()).isEqualTo(20);
            assertThat(handlerThreads).hasSize(2);
            server.close();
        }
    }

    @Test
    void aPlaintextClientOnTheTlsPortIsClosedAndNeverHandledWhileOthersAreServed() throws Exception {
        int port = listen(new TCPServer((stream, address) -> handle(stream), serverLoop.loop(), tlsOptions()));
        try (Socket plain = new Socket(InetAddress.getLoopbackAddress(), port)) {
            plain.setSoTimeout((int) LoopThread.WAIT.toMillis());
            plain.getOutputStream().write("PING\r\n".getBytes(ISO_8859_1));
            InputStream in = plain.getInputStream();
            byte[] answer = in.readAllBytes(); // an alert at most, then the end
            assertThat(answer.length == 0 || answer[0] == 0x15).isTrue();
        }
        IOStream stream = await(new TCPClient(clientLoop.loop()).connect("localhost", port, Duration.ofSeconds(30),
                TlsFixture.clientOptions()));
        assertThat(new String(await(clientLoop.call(() -> stream.readUntil(new byte[] {'\n'}))), ISO_8859_1)).isEqualTo("alpn=null\n");
        clientLoop.run(stream::close);
        assertThat(handled.get()).isEqualTo(1);
        serverLoop.awaitOnLoop("no stream left open", () -> server.openStreams() == 0);
    }

    @Test
    void aTlsConnectThatFailsFailsWithTheHandshakeCauseItself() throws Exception {
        int port = listen(new TCPServer((stream, address) -> handle(stream), serverLoop.loop(), tlsOptions()));
        TestCertificates.Authority other = TestCertificates.authority("not the server's CA");
        Throwable failure = awaitFailure(new TCPClient(clientLoop.loop()).connect("localhost", port, Duration.ofSeconds(30),
                TlsOptions.client(TestCertificates.trusting(other))));
        assertThat(failure).isInstanceOf(SSLHandshakeException.class).hasMessageContaining("not signed by a trusted CA");
        // the name in the certificate is checked against the host connected to
        TestCertificates.Issued elsewhere = TlsFixture.CA.issue("elsewhere", "DNS:elsewhere.example");
        server.close();
        int otherPort = listen(new TCPServer((stream, address) -> handle(stream), serverLoop.loop(),
                TCPServerOptions.defaults().withTls(TlsOptions.server(elsewhere.context()))));
        failure = awaitFailure(new TCPClient(clientLoop.loop()).connect("localhost", otherPort, Duration.ofSeconds(30),
                TlsFixture.clientOptions().withServerHostname(null)));
        assertThat(failure).isInstanceOf(SSLHandshakeException.class).hasMessageContaining("hostname mismatch");
        assertThat(handled.get()).isZero();
    }

    @Test
    void theConnectTimeoutCoversTheHandshake() throws Exception {
        try (ServerSocketChannel silent = ServerSocketChannel.open()) {
            silent.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)); // the kernel accepts; nobody answers
            int port = ((InetSocketAddress) silent.getLocalAddress()).getPort();
            Throwable failure = awaitFailure(new TCPClient(clientLoop.loop()).connect("127.0.0.1", port, Duration.ofMillis(300),
                    TlsFixture.clientOptions()));
            assertThat(failure).isInstanceOf(TimeoutException.class);
            // the stream the handshake ran on was closed: the server side sees the end
            try (Socket accepted = silent.accept().socket()) {
                accepted.setSoTimeout((int) LoopThread.WAIT.toMillis());
                byte[] hello = accepted.getInputStream().readAllBytes();
                assertThat(hello.length).as("the client's hello, then the end").isPositive();
                assertThat(hello[0]).isEqualTo((byte) 0x16);
            }
        }
    }

    @Test
    void closeClosesStreamsStillHandshaking() throws Exception {
        int port = listen(new TCPServer((stream, address) -> handle(stream), serverLoop.loop(), tlsOptions()));
        try (Socket silent = new Socket(InetAddress.getLoopbackAddress(), port)) {
            silent.setSoTimeout((int) LoopThread.WAIT.toMillis());
            serverLoop.awaitOnLoop("the server tracks the handshaking stream", () -> server.openStreams() == 1);
            server.close();
            byte[] after = silent.getInputStream().readAllBytes();
            assertThat(after.length == 0 || after[0] == 0x15).isTrue();
            serverLoop.awaitOnLoop("it is gone", () -> server.openStreams() == 0);
        }
        assertThat(handled.get()).isZero();
    }

    @Test
    void manyConcurrentHandshakesFromSeveralThreadsOnAGroupAllCompleteAndEcho() throws Exception {
        try (IOLoopGroup serverGroup = newGroup("tls-stress", 2)) {
            serverGroup.start();
            int port = listen(new TCPServer((stream, address) -> handle(stream), serverGroup, tlsOptions()));
            int threads = 8;
            int perThread = 25;
            java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(threads);
            try {
                List<java.util.concurrent.Future<Integer>> done = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    int id = t;
                    done.add(pool.submit(() -> {
                        for (int i = 0; i < perThread; i++) {
                            try (Socket plain = new Socket(InetAddress.getLoopbackAddress(), port)) {
                                plain.setSoTimeout((int) LoopThread.WAIT.toMillis());
                                javax.net.ssl.SSLSocket tls = (javax.net.ssl.SSLSocket) TlsFixture.CLIENT_CONTEXT
                                        .getSocketFactory().createSocket(plain, "localhost", port, true);
                                tls.startHandshake();
                                InputStream in = tls.getInputStream();
                                assertThat(new String(in.readNBytes(10), ISO_8859_1)).isEqualTo("alpn=null\n");
                                String line = id + ":" + i + "\n";
                                tls.getOutputStream().write(line.getBytes(ISO_8859_1));
                                assertThat(new String(in.readNBytes(line.length()), ISO_8859_1)).isEqualTo(line);
                            }
                        }
                        return perThread;
                    }));
                }
                int total = 0;
                for (java.util.concurrent.Future<Integer> future : done) {
                    total += future.get(LoopThread.WAIT.toMillis() * 2, java.util.concurrent.TimeUnit.MILLISECONDS);
                }
                assertThat(total).isEqualTo(threads * perThread);
            } finally {
                pool.shutdownNow();
            }
            assertThat(handled.get()).isEqualTo(threads * perThread);
            assertThat(handlerThreads).hasSize(2);
            long deadline = System.nanoTime() + LoopThread.WAIT.toNanos();
            while (server.openStreams() > 0 && System.nanoTime() < deadline) {
                Thread.yield(); // every stream closes once its client left: nothing leaks on either loop
            }
            assertThat(server.openStreams()).isZero();
            server.close();
        }
    }

    @Test
    void serverOptionsMustBeServerSideAndClientOptionsClientSide() {
        assertThatThrownBy(() -> TCPServerOptions.defaults().withTls(TlsFixture.clientOptions()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'tls' must be server-side");
        assertThatThrownBy(() -> new TCPClient(clientLoop.loop()).connect("localhost", 1, null, TlsFixture.serverOptions()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'tls' must be client-side");
    }
}
