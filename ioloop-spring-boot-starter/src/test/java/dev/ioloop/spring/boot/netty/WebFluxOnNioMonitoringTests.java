package dev.ioloop.spring.boot.netty;

import io.netty.channel.EventLoopGroup;
import reactor.core.publisher.Mono;
import reactor.netty.resources.LoopResources;

import java.time.Duration;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.http.client.ReactorResourceFactory;
import org.springframework.test.annotation.DirtiesContext;

/**
 * The WebFlux server on Reactor Netty's NIO transport, even where epoll loads: the application's own
 * ReactorResourceFactory with loop resources that hand out NIO event loops only.
 */
@SpringBootTest(classes = { WebFluxLoopMonitoringTests.App.class, WebFluxOnNioMonitoringTests.NioLoops.class },
        webEnvironment = WebEnvironment.RANDOM_PORT,
        properties = { "spring.main.web-application-type=reactive",
                "management.endpoints.web.exposure.include=health,ioloop,prometheus",
                "management.endpoint.health.show-details=always", "ioloop.watchdog.threshold=200ms",
                "ioloop.metrics.lag.interval=20ms", "ioloop.health.lag-threshold=500ms" })
@DirtiesContext
class WebFluxOnNioMonitoringTests extends WebFluxLoopMonitoringTests {

    @Override
    String threadPrefix() {
        return "nio-test-nio-";
    }

    @Override
    int eventLoops() {
        return 2;
    }

    @Configuration(proxyBeanMethods = false)
    static class NioLoops {

        @Bean(destroyMethod = "dispose")
        LoopResources nioOnlyLoops() {
            return new NioOnly(LoopResources.create("nio-test", 1, 2, true));
        }

        @Bean
        ReactorResourceFactory reactorResourceFactory(LoopResources nioOnlyLoops) {
            ReactorResourceFactory factory = new ReactorResourceFactory();
            factory.setUseGlobalResources(false);
            factory.setLoopResources(nioOnlyLoops);
            return factory;
        }
    }

    /** Loop resources that answer every request with their NIO loops, whatever transport is preferred. */
    record NioOnly(LoopResources delegate) implements LoopResources {

        @Override
        public EventLoopGroup onServer(boolean useNative) {
            return this.delegate.onServer(false);
        }

        @Override
        public EventLoopGroup onClient(boolean useNative) {
            return this.delegate.onClient(false);
        }

        @Override
        public EventLoopGroup onServerSelect(boolean useNative) {
            return this.delegate.onServerSelect(false);
        }

        @Override
        public Mono<Void> disposeLater(Duration quietPeriod, Duration timeout) {
            return this.delegate.disposeLater(quietPeriod, timeout);
        }

        @Override
        public boolean isDisposed() {
            return this.delegate.isDisposed();
        }
    }
}
