package dev.ioloop.spring.boot.lifecycle;

import java.time.Duration;

import dev.ioloop.IOLoopGroup;
import dev.ioloop.spring.boot.autoconfigure.IOLoopAutoConfiguration;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A startup that fails after the loops started leaves no loop thread behind: the loop threads are not daemon
 * threads, so one left running would keep the JVM of a failed application alive.
 */
class StartupFailureTests {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(IOLoopAutoConfiguration.class))
        .withPropertyValues("ioloop.group.threads=1");

    @Test
    void laterLifecycleFailingToStartLeavesNoLoopThread() {
        this.runner.withBean("failing", FailingLifecycle.class)
            .run((context) -> assertThat(context).hasFailed());
        await().atMost(Duration.ofSeconds(30)).until(() -> !threadAlive("ioloop-main") && !threadAlive("ioloop-1"));
    }

    @Test
    void groupFailingToStartAfterTheMainLoopLeavesNoMainLoopThread() {
        // The application's group is running already, so the lifecycle's group.start() throws after the main loop
        // thread started.
        this.runner.withUserConfiguration(StartedGroup.class).run((context) -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).rootCause().hasMessageContaining("IOLoopGroup is already running");
        });
        await().atMost(Duration.ofSeconds(30)).until(() -> !threadAlive("ioloop-main") && !threadAlive("started-1"));
    }

    private static boolean threadAlive(String name) {
        return Thread.getAllStackTraces().keySet().stream()
            .anyMatch((thread) -> thread.getName().equals(name) && thread.isAlive());
    }

    static class FailingLifecycle implements SmartLifecycle {

        @Override
        public void start() {
            throw new IllegalStateException("port in use (expected by the test)");
        }

        @Override
        public void stop() {
        }

        @Override
        public boolean isRunning() {
            return false;
        }

        @Override
        public int getPhase() {
            return IOLoopLifecycle.PHASE + 1;
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class StartedGroup {

        @Bean(initMethod = "start")
        IOLoopGroup startedGroup() {
            return new IOLoopGroup("started", 1);
        }
    }
}
