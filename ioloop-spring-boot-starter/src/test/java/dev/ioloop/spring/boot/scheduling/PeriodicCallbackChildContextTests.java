package dev.ioloop.spring.boot.scheduling;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import dev.ioloop.IOLoop;
import org.junit.jupiter.api.Test;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A real parent/child pair of Boot applications (as Spring Cloud and many tests build them): each context's
 * {@code @PeriodicCallback} methods run, on the parent's loop, and each context lists only its own.
 */
class PeriodicCallbackChildContextTests {

    @Test
    void childContextsCallbacksRunOnTheParentsLoop() throws Exception {
        SpringApplicationBuilder parentBuilder = new SpringApplicationBuilder(Parent.class)
            .web(WebApplicationType.NONE)
            .properties("spring.main.banner-mode=off");
        try (ConfigurableApplicationContext child = parentBuilder.child(Child.class)
            .web(WebApplicationType.NONE)
            .run()) {
            ConfigurableApplicationContext parent = (ConfigurableApplicationContext) child.getParent();
            try {
                Ticker parentTicker = parent.getBean("parentTicker", Ticker.class);
                Ticker childTicker = child.getBean("childTicker", Ticker.class);
                assertThat(childTicker.ran.await(30, TimeUnit.SECONDS)).as("the child's callback ran").isTrue();
                assertThat(parentTicker.ran.await(30, TimeUnit.SECONDS)).as("the parent's callback ran").isTrue();
                assertThat(childTicker.threads).containsOnly("ioloop-main");
                // One loop for the pair: the child uses the parent's.
                assertThat(child.getBean(IOLoop.class)).isSameAs(parent.getBean(IOLoop.class));
                assertThat(child.getBeansOfType(PeriodicCallbackHolder.class).values())
                    .flatExtracting(PeriodicCallbackHolder::getPeriodicCallbacks)
                    .extracting(ScheduledPeriodicCallback::getId)
                    .containsExactly("childTicker#tick");
                assertThat(parent.getBean(PeriodicCallbackHolder.class).getPeriodicCallbacks())
                    .extracting(ScheduledPeriodicCallback::getId)
                    .containsExactly("parentTicker#tick");
            }
            finally {
                child.close();
                parent.close();
            }
        }
    }

    @SpringBootConfiguration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class Parent {

        @Bean
        Ticker parentTicker() {
            return new Ticker();
        }
    }

    @SpringBootConfiguration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class Child {

        @Bean
        Ticker childTicker() {
            return new Ticker();
        }
    }

    static class Ticker {

        final CountDownLatch ran = new CountDownLatch(3);

        final Set<String> threads = ConcurrentHashMap.newKeySet();

        @PeriodicCallback(period = "10ms")
        void tick() {
            this.threads.add(Thread.currentThread().getName());
            this.ran.countDown();
        }
    }
}
