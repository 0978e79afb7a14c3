package dev.ioloop.iostream;

import static dev.ioloop.iostream.LoopThread.await;
import static dev.ioloop.iostream.LoopThread.awaitFailure;
import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLSocket;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.ioloop.IOLoop;
import dev.ioloop.test.IOLoopTest;
import dev.ioloop.testing.BackendSuite;
import dev.ioloop.test.TestCertificates;

/**
 * Every bad input closes only the stream it came on, with a cause that names the problem, and
 * nothing is logged above DEBUG (the backend subclass runs under {@code IOLoopTest}, which
 * fails a test on any WARN or ERROR). A healthy TLS connection on the same loop is checked after
 * each one. Written once for every loop backend.
 */
@IOLoopTest(makeCurrent = false)
public abstract class TlsBadInputContract extends BackendSuite {

    private static final TestCertificates.Authority OTHER_CA = TestCertificates.authority("some other CA");

    /** A new, not yet started loop of the backend under test (BackendSuite configured it). */
    protected IOLoop newLoop(String name) {
        return IOLoop.builder().name(name).makeCurrent(false).build();
    }

    private LoopThread loop;
    private LoopThread clientLoop;
    private TlsFixture.Connection healthyConnection;
    private SSLSocket healthy;

    @BeforeEach
    void startLoopsAndAHealthyConnection() throws Exception {
        loop = new LoopThread(newLoop("tls-server-loop"));
        clientLoop = new LoopThread(newLoop("tls-client-loop"));
        healthyConnection = TlsFixture.Connection.open();
        IOStream stream = loop.call(() -> new IOStream(healthyConnection.near(), loop.loop()));
        CompletableFuture<IOStream> started = loop.call(() -> stream.startTls(TlsFixture.serverOptions()));
        healthy = healthyConnection.clientSocket(TlsFixture.CLIENT_CONTEXT);
        healthy.startHandshake();
        await(started);
        loop.run(() -> TlsStreamContract.echoLines(stream));
        assertHealthyEchoes("before");
    }

    @AfterEach
    void checkTheHealthyConnectionAndStop() throws Exception {
        try {
            assertHealthyEchoes("after");
        } finally {
            healthy.close();
            healthyConnection.close();
            clientLoop.close();
            loop.close();
        }
    }

    private void assertHealthyEchoes(String when) throws Exception {
        OutputStream out = healthy.getOutputStream();
        InputStream in = healthy.getInputStream();
        out.write((when + "\n").getBytes(ISO_8859_1));
        out.flush();
        assertThat(new String(in.readNBytes(when.length() + 1), ISO_8859_1)).as("the healthy connection, " + when)
                .isEqualTo(when + "\n");
    }

    /** The cause a TLS stream's startTls future failed with (StreamClosedException's cause), also its error(). */
    private static Throwable closedBecause(CompletableFuture<IOStream> started, LoopThread on, IOStream stream) {
        Throwable failure = awaitFailure(started);
        assertThat(failure).isInstanceOf(StreamClosedException.class);
        assertThat(on.call(stream::closed)).isTrue();
        assertThat(on.call(stream::error)).isSameAs(failure.getCause());
        return failure.getCause();
    }

    private CompletableFuture<IOStream> serverTls(IOStream[] stream, java.nio.channels.SocketChannel channel, TlsOptions options) {
        stream[0] = loop.call(() -> new IOStream(channel, loop.loop()));
        return loop.call(() -> stream[0].startTls(options));
    }

    @Test
    void aPlaintextClientOnATlsStreamIsToldItDidNotSpeakTls() throws Exception {
        try (TlsFixture.Connection connection = TlsFixture.Connection.open()) {
            IOStream[] stream = new IOStream[1];
            CompletableFuture<IOStream> started = serverTls(stream, connection.near(), TlsFixture.serverOptions());
            connection.far().getOutputStream().write("PING\r\n".getBytes(ISO_8859_1));
            Throwable cause = closedBecause(started, loop, stream[0]);
            assertThat(cause).isInstanceOf(SSLHandshakeException.class).hasMessageContaining("did not speak TLS");
        }
    }

