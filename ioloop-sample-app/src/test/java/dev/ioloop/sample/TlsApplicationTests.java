package dev.ioloop.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ioloop.sample.server.RedisServer;
import dev.ioloop.sample.server.RedisServerProperties;
import dev.ioloop.test.TestCertificates;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.net.ssl.SSLParameters;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.ssl.DefaultSslBundleRegistry;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;

/**
 * The application with {@code sample.redis.tls-port} served from a Boot PEM SSL bundle
 * ({@code spring.ssl.bundle.pem.redis.keystore.*}), written by the test from certificates it makes: a TLS client
 * that trusts the CA gets PONG, and the plain port keeps working. Also the messages of a wrong TLS setup.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.NONE)
@DirtiesContext
class TlsApplicationTests {

    private static final TestCertificates.Authority CA = TestCertificates.authority("application test CA");

    @DynamicPropertySource
    static void tlsPort(DynamicPropertyRegistry registry) {
        TestCertificates.Issued server = CA.issue("localhost", "DNS:localhost", "IP:127.0.0.1");
        try {
            Path dir = Files.createTempDirectory("ioloop-tls-app");
            Path certificate = Files.writeString(dir.resolve("server.crt"), server.certificatePem());
            Path key = Files.writeString(dir.resolve("server.key"), server.privateKeyPem());
            dir.toFile().deleteOnExit();
            certificate.toFile().deleteOnExit();
            key.toFile().deleteOnExit();
            registry.add("sample.redis.port", () -> "0");
            registry.add("sample.redis.tls-port", () -> "0");
            registry.add("sample.redis.ssl.bundle", () -> "redis");
            registry.add("spring.ssl.bundle.pem.redis.keystore.certificate", () -> "file:" + certificate);
            registry.add("spring.ssl.bundle.pem.redis.keystore.private-key", () -> "file:" + key);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Autowired
    RedisServer server;

    @Test
    void aTlsClientTrustingTheCaGetsPongOnTheTlsPortAndThePlainPortStillAnswers() {
        assertThat(server.tlsPort()).isPositive().isNotEqualTo(server.port());
        SSLParameters verifyHost = new SSLParameters();
        verifyHost.setEndpointIdentificationAlgorithm("HTTPS");
        DefaultJedisClientConfig config = DefaultJedisClientConfig.builder().ssl(true)
                .sslSocketFactory(TestCertificates.trusting(CA).getSocketFactory()).sslParameters(verifyHost).build();
        try (Jedis tls = new Jedis(new HostAndPort("localhost", server.tlsPort()), config);
             Jedis plain = new Jedis("127.0.0.1", server.port())) {
            assertThat(tls.ping()).isEqualTo("PONG");
            tls.set("shared", "yes");
            assertThat(plain.get("shared")).isEqualTo("yes");
        }
    }

    @Test
    void aTlsPortWithoutABundleOrWithAnUnknownOneFailsNamingTheKeys() {
        RedisServerProperties properties = new RedisServerProperties();
        assertThat(RedisServerConfiguration.tlsOptions(properties, new DefaultSslBundleRegistry())).isNull();
        properties.setTlsPort(6381);
        assertThatThrownBy(() -> RedisServerConfiguration.tlsOptions(properties, new DefaultSslBundleRegistry()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("'sample.redis.tls-port' is set but 'sample.redis.ssl.bundle' is not");
        properties.getSsl().setBundle("missing");
        assertThatThrownBy(() -> RedisServerConfiguration.tlsOptions(properties, new DefaultSslBundleRegistry()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("'sample.redis.ssl.bundle' is 'missing' but there is no such SSL bundle")
                .hasMessageContaining("spring.ssl.bundle.pem.missing.keystore.certificate");
        assertThatThrownBy(() -> RedisServerConfiguration.tlsOptions(properties, null))
                .hasMessageContaining("no SSL bundles are configured");
        assertThatThrownBy(() -> properties.setTlsPort(70000))
                .hasMessage("'sample.redis.tls-port' must be between 0 and 65535 (was 70000)");
    }
}
