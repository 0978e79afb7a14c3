package dev.ioloop.sample;

import dev.ioloop.sample.server.RedisServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.core.env.Environment;

/**
 * A Redis-protocol key-value server on the IOLoop, monitored by actuator.
 *
 * <pre>
 * ./mvnw -q install -DskipTests
 * java -jar ioloop-sample-app/target/ioloop-sample-app-0.1.0-SNAPSHOT.jar
 * redis-cli -p 6380
 * curl localhost:8080/actuator/health
 * </pre>
 */
@SpringBootApplication
public class SampleApplication {

    private static final Logger log = LoggerFactory.getLogger(SampleApplication.class);

    /** Starts the application. */
    public static void main(String[] args) {
        SpringApplication.run(SampleApplication.class, args);
    }

    /** Tells the user where to point redis-cli and where actuator lives, once everything is up. */
    @EventListener
    void ready(ApplicationReadyEvent event) {
        RedisServer server = event.getApplicationContext().getBean(RedisServer.class);
        Environment env = event.getApplicationContext().getEnvironment();
        String httpPort = env.getProperty("local.server.port", env.getProperty("server.port", "8080"));
        log.info("Ready: redis-cli -h {} -p {}{}   |   actuator: http://localhost:{}/actuator (health, info, metrics, prometheus, ioloop)",
                server.address().getHostString(), server.port(),
                server.tlsPort() < 0 ? "" : "   |   TLS: redis-cli --tls --cacert <ca.crt> -p " + server.tlsPort(), httpPort);
    }
}
