package dev.ioloop.sample.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ioloop.iostream.TlsOptions;
import dev.ioloop.sample.store.StoreClock;
import dev.ioloop.sample.testing.RunningServer;
import dev.ioloop.test.TestCertificates;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SslOptions;
import io.lettuce.core.SslVerifyMode;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import javax.net.ssl.SSLParameters;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.Response;

/**
 * Real Redis clients from Maven Central over TLS, as against Redis's {@code tls-port}: Lettuce (Boot's default client,
 * on Netty's SslHandler) with full peer verification and pipelining, and Jedis (the JDK's SSLSocket), on the data loop
 * and on a group. The TLS port shares the data with the plain port; a plaintext client on it is closed and nobody
 * else notices. The certificates are made by the test.
 */
class TlsClientTests {

    private static final TestCertificates.Authority CA = TestCertificates.authority("sample app test CA");
    private static final TestCertificates.Issued SERVER = CA.issue("localhost", "DNS:localhost", "IP:127.0.0.1");

    private static RunningServer tlsServer(int connectionLoops) {
        return new RunningServer(new RedisServerProperties(), StoreClock.system(), connectionLoops,
                TlsOptions.server(SERVER.context()));
    }

    @Test
    void lettuceVerifiesTheServerAndPipelinesOverTls(@TempDir Path dir) throws Exception {
        Path ca = Files.writeString(dir.resolve("ca.crt"), TestCertificates.pem(CA));
        try (RunningServer running = tlsServer(0)) {
            RedisURI uri = RedisURI.builder().withHost("localhost").withPort(running.server().tlsPort()).withSsl(true)
                    .withVerifyPeer(SslVerifyMode.FULL).build();
            RedisClient client = RedisClient.create(uri);
            client.setOptions(ClientOptions.builder().sslOptions(SslOptions.builder().jdkSslProvider()
                    .trustManager(ca.toFile()).build()).build());
            try (StatefulRedisConnection<String, String> connection = client.connect()) {
                RedisCommands<String, String> sync = connection.sync();
                assertThat(sync.ping()).isEqualTo("PONG");
                assertThat(sync.set("k", "over tls")).isEqualTo("OK");
                LettuceClientTests.assertPipelinedIncrsCountUp(connection);
            } finally {
                client.shutdown(Duration.ZERO, Duration.ofSeconds(10));
            }
            // the same data on the plain port
            try (RunningServer.Client plain = running.connect()) {
                assertThat(plain.call("GET", "k")).isEqualTo("$8\r\nover tls\r\n");
            }
        }
    }

    @Test
    void jedisOverTlsOnAGroupOfConnectionLoopsWithLargeValues() throws Exception {
        try (RunningServer running = tlsServer(2)) {
            SSLParameters verifyHost = new SSLParameters();
            verifyHost.setEndpointIdentificationAlgorithm("HTTPS");
            DefaultJedisClientConfig config = DefaultJedisClientConfig.builder().ssl(true)
                    .sslSocketFactory(TestCertificates.trusting(CA).getSocketFactory()).sslParameters(verifyHost)
                    .socketTimeoutMillis(30_000).build();
            for (int c = 0; c < 4; c++) { // round-robin over both loops
                try (Jedis jedis = new Jedis(new HostAndPort("localhost", running.server().tlsPort()), config)) {
                    String big = "x".repeat(200_000 + c); // many TLS records per value
                    Pipeline pipeline = jedis.pipelined();
                    pipeline.set("big" + c, big);
                    Response<String> back = pipeline.get("big" + c);
                    pipeline.sync();
                    assertThat(back.get()).isEqualTo(big);
                    assertThat(jedis.ping()).isEqualTo("PONG");
                }
            }
        }
    }

    @Test
    void aPlaintextClientOnTheTlsPortIsClosedWhileTheOthersCarryOn() throws Exception {
        try (RunningServer running = tlsServer(0); RunningServer.Client plain = running.connect()) {
            assertThat(plain.call("SET", "before", "1")).isEqualTo("+OK\r\n");
            try (Socket wrong = new Socket(InetAddress.getLoopbackAddress(), running.server().tlsPort())) {
                wrong.setSoTimeout(30_000);
                wrong.getOutputStream().write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
                InputStream in = wrong.getInputStream();
                byte[] answer = in.readAllBytes(); // at most a TLS alert, then the end; never +PONG
                assertThat(answer.length == 0 || answer[0] == 0x15).as(new String(answer, StandardCharsets.ISO_8859_1)).isTrue();
            }
            assertThat(plain.call("GET", "before")).isEqualTo("$1\r\n1\r\n");
            assertThat(running.server().connectedClients()).isEqualTo(1);
        }
    }
}
