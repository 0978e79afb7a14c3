package dev.ioloop.spring.boot.ssl;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslBundleKey;
import org.springframework.boot.ssl.SslOptions;
import org.springframework.boot.ssl.pem.PemSslStoreBundle;
import org.springframework.boot.ssl.pem.PemSslStoreDetails;

import dev.ioloop.IOLoop;
import dev.ioloop.iostream.IOStream;
import dev.ioloop.iostream.TlsOptions;
import dev.ioloop.tcp.TCPClient;
import dev.ioloop.tcp.TCPServer;
import dev.ioloop.tcp.TCPServerOptions;
import dev.ioloop.test.RunningLoop;
import dev.ioloop.test.TestCertificates;

/** A TCPServer and a TCPClient with TLS from PEM SSL bundles, as {@code spring.ssl.bundle.pem.*} makes them. */
class SslBundleTlsOptionsTests {

    private static final TestCertificates.Authority CA = TestCertificates.authority("bundle test CA");
    private static final TestCertificates.Issued SERVER = CA.issue("localhost", "DNS:localhost", "IP:127.0.0.1");

    private static SslBundle serverBundle(SslOptions options) {
        PemSslStoreDetails keyStore = PemSslStoreDetails.forCertificate(SERVER.certificatePem())
                .withPrivateKey(SERVER.privateKeyPem());
        return SslBundle.of(new PemSslStoreBundle(keyStore, null), SslBundleKey.NONE, options);
    }

    private static SslBundle clientBundle() {
        PemSslStoreDetails trustStore = PemSslStoreDetails.forCertificate(TestCertificates.pem(CA));
        return SslBundle.of(new PemSslStoreBundle(null, trustStore));
    }

    @Test
    void theBundlesVersionsAndSuitesBecomeTheOptions() {
        TlsOptions tls = SslBundleTlsOptions.server(serverBundle(SslOptions.of(
                new String[] {"TLS_AES_128_GCM_SHA256"}, new String[] {"TLSv1.3"})));
        assertThat(tls.serverSide()).isTrue();
        assertThat(tls.protocols()).containsExactly("TLSv1.3");
        assertThat(tls.cipherSuites()).containsExactly("TLS_AES_128_GCM_SHA256");
        TlsOptions client = SslBundleTlsOptions.client(clientBundle());
        assertThat(client.serverSide()).isFalse();
        assertThat(client.verifyHostname()).isTrue();
        assertThat(client.protocols()).isEmpty();
    }

    @Test
    void aServerAndAClientFromBundlesTalkTls13() throws Exception {
        IOLoop loop = IOLoop.builder().name("bundle-test").makeCurrent(false).build();
        RunningLoop running = RunningLoop.start(loop);
        try {
            TlsOptions serverTls = SslBundleTlsOptions.server(serverBundle(SslOptions.of(null, new String[] {"TLSv1.3"})));
            TCPServer server = running.call(() -> new TCPServer((stream, address) -> stream.readUntil(new byte[] {'\n'})
                    .thenCompose(stream::write), loop, TCPServerOptions.defaults().withTls(serverTls)));
            server.listen(0, "127.0.0.1");
            int port = server.boundAddresses().get(0).getPort();
            IOStream stream = running.await(new TCPClient(loop).connect("localhost", port, Duration.ofSeconds(30),
                    SslBundleTlsOptions.client(clientBundle())));
            byte[] echoed = running.await(running.call(() -> stream.write("bundled\n".getBytes(StandardCharsets.US_ASCII))
                    .thenCompose(written -> stream.readUntil(new byte[] {'\n'}))));
            assertThat(new String(echoed, StandardCharsets.US_ASCII)).isEqualTo("bundled\n");
            assertThat(running.call(() -> stream.sslSession().getProtocol())).isEqualTo("TLSv1.3");
            running.run(stream::close);
            server.close();
        } finally {
            running.close();
        }
    }
}
