package dev.ioloop.spring.boot.autoconfigure.endpoint;

import java.time.Duration;

import dev.ioloop.IOLoop;
import dev.ioloop.spring.boot.autoconfigure.IOLoopAutoConfiguration;
import dev.ioloop.spring.boot.endpoint.IOLoopEndpoint;
import dev.ioloop.spring.boot.endpoint.IOLoopEndpoint.LoopDescriptor;
import dev.ioloop.spring.boot.scheduling.PeriodicCallback;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class IOLoopEndpointAutoConfigurationTests {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(IOLoopAutoConfiguration.class, IOLoopEndpointAutoConfiguration.class))
        .withPropertyValues("ioloop.group.enabled=true", "ioloop.group.threads=1");

    private final ApplicationContextRunner exposed = this.runner
        .withPropertyValues("management.endpoints.web.exposure.include=ioloop");

    @Test
    void absentUntilExposed() {
        this.runner.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(IOLoopEndpoint.class));
    }

    @Test
    void describesEveryLoopWithItsPeriodicCallbacks() {
        this.exposed.withBean("jobs", Jobs.class).run((context) -> {
            IOLoopEndpoint endpoint = context.getBean(IOLoopEndpoint.class);
            await().atMost(Duration.ofSeconds(30)).until(() -> endpoint.loop("main").periodicCallbacks().get(0).runs() >= 1);
            IOLoopEndpoint.LoopsDescriptor loops = endpoint.loops();
            assertThat(loops.state()).isEqualTo("RUNNING");
            assertThat(loops.loops()).extracting(LoopDescriptor::name).containsExactly("main", "ioloop-1");
            LoopDescriptor main = endpoint.loop("main");
            assertThat(main.thread()).isEqualTo("ioloop-main");
            assertThat(main.running()).isTrue();
            assertThat(main.stats().callbacksRun()).isPositive();
            assertThat(main.periodicCallbacks()).singleElement().satisfies((callback) -> {
                assertThat(callback.callback()).isEqualTo("jobs#tick");
                assertThat(callback.period()).isEqualTo(Duration.ofMillis(10));
                assertThat(callback.jitter()).isEqualTo(0.5);
                assertThat(callback.lastRun()).isNotNull();
                assertThat(callback.nextRun()).isAfter(callback.lastRun());
            });
            assertThat(endpoint.loop("ioloop-1").periodicCallbacks()).isEmpty();
            assertThat(endpoint.loop("nope")).isNull();
        });
    }

    @Test
    void backsOffWhenTheApplicationDefinesItsOwn() {
        this.exposed.withBean("custom", IOLoopEndpoint.class,
                () -> new IOLoopEndpoint(null, null, java.util.List.of()))
            .run((context) -> assertThat(context).hasSingleBean(IOLoopEndpoint.class).hasBean("custom"));
    }

    @Test
    void worksWithoutTheActuatorOnTheClasspath() {
        this.exposed.withClassLoader(new FilteredClassLoader("org.springframework.boot.actuate"))
            .run((context) -> assertThat(context).hasNotFailed()
                .hasSingleBean(IOLoop.class)
                .doesNotHaveBean(IOLoopEndpoint.class));
    }

    @Test
    void disabledWithTheLoops() {
        this.exposed.withPropertyValues("ioloop.enabled=false")
            .run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(IOLoopEndpoint.class));
    }

    static class Jobs {

        @PeriodicCallback(period = "10ms", jitter = "0.5")
        void tick() {
        }
    }
}