    /** Two of our streams: a server on {@code options}, a client on {@code client}; returns their startTls futures. */
    private List<CompletableFuture<IOStream>> streamPair(SocketPair pair, IOStream[] streams, TlsOptions server, TlsOptions client) {
        streams[0] = loop.call(() -> new IOStream(pair.near(), loop.loop()));
        streams[1] = clientLoop.call(() -> new IOStream(pair.far(), clientLoop.loop()));
        CompletableFuture<IOStream> serverStarted = loop.call(() -> streams[0].startTls(server));
        CompletableFuture<IOStream> clientStarted = clientLoop.call(() -> streams[1].startTls(client));
        return List.of(serverStarted, clientStarted);
    }

    @Test
    void aServerSignedByAnUntrustedCaIsRefusedByTheClientAndTheServerHearsWhy() throws Exception {
        try (SocketPair pair = SocketPair.open()) {
            IOStream[] streams = new IOStream[2];
            List<CompletableFuture<IOStream>> started = streamPair(pair, streams, TlsFixture.serverOptions(),
                    TlsOptions.client(TestCertificates.trusting(OTHER_CA)).withServerHostname("localhost"));
            assertThat(closedBecause(started.get(1), clientLoop, streams[1])).isInstanceOf(SSLHandshakeException.class)
                    .hasMessageContaining("not signed by a trusted CA");
            assertThat(closedBecause(started.get(0), loop, streams[0])).isInstanceOf(SSLHandshakeException.class)
                    .hasMessageContaining("fatal alert");
        }
    }

    @Test
    void anExpiredServerCertificateIsRefused() throws Exception {
        Instant now = Instant.now();
        SSLContext expired = TlsFixture.CA.issue("localhost", now.minus(Duration.ofDays(30)), now.minus(Duration.ofDays(1)),
                "DNS:localhost").context();
        try (SocketPair pair = SocketPair.open()) {
            IOStream[] streams = new IOStream[2];
            List<CompletableFuture<IOStream>> started = streamPair(pair, streams, TlsOptions.server(expired),
                    TlsFixture.clientOptions());
            assertThat(closedBecause(started.get(1), clientLoop, streams[1])).hasMessageContaining("certificate has expired");
            assertThat(closedBecause(started.get(0), loop, streams[0])).hasMessageContaining("fatal alert");
        }
    }

    @Test
    void aServerCertificateForAnotherNameIsAHostnameMismatch() throws Exception {
        SSLContext other = TlsFixture.CA.issue("other.example", "DNS:other.example").context();
        try (SocketPair pair = SocketPair.open()) {
            IOStream[] streams = new IOStream[2];
            List<CompletableFuture<IOStream>> started = streamPair(pair, streams, TlsOptions.server(other),
                    TlsFixture.clientOptions());
            assertThat(closedBecause(started.get(1), clientLoop, streams[1])).hasMessageContaining("hostname mismatch");
            closedBecause(started.get(0), loop, streams[0]);
        }
        // with verification off, the same certificate is accepted (a trusted CA signed it)
        try (SocketPair pair = SocketPair.open()) {
            IOStream[] streams = new IOStream[2];
            List<CompletableFuture<IOStream>> started = streamPair(pair, streams, TlsOptions.server(other),
                    TlsFixture.clientOptions().withVerifyHostname(false));
            await(started.get(1));
            await(started.get(0));
            clientLoop.run(streams[1]::close);
        }
    }

    @Test
    void aClientWithoutACertificateTheServerTrustsIsRefusedWhenTheServerNeedsOne() throws Exception {
        SSLContext stranger = OTHER_CA.issue("client").context(TlsFixture.CA);
        try (SocketPair pair = SocketPair.open()) {
            IOStream[] streams = new IOStream[2];
            List<CompletableFuture<IOStream>> started = streamPair(pair, streams,
                    TlsFixture.serverOptions().withClientAuth(TlsOptions.ClientAuth.NEED),
                    TlsOptions.client(stranger).withServerHostname("localhost"));
            // the client has no certificate from a CA the server names, so it sends none
            assertThat(closedBecause(started.get(0), loop, streams[0])).hasMessageContaining("presented no certificate");
            // TLS 1.3: the client finished its side before the refusal arrives; it closes on the alert
            clientLoop.awaitOnLoop("the client heard the refusal", streams[1]::closed);
            assertThat(clientLoop.call(streams[1]::error)).hasMessageContaining("fatal alert");
        }
        // one the server's CA issued is accepted, and the server sees who it is
        SSLContext known = TlsFixture.CA.issue("known client").context(TlsFixture.CA);
        try (SocketPair pair = SocketPair.open()) {
            IOStream[] streams = new IOStream[2];
            List<CompletableFuture<IOStream>> started = streamPair(pair, streams,
                    TlsFixture.serverOptions().withClientAuth(TlsOptions.ClientAuth.NEED),
                    TlsOptions.client(known).withServerHostname("localhost"));
            await(started.get(0));
            await(started.get(1));
            assertThat(loop.call(() -> streams[0].sslSession().getPeerPrincipal().getName())).isEqualTo("CN=known client");
            clientLoop.run(streams[1]::close);
        }
    }

