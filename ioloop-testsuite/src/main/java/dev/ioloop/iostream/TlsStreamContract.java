package dev.ioloop.iostream;

import static dev.ioloop.iostream.LoopThread.await;
import static dev.ioloop.iostream.LoopThread.awaitFailure;
import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.ioloop.IOLoop;
import dev.ioloop.test.IOLoopTest;
import dev.ioloop.testing.BackendSuite;

/**
 * The TLS stream contract, written once for every loop backend (a subclass says how to make a
 * loop): a stream switched to TLS keeps every promise of a plain one; STARTTLS after a plaintext
 * exchange; TLS 1.2 and 1.3; ALPN; close_notify both ways; TLS 1.3 key updates.
 */
@IOLoopTest(makeCurrent = false)
public abstract class TlsStreamContract extends BackendSuite {

    /** A new, not yet started loop of the backend under test (BackendSuite configured it). */
    protected IOLoop newLoop(String name) {
        return IOLoop.builder().name(name).makeCurrent(false).build();
    }

    LoopThread loop;

    @BeforeEach
    void startLoop() {
        loop = new LoopThread(newLoop("tls-test"));
    }

    @AfterEach
    void stopLoop() throws InterruptedException {
        loop.close();
    }

    static void echoLines(IOStream stream) {
        stream.readUntil(new byte[] {'\n'}).thenCompose(stream::write).thenRun(() -> echoLines(stream));
    }

    /** A server stream on {@code connection.near()} with TLS started and a JDK client handshaking with it. */
    SSLSocket handshake(TlsFixture.Connection connection, IOStream[] stream, TlsOptions server, String... protocols)
            throws Exception {
        stream[0] = loop.call(() -> new IOStream(connection.near(), loop.loop()));
        CompletableFuture<IOStream> started = loop.call(() -> stream[0].startTls(server));
        SSLSocket client = connection.clientSocket(TlsFixture.CLIENT_CONTEXT, protocols);
        client.startHandshake();
        assertThat(await(started)).isSameAs(stream[0]);
        return client;
    }

    @ParameterizedTest
    @ValueSource(strings = {"TLSv1.2", "TLSv1.3"})
    void aServerStreamEchoesOverTlsWithTheNegotiatedVersion(String protocol) throws Exception {
        try (TlsFixture.Connection connection = TlsFixture.Connection.open()) {
            IOStream[] stream = new IOStream[1];
            SSLSocket client = handshake(connection, stream, TlsFixture.serverOptions(), protocol);
            assertThat(loop.call(() -> stream[0].sslSession().getProtocol())).isEqualTo(protocol);
            assertThat(client.getSession().getProtocol()).isEqualTo(protocol);
            loop.run(() -> echoLines(stream[0]));
            OutputStream out = client.getOutputStream();
            InputStream in = client.getInputStream();
            for (int i = 0; i < 3; i++) {
                out.write(("line " + i + "\n").getBytes(ISO_8859_1));
                out.flush();
                assertThat(new String(in.readNBytes(7), ISO_8859_1)).isEqualTo("line " + i + "\n");
            }
            client.close();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"TLSv1.2", "TLSv1.3"})
    void startTlsAfterAPlaintextExchangeBetweenTwoStreamsThenEchoes(String protocol) throws Exception {
        try (SocketPair pair = SocketPair.open(); LoopThread clientLoop = new LoopThread(newLoop("tls-client"))) {
            IOStream server = loop.call(() -> new IOStream(pair.near(), loop.loop()));
            IOStream client = clientLoop.call(() -> new IOStream(pair.far(), clientLoop.loop()));
            CompletableFuture<IOStream> serverTls = loop.call(() -> server.readUntil("STARTTLS\r\n".getBytes(ISO_8859_1))
                    .thenCompose(line -> server.write("OK\r\n".getBytes(ISO_8859_1)))
                    .thenCompose(written -> server.startTls(TlsFixture.serverOptions().withProtocols(List.of(protocol)))));
            assertThat(loop.call(server::sslSession)).isNull();
            CompletableFuture<IOStream> clientTls = clientLoop.call(() -> client.write("STARTTLS\r\n".getBytes(ISO_8859_1))
                    .thenCompose(written -> client.readUntil("\r\n".getBytes(ISO_8859_1)))
                    .thenCompose(ok -> client.startTls(TlsFixture.clientOptions())));
            await(clientTls);
            await(serverTls);
            assertThat(clientLoop.call(() -> client.sslSession().getProtocol())).isEqualTo(protocol);
            loop.run(() -> echoLines(server));
            byte[] echoed = await(clientLoop.call(() -> client.write("secret\n".getBytes(ISO_8859_1))
                    .thenCompose(written -> client.readUntil(new byte[] {'\n'}))));
            assertThat(new String(echoed, ISO_8859_1)).isEqualTo("secret\n");
            clientLoop.run(client::close);
            loop.awaitOnLoop("the server stream saw the client's close", server::closed);
            assertThat(loop.call(server::error)).isNull();
        }
    }

