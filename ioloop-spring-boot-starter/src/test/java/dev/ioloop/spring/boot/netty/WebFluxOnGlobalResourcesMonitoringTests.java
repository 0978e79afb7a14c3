package dev.ioloop.spring.boot.netty;

import java.util.List;

import com.jayway.jsonpath.JsonPath;
import dev.ioloop.spring.boot.lifecycle.ManagedLoop;
import dev.ioloop.spring.boot.lifecycle.MonitoredLoops;
import io.netty.channel.epoll.Epoll;
import org.junit.jupiter.api.Test;
import reactor.netty.resources.LoopResources;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A WebFlux application started as {@code main} starts it (not through Boot's test support, which swaps Reactor
 * Netty's global resources for per-context ones): its server runs on Reactor Netty's global {@code HttpResources}
 * loops, {@code reactor-http-epoll-N} (NIO where epoll does not load), and those are the loops monitored; with
 * {@code ioloop.monitor.reactor-netty.enabled=false} only the starter's own loop is.
 */
class WebFluxOnGlobalResourcesMonitoringTests {

    private static final String[] PROPERTIES = { "--server.port=0", "--server.address=127.0.0.1",
            "--management.endpoints.web.exposure.include=health,ioloop",
            "--management.endpoint.health.show-details=always" };

    private static String threadPrefix() {
        return Epoll.isAvailable() ? "reactor-http-epoll-" : "reactor-http-nio-";
    }

    @Test
    void theServersGlobalEventLoopsAreMonitoredUnderTheirThreadNames() throws Exception {
        try (ConfigurableApplicationContext context = start()) {
            List<String> attached = monitored(context).stream().filter((name) -> name.startsWith(threadPrefix()))
                .toList();
            assertThat(attached).hasSize(LoopResources.DEFAULT_IO_WORKER_COUNT);
            try (KeepAliveConnection connection = new KeepAliveConnection(port(context))) {
                String servedBy = connection.get("/whoami").body();
                assertThat(attached).contains(servedBy);
                KeepAliveConnection.Response health = connection.get("/actuator/health/ioloop/" + servedBy);
                assertThat(JsonPath.<String>read(health.body(), "$.details.thread")).isEqualTo(servedBy);
                List<String> listed = JsonPath.read(connection.get("/actuator/ioloop").body(), "$.loops[*].name");
                assertThat(listed).containsAll(attached).contains("main");
            }
        }
    }

    @Test
    void offWithItsPropertyOnlyTheStartersOwnLoopIsMonitored() throws Exception {
        try (ConfigurableApplicationContext context = start("--ioloop.monitor.reactor-netty.enabled=false")) {
            assertThat(monitored(context)).containsExactly("main");
            try (KeepAliveConnection connection = new KeepAliveConnection(port(context))) {
                String servedBy = connection.get("/whoami").body();
                assertThat(servedBy).startsWith(threadPrefix());
                assertThat(connection.get("/actuator/health/ioloop/" + servedBy).status()).isEqualTo(404);
                List<String> listed = JsonPath.read(connection.get("/actuator/ioloop").body(), "$.loops[*].name");
                assertThat(listed).containsExactly("main");
            }
        }
    }

    private static ConfigurableApplicationContext start(String... extra) {
        String[] args = new String[PROPERTIES.length + extra.length];
        System.arraycopy(PROPERTIES, 0, args, 0, PROPERTIES.length);
        System.arraycopy(extra, 0, args, PROPERTIES.length, extra.length);
        return new SpringApplicationBuilder(WebFluxLoopMonitoringTests.App.class).web(WebApplicationType.REACTIVE)
            .run(args);
    }

    private static List<String> monitored(ConfigurableApplicationContext context) {
        return context.getBean(MonitoredLoops.class).loops().stream().map(ManagedLoop::name).toList();
    }

    private static int port(ConfigurableApplicationContext context) {
        return ((WebServerApplicationContext) context).getWebServer().getPort();
    }
}
