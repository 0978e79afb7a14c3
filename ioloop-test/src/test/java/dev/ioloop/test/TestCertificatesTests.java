package dev.ioloop.test;

import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateExpiredException;
import java.time.Duration;
import java.time.Instant;

import javax.net.ssl.SSLHandshakeException;

import dev.ioloop.IOLoop;
import dev.ioloop.iostream.TlsOptions;
import dev.ioloop.tcp.TCPClient;
import dev.ioloop.tcp.TCPServer;
import dev.ioloop.tcp.TCPServerOptions;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Certificates made at run time carry a real TLS handshake, and a bad one fails it. */
@IOLoopTest
class TestCertificatesTests {

    private static final byte[] NEWLINE = {'\n'};
    private final TestCertificates.Authority ca = TestCertificates.authority("ioloop-test CA");

    @Test
    void aCertificateIssuedForTheLoopbackAddressIsTrustedByAClientTrustingItsAuthority(RunningLoop loop)
            throws Exception {
        TestCertificates.Issued server = ca.issue("localhost", "DNS:localhost", "IP:127.0.0.1");
        int port = serveEcho(loop.loop(), server);

        byte[] echoed = loop.runSync(() -> new TCPClient().connect("127.0.0.1", port, Duration.ofSeconds(10),
                        TlsOptions.client(TestCertificates.trusting(ca)))
                .thenCompose(client -> client.write("over TLS\n".getBytes(StandardCharsets.UTF_8))
                        .thenCompose(written -> client.readUntil(NEWLINE))));

        assertThat(echoed).asString(StandardCharsets.UTF_8).isEqualTo("over TLS\n");
        assertThat(server.chain()).hasSize(2).last().isEqualTo(ca.certificate());
        assertThat(server.certificatePem()).startsWith("-----BEGIN CERTIFICATE-----\n").contains("-----END CERTIFICATE-----");
        assertThat(TestCertificates.pem(ca)).startsWith("-----BEGIN CERTIFICATE-----\n");
        assertThat(server.privateKeyPem()).startsWith("-----BEGIN PRIVATE KEY-----\n");
    }

    @Test
    void anExpiredCertificateFailsTheHandshake(RunningLoop loop) throws Exception {
        Instant now = Instant.now();
        TestCertificates.Issued expired = ca.issue("localhost", now.minus(Duration.ofDays(2)), now.minus(Duration.ofDays(1)),
                "IP:127.0.0.1");
        int port = serveEcho(loop.loop(), expired);

        assertThatThrownBy(() -> loop.runSync(() -> new TCPClient().connect("127.0.0.1", port, Duration.ofSeconds(10),
                TlsOptions.client(TestCertificates.trusting(ca))))).isInstanceOf(SSLHandshakeException.class)
                .hasRootCauseInstanceOf(CertificateExpiredException.class);
    }

    @Test
    void aSubjectAlternativeNameMustSayWhatItIs() {
        assertThatThrownBy(() -> ca.issue("x", "localhost")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("subject alternative name must start with DNS: or IP: (was 'localhost')");
    }

    private static int serveEcho(IOLoop loop, TestCertificates.Issued certificate) {
        UnusedPort port = UnusedPort.bind();
        new TCPServer((stream, address) -> stream.readUntil(NEWLINE).thenCompose(stream::write), loop,
                TCPServerOptions.defaults().withTls(TlsOptions.server(certificate.context()))).addSocket(port.channel());
        return port.port();
    }
}
