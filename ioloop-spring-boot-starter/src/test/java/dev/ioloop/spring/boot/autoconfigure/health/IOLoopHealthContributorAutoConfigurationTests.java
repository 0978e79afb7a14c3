package dev.ioloop.spring.boot.autoconfigure.health;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import dev.ioloop.IOLoop;
import dev.ioloop.spring.boot.autoconfigure.IOLoopAutoConfiguration;
import dev.ioloop.spring.boot.lifecycle.IOLoopLifecycle;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class IOLoopHealthContributorAutoConfigurationTests {

    private static final Duration WAIT = Duration.ofSeconds(30);

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(IOLoopAutoConfiguration.class,
                IOLoopHealthContributorAutoConfiguration.class))
        .withPropertyValues("ioloop.group.enabled=true", "ioloop.group.threads=1", "ioloop.metrics.lag.interval=10ms",
                "ioloop.health.lag-threshold=2s"); // far above a loaded machine's hiccups

    @Test
    void createsOneUpComponentPerLoop() {
        this.runner.run((context) -> {
            CompositeHealthContributor contributor = context.getBean("ioloopHealthContributor",
                    CompositeHealthContributor.class);
            assertThat(contributor.stream().map((entry) -> entry.name())).containsExactly("main", "ioloop-1");
            Health main = health(context, "main");
            assertThat(main.getStatus()).isEqualTo(Status.UP);
            assertThat(main.getDetails()).containsEntry("thread", "ioloop-main")
                .containsEntry("lagThresholdMillis", 2000L)
                .containsKeys("lagMillis", "blockedForMillis", "threadState", "pendingCallbacks", "pendingTimeouts");
            assertThat(health(context, "ioloop-1").getStatus()).isEqualTo(Status.UP);
        });
    }

    @Test
    void loopBlockedPastTheLagThresholdIsDownUntilItRecovers() {
        this.runner.run((context) -> {
            CountDownLatch release = new CountDownLatch(1);
            context.getBean(IOLoop.class).addCallback(() -> {
                try {
                    release.await(30, TimeUnit.SECONDS);
                }
                catch (InterruptedException ex) {
                    Thread.currentThread().interrupt();
                }
            });
            await().atMost(WAIT).until(() -> health(context, "main").getStatus().equals(Status.DOWN));
            Health down = health(context, "main");
            assertThat((Double) down.getDetails().get("lagMillis")).isGreaterThanOrEqualTo(2000.0);
            assertThat(down.getDetails()).containsEntry("threadState", "TIMED_WAITING");
            assertThat(health(context, "ioloop-1").getStatus()).isEqualTo(Status.UP);
            release.countDown();
            await().atMost(WAIT).until(() -> health(context, "main").getStatus().equals(Status.UP));
        });
    }

    @Test
    void loopWhoseThreadEndedIsDown() {
        this.runner.run((context) -> {
            IOLoop loop = context.getBean(IOLoop.class);
            Thread thread = loop.thread();
            loop.stop(); // behind the lifecycle's back: the thread ends while the lifecycle still runs
            thread.join(TimeUnit.SECONDS.toMillis(30));
            Health health = health(context, "main");
            assertThat(health.getStatus()).isEqualTo(Status.DOWN);
            assertThat(health.getDetails()).containsEntry("running", false).containsEntry("threadState", "NONE");
        });
    }

    @Test
    void loopsAreOutOfServiceOnceStopping() {
        this.runner.run((context) -> {
            context.getBean(IOLoopLifecycle.class).stop();
            Health health = health(context, "main");
            assertThat(health.getStatus()).isEqualTo(Status.OUT_OF_SERVICE);
            assertThat(health.getDetails()).containsEntry("lifecycle", "STOPPED");
        });
    }

    @Test
    void disabledByManagementHealthIoloopEnabled() {
        this.runner.withPropertyValues("management.health.ioloop.enabled=false")
            .run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean("ioloopHealthContributor"));
    }

    @Test
    void disabledWithTheLoops() {
        this.runner.withPropertyValues("ioloop.enabled=false")
            .run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean("ioloopHealthContributor"));
    }

    @Test
    void worksWithoutHealthOnTheClasspath() {
        this.runner.withClassLoader(new FilteredClassLoader("org.springframework.boot.health"))
            .run((context) -> assertThat(context).hasNotFailed()
                .hasSingleBean(IOLoop.class)
                .doesNotHaveBean("ioloopHealthContributor"));
    }

    @Test
    void backsOffWhenTheApplicationDefinesItsOwn() {
        HealthIndicator mine = () -> Health.up().withDetail("mine", true).build();
        this.runner.withBean("ioloopHealthContributor", HealthIndicator.class, () -> mine)
            .run((context) -> assertThat(context.getBean("ioloopHealthContributor")).isSameAs(mine));
    }

    private static Health health(AssertableApplicationContext context, String loop) {
        CompositeHealthContributor contributor = context.getBean("ioloopHealthContributor",
                CompositeHealthContributor.class);
        return ((HealthIndicator) contributor.getContributor(loop)).health();
    }
}