    @Test
    void aRecordCutShortByTheConnectionClosingIsATruncatedRecord() throws Exception {
        try (TlsFixture.Connection connection = TlsFixture.Connection.open()) {
            IOStream[] stream = new IOStream[1];
            CompletableFuture<IOStream> started = serverTls(stream, connection.near(), TlsFixture.serverOptions());
            SSLSocket client = connection.clientSocket(TlsFixture.CLIENT_CONTEXT);
            client.startHandshake();
            await(started);
            CompletableFuture<byte[]> read = loop.call(() -> stream[0].readBytes(100));
            // under TLS: an application-data record header promising 64 bytes, 10 of them, then the end
            OutputStream raw = connection.far().getOutputStream();
            raw.write(new byte[] {0x17, 0x03, 0x03, 0x00, 0x40, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10});
            raw.flush();
            connection.far().shutdownOutput();
            Throwable failure = awaitFailure(read);
            assertThat(failure).isInstanceOf(StreamClosedException.class);
            assertThat(failure.getCause()).isInstanceOf(SSLException.class).hasMessageContaining("TLS record truncated");
            assertThat(loop.call(stream[0]::error)).isSameAs(failure.getCause());
        }
    }

    @Test
    void aConnectionClosedInTheMiddleOfTheHandshakeSaysSo() throws Exception {
        try (TlsFixture.Connection connection = TlsFixture.Connection.open()) {
            IOStream[] stream = new IOStream[1];
            CompletableFuture<IOStream> started = serverTls(stream, connection.near(), TlsFixture.serverOptions());
            connection.far().getOutputStream().write(new byte[] {0x16, 0x03, 0x01}); // the start of a hello
            connection.far().shutdownOutput();
            assertThat(closedBecause(started, loop, stream[0])).isInstanceOf(SSLException.class)
                    .hasMessageContaining("truncated");
        }
    }

    @Test
    void aTls12RenegotiationStartedByThePeerIsRefused() throws Exception {
        try (TlsFixture.Connection connection = TlsFixture.Connection.open()) {
            IOStream[] stream = new IOStream[1];
            CompletableFuture<IOStream> started = serverTls(stream, connection.near(), TlsFixture.serverOptions());
            SSLSocket client = connection.clientSocket(TlsFixture.CLIENT_CONTEXT, "TLSv1.2");
            client.startHandshake();
            await(started);
            CompletableFuture<byte[]> read = loop.call(() -> stream[0].readBytes(1));
            CompletableFuture<Void> renegotiation = CompletableFuture.runAsync(() -> {
                try {
                    client.startHandshake(); // a new ClientHello on the established connection
                    client.getInputStream().read();
                } catch (java.io.IOException expected) {
                    // the server refused and closed
                }
            });
            Throwable failure = awaitFailure(read);
            assertThat(failure.getCause()).isInstanceOf(SSLException.class).hasMessageContaining("renegotiation")
                    .hasMessageContaining("refused");
            await(renegotiation);
        }
    }

    @Test
    void aHandshakeThatDoesNotFinishInTimeClosesTheStreamSayingSo() throws Exception {
        try (TlsFixture.Connection connection = TlsFixture.Connection.open()) {
            IOStream[] stream = new IOStream[1];
            CompletableFuture<IOStream> started = serverTls(stream, connection.near(),
                    TlsFixture.serverOptions().withHandshakeTimeout(Duration.ofMillis(200)));
            // the client connected and says nothing
            Throwable cause = closedBecause(started, loop, stream[0]);
            assertThat(cause).isInstanceOf(SSLHandshakeException.class).hasMessageContaining("did not finish within PT0.2S");
            // the stream says why in an alert record, then the connection ends
            byte[] after = connection.far().getInputStream().readAllBytes();
            assertThat(after.length == 0 || after[0] == 0x15).as("nothing or an alert: %s", java.util.Arrays.toString(after)).isTrue();
        }
    }
}
