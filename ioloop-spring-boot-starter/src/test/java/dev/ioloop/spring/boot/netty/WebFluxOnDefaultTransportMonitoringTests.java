package dev.ioloop.spring.boot.netty;

import io.netty.channel.epoll.Epoll;
import reactor.netty.resources.LoopResources;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.test.annotation.DirtiesContext;

/**
 * The WebFlux server as Boot configures it, on epoll where its native library loads (Linux; reactor-netty brings it),
 * on NIO elsewhere. Boot's test support gives each test context its own {@code ReactorResourceFactory} resources
 * instead of Reactor Netty's global ones, so the loops are {@code webflux-http-epoll-N}
 * ({@link WebFluxOnGlobalResourcesMonitoringTests} sees the global {@code reactor-http-epoll-N} of an application).
 */
@SpringBootTest(classes = WebFluxLoopMonitoringTests.App.class, webEnvironment = WebEnvironment.RANDOM_PORT,
        properties = { "spring.main.web-application-type=reactive",
                "management.endpoints.web.exposure.include=health,ioloop,prometheus",
                "management.endpoint.health.show-details=always", "ioloop.watchdog.threshold=200ms",
                "ioloop.metrics.lag.interval=20ms", "ioloop.health.lag-threshold=500ms" })
@DirtiesContext
class WebFluxOnDefaultTransportMonitoringTests extends WebFluxLoopMonitoringTests {

    @Override
    String threadPrefix() {
        return Epoll.isAvailable() ? "webflux-http-epoll-" : "webflux-http-nio-";
    }

    @Override
    int eventLoops() {
        return LoopResources.DEFAULT_IO_WORKER_COUNT;
    }
}