    @Test
    void aClientHelloSentRightAfterTheCommandIsNotLostWhenTheServerAlreadyBufferedIt() throws Exception {
        try (SocketPair pair = SocketPair.open(); LoopThread clientLoop = new LoopThread(newLoop("tls-client"))) {
            IOStream server = loop.call(() -> new IOStream(pair.near(), loop.loop()));
            IOStream client = clientLoop.call(() -> new IOStream(pair.far(), clientLoop.loop()));
            // the client does not wait for an answer: its hello follows the command at once
            CompletableFuture<IOStream> clientTls = clientLoop.call(() -> {
                client.write("STARTTLS\r\n".getBytes(ISO_8859_1));
                return client.startTls(TlsFixture.clientOptions());
            });
            loop.awaitOnLoop("the server buffered the command and the hello", () -> server.readBufferSize() > 10);
            CompletableFuture<IOStream> serverTls = loop.call(() -> server.readUntil("STARTTLS\r\n".getBytes(ISO_8859_1))
                    .thenCompose(line -> server.startTls(TlsFixture.serverOptions())));
            await(serverTls);
            await(clientTls);
            loop.run(() -> echoLines(server));
            byte[] echoed = await(clientLoop.call(() -> client.write("after\n".getBytes(ISO_8859_1))
                    .thenCompose(written -> client.readUntil(new byte[] {'\n'}))));
            assertThat(new String(echoed, ISO_8859_1)).isEqualTo("after\n");
            clientLoop.run(client::close);
        }
    }

    @Test
    void startTlsIsRefusedWhileAReadOrAWriteIsPendingAndWhenAlreadyStarted() throws Exception {
        try (SocketPair pair = SocketPair.open()) {
            IOStream stream = loop.call(() -> new IOStream(pair.near(), loop.loop()));
            CompletableFuture<byte[]> read = loop.call(() -> stream.readBytes(1));
            assertThatThrownBy(() -> loop.call(() -> stream.startTls(TlsFixture.serverOptions())))
                    .cause().isInstanceOf(IllegalStateException.class).hasMessageContaining("a read is pending");
            pair.far().write(ByteBuffer.wrap(new byte[] {1}));
            await(read);
            // the peer does not read: 16 MiB cannot all go out at once
            CompletableFuture<Void> write = loop.call(() -> stream.write(new byte[16 * 1024 * 1024]));
            assertThat(write).isNotDone();
            assertThatThrownBy(() -> loop.call(() -> stream.startTls(TlsFixture.serverOptions())))
                    .cause().isInstanceOf(IllegalStateException.class).hasMessageContaining("a write is pending");
            assertThatThrownBy(() -> loop.call(() -> stream.startTls(TlsFixture.clientOptions())))
                    .cause().isInstanceOf(IllegalStateException.class);
            loop.run(stream::close);
            assertThat(awaitFailure(write)).isInstanceOf(StreamClosedException.class);
            assertThat(awaitFailure(loop.call(() -> stream.startTls(TlsFixture.serverOptions()))))
                    .isInstanceOf(StreamClosedException.class);
        }
        try (TlsFixture.Connection connection = TlsFixture.Connection.open()) {
            IOStream[] stream = new IOStream[1];
            SSLSocket client = handshake(connection, stream, TlsFixture.serverOptions());
            assertThatThrownBy(() -> loop.call(() -> stream[0].startTls(TlsFixture.serverOptions())))
                    .cause().isInstanceOf(IllegalStateException.class).hasMessageContaining("TLS was already started");
            client.close();
        }
    }

    @Test
    void clientOptionsThatVerifyTheHostnameMustNameOne() throws Exception {
        try (SocketPair pair = SocketPair.open()) {
            IOStream stream = loop.call(() -> new IOStream(pair.near(), loop.loop()));
            assertThatThrownBy(() -> loop.call(() -> stream.startTls(TlsOptions.client(TlsFixture.CLIENT_CONTEXT))))
                    .cause().isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'serverHostname'")
                    .hasMessageContaining("withVerifyHostname(false)");
            assertThat(loop.call(stream::closed)).isFalse();
            loop.run(stream::close);
        }
    }

