package dev.ioloop.spring.boot.lifecycle;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.ioloop.IOLoop;
import dev.ioloop.IOLoopGroup;
import dev.ioloop.spring.boot.autoconfigure.IOLoopAutoConfiguration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A startup that fails after the loops started leaves no loop running: the loop threads are not daemon threads, so
 * one left running would keep the JVM of a failed application alive.
 */
class StartupFailureTests {

    /** The loops of the context under test (other test classes' cached contexts run loops of the same names). */
    static final List<IOLoop> loops = new CopyOnWriteArrayList<>();

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(IOLoopAutoConfiguration.class))
        .withPropertyValues("ioloop.group.enabled=true", "ioloop.group.threads=1")
        .withUserConfiguration(LoopCapture.class);

    @BeforeEach
    void forgetLoops() {
        loops.clear();
    }

    @Test
    void laterLifecycleFailingToStartLeavesNoLoopRunning() {
        this.runner.withBean("failing", FailingLifecycle.class)
            .run((context) -> assertThat(context).hasFailed());
        assertThat(loops).hasSize(2);
        await().atMost(Duration.ofSeconds(30)).until(() -> loops.stream().noneMatch(IOLoop::isRunning));
    }

    @Test
    void groupFailingToStartAfterTheMainLoopLeavesTheMainLoopStopped() {
        // The application's group is running already, so the lifecycle's group.start() throws after the main loop
        // thread started.
        this.runner.withUserConfiguration(StartedGroup.class).run((context) -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).rootCause().hasMessageContaining("IOLoopGroup is already running");
        });
        IOLoop main = loops.get(0);
        assertThat(main.name()).isEqualTo("main");
        await().atMost(Duration.ofSeconds(30)).until(() -> !main.isRunning());
        assertThat(main.isClosed()).isTrue();
    }

    @Configuration(proxyBeanMethods = false)
    static class LoopCapture {

        @Bean
        Object loopCapture(IOLoop main, ObjectProvider<IOLoopGroup> group) {
            List<IOLoop> all = new ArrayList<>();
            all.add(main);
            group.ifAvailable((loopGroup) -> all.addAll(loopGroup.loops()));
            loops.addAll(all);
            return all;
        }
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
