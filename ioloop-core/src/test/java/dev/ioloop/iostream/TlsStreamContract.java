package dev.ioloop.iostream;

import static dev.ioloop.iostream.LoopThread.await;
import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.io.OutputStream;
import java.util.concurrent.CompletableFuture;

import javax.net.ssl.SSLSocket;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.ioloop.IOLoop;

/**
 * The TLS stream contract, written once for every loop backend: a subclass says how to make a
 * loop. A stream switched to TLS keeps every promise of a plain one.
 */
abstract class TlsStreamContract {

    /** A new, not yet started loop of the backend under test. */
    protected abstract IOLoop newLoop(String name);

    LoopThread loop;

    @BeforeEach
    void startLoop() {
        loop = new LoopThread(newLoop("tls-test"));
    }

    @AfterEach
    void stopLoop() throws InterruptedException {
        loop.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"TLSv1.2", "TLSv1.3"})
    void aServerStreamEchoesOverTlsWithTheNegotiatedVersion(String protocol) throws Exception {
        try (TlsFixture.Connection connection = TlsFixture.Connection.open()) {
            IOStream stream = loop.call(() -> new IOStream(connection.near(), loop.loop()));
            CompletableFuture<IOStream> handshake = loop.call(() -> stream.startTls(TlsFixture.serverOptions()));
            SSLSocket client = connection.clientSocket(TlsFixture.CLIENT_CONTEXT, protocol);
            client.startHandshake();
            assertThat(await(handshake)).isSameAs(stream);
            assertThat(loop.call(() -> stream.sslSession().getProtocol())).isEqualTo(protocol);
            loop.run(() -> echoLines(stream));
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

    static void echoLines(IOStream stream) {
        stream.readUntil(new byte[] {'\n'}).thenCompose(stream::write).thenRun(() -> echoLines(stream));
    }
}