    @Test
    void alpnAgreesOnTheServersPreferredProtocolTheClientOffers() throws Exception {
        try (TlsFixture.Connection connection = TlsFixture.Connection.open()) {
            IOStream[] stream = new IOStream[1];
            stream[0] = loop.call(() -> new IOStream(connection.near(), loop.loop()));
            CompletableFuture<IOStream> started = loop.call(() -> stream[0].startTls(
                    TlsFixture.serverOptions().withApplicationProtocols(List.of("redis", "http/1.1"))));
            SSLSocket client = connection.clientSocket(TlsFixture.CLIENT_CONTEXT);
            SSLParameters parameters = client.getSSLParameters();
            parameters.setApplicationProtocols(new String[] {"http/1.1", "redis"});
            client.setSSLParameters(parameters);
            client.startHandshake();
            await(started);
            assertThat(loop.call(stream[0]::applicationProtocol)).isEqualTo("redis");
            assertThat(client.getApplicationProtocol()).isEqualTo("redis");
            client.close();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"TLSv1.2", "TLSv1.3"})
    void closeSendsCloseNotifyBeforeTheConnectionCloses(String protocol) throws Exception {
        try (TlsFixture.Connection connection = TlsFixture.Connection.open()) {
            IOStream[] stream = new IOStream[1];
            handshake(connection, stream, TlsFixture.serverOptions(), protocol);
            loop.run(stream[0]::close);
            // read under the client's TLS: whole records (TLS 1.3 session tickets, then the alert) up to the end
            byte[] raw = connection.far().getInputStream().readAllBytes();
            int at = 0;
            int lastType = -1;
            int lastLength = -1;
            while (at < raw.length) {
                assertThat(raw.length - at).as("a record header at %d", at).isGreaterThanOrEqualTo(5);
                lastType = raw[at];
                lastLength = (raw[at + 3] & 0xff) << 8 | (raw[at + 4] & 0xff);
                at += 5 + lastLength;
            }
            assertThat(at).as("whole records only").isEqualTo(raw.length);
            // TLS 1.2 sends the alert as an alert record; TLS 1.3 hides it in a short application-data record
            assertThat(lastType).isEqualTo(protocol.equals("TLSv1.2") ? 0x15 : 0x17);
            assertThat(lastLength).as("an alert's size, not data's").isBetween(2, 40);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"TLSv1.2", "TLSv1.3"})
    void thePeersCloseNotifyIsTheEndOfTheStreamEvenWithTheConnectionStillOpen(String protocol) throws Exception {
        try (TlsFixture.Connection connection = TlsFixture.Connection.open()) {
            IOStream stream = loop.call(() -> new IOStream(connection.near(), loop.loop()));
            CompletableFuture<IOStream> started = loop.call(() -> stream.startTls(TlsFixture.serverOptions()));
            // autoClose false: closing the SSLSocket sends close_notify and leaves the TCP connection open
            SSLSocket client = (SSLSocket) TlsFixture.CLIENT_CONTEXT.getSocketFactory()
                    .createSocket(connection.far(), "localhost", connection.far().getPort(), false);
            client.setEnabledProtocols(new String[] {protocol});
            client.startHandshake();
            await(started);
            CompletableFuture<byte[]> rest = loop.call(stream::readUntilClose);
            client.getOutputStream().write("last words".getBytes(ISO_8859_1));
            client.getOutputStream().flush();
            Thread closer = new Thread(() -> {
                try {
                    client.close();
                } catch (java.io.IOException e) {
                    // the stream answered and closed: the test checks the stream, not this socket
                }
            });
            closer.start();
            assertThat(new String(await(rest), ISO_8859_1)).isEqualTo("last words");
            assertThat(loop.call(stream::error)).isNull();
            assertThat(connection.far().isClosed()).isFalse();
            closer.join(LoopThread.WAIT.toMillis());
        }
    }

    @Test
    void aTls13KeyUpdateFromThePeerIsAnsweredAndTheStreamGoesOn() throws Exception {
        try (TlsFixture.Connection connection = TlsFixture.Connection.open()) {
            IOStream[] stream = new IOStream[1];
            SSLSocket client = handshake(connection, stream, TlsFixture.serverOptions(), "TLSv1.3");
            loop.run(() -> echoLines(stream[0]));
            OutputStream out = client.getOutputStream();
            InputStream in = client.getInputStream();
            for (int i = 0; i < 3; i++) {
                client.startHandshake(); // TLS 1.3: a KeyUpdate asking for one back, not a renegotiation
                out.write(("key " + i + "\n").getBytes(ISO_8859_1));
                out.flush();
                assertThat(new String(in.readNBytes(6), ISO_8859_1)).isEqualTo("key " + i + "\n");
            }
            assertThat(loop.call(stream[0]::closed)).isFalse();
            client.close();
        }
    }
}
