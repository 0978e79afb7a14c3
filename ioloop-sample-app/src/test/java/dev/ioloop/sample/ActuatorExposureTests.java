package dev.ioloop.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import java.io.IOException;
import java.net.ConnectException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.tomcat.TomcatWebServer;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.test.annotation.DirtiesContext;

/**
 * The sample app's HTTP side as shipped (its application.properties): bound to loopback like its Redis port, and
 * {@code ioloop} in the liveness group.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "sample.redis.port=0")
@DirtiesContext // close this context after the class, so two never share IOLoop.instance()
class ActuatorExposureTests {

    @LocalServerPort
    int httpPort;

    @Autowired
    WebServerApplicationContext context;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    @Test
    void httpListensOnLoopbackOnly() throws Exception {
        TomcatWebServer server = (TomcatWebServer) this.context.getWebServer();
        Object address = server.getTomcat().getConnector().getProperty("address");
        assertThat(address).isInstanceOf(InetAddress.class);
        assertThat(((InetAddress) address).isLoopbackAddress()).as("bound to %s", address).isTrue();
        assertThat(get("/actuator/health").statusCode()).isEqualTo(200);
        // From this machine's other addresses (where a remote client would come in): refused.
        for (InetAddress external : externalAddresses()) {
            assertThatExceptionOfType(ConnectException.class).as("connect to %s", external).isThrownBy(() -> {
                try (Socket socket = new Socket()) {
                    socket.connect(new InetSocketAddress(external, this.httpPort), 5000);
                }
            });
        }
    }

    @Test
    void livenessGroupIncludesTheLoops() throws Exception {
        HttpResponse<String> liveness = get("/actuator/health/liveness");
        assertThat(liveness.statusCode()).isEqualTo(200);
        assertThat(liveness.body()).contains("\"livenessState\"").contains("\"ioloop\"").contains("\"main\"");
    }

    private static List<InetAddress> externalAddresses() throws SocketException {
        return NetworkInterface.networkInterfaces()
                .filter(ActuatorExposureTests::isUp)
                .flatMap(NetworkInterface::inetAddresses)
                .filter((address) -> address instanceof Inet4Address && !address.isLoopbackAddress())
                .toList();
    }

    private static boolean isUp(NetworkInterface network) {
        try {
            return network.isUp() && !network.isLoopback();
        } catch (SocketException ex) {
            return false;
        }
    }

    private HttpResponse<String> get(String path) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.httpPort + path))
                .timeout(Duration.ofSeconds(30)).GET().build();
        return this.http.send(request, HttpResponse.BodyHandlers.ofString());
    }
}
