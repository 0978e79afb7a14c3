package dev.ioloop.spring.boot.autoconfigure.metrics;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import dev.ioloop.IOLoop;
import dev.ioloop.IOLoopGroup;
import dev.ioloop.spring.boot.autoconfigure.IOLoopAutoConfiguration;
import dev.ioloop.spring.boot.lifecycle.MonitoredLoops;
import dev.ioloop.spring.boot.metrics.IOLoopMetrics;
import dev.ioloop.spring.boot.scheduling.PeriodicCallback;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class IOLoopMetricsAutoConfigurationTests {

    private static final Duration WAIT = Duration.ofSeconds(30);

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(IOLoopAutoConfiguration.class, IOLoopMetricsAutoConfiguration.class,
                MetricsAutoConfiguration.class, ObservationAutoConfiguration.class))
        .withPropertyValues("ioloop.group.enabled=true", "ioloop.group.threads=1", "ioloop.metrics.lag.interval=10ms");

    private final ApplicationContextRunner withRegistry = this.runner.withBean(MeterRegistry.class,
            SimpleMeterRegistry::new);

    @Test
    void registersEveryLoopMeterTaggedWithTheLoopName() {
        this.withRegistry.run((context) -> {
            assertThat(context).hasSingleBean(IOLoopMetrics.class);
            MeterRegistry registry = context.getBean(MeterRegistry.class);
            for (String loop : new String[] { "main", "ioloop-1" }) {
                assertThat(registry.get("ioloop.lag").tag("name", loop).timer()).isNotNull();
                assertThat(registry.get("ioloop.busy").tag("name", loop).functionCounter().count()).isPositive();
                assertThat(registry.get("ioloop.idle").tag("name", loop).functionCounter()).isNotNull();
                assertThat(registry.get("ioloop.utilization").tag("name", loop).gauge()).isNotNull();
                assertThat(registry.get("ioloop.callbacks.pending").tag("name", loop).gauge()).isNotNull();
                assertThat(registry.get("ioloop.timeouts.pending").tag("name", loop).gauge()).isNotNull();
                assertThat(registry.get("ioloop.handlers").tag("name", loop).gauge().value()).isZero();
                assertThat(registry.get("ioloop.callbacks").tag("name", loop).functionCounter()).isNotNull();
                assertThat(registry.get("ioloop.callbacks.errors").tag("name", loop).functionCounter().count()).isZero();
                assertThat(registry.get("ioloop.blocked").tag("name", loop).functionCounter().count()).isZero();
            }
        });
    }

    @Test
    void everyMeterHasItsBaseUnitAndADescription() {
        this.withRegistry.withUserConfiguration(Jobs.class).run((context) -> {
            MeterRegistry registry = context.getBean(MeterRegistry.class);
            await().atMost(WAIT).until(() -> registry.find("ioloop.periodic").timer() != null
                    && registry.find("ioloop.periodic.active").longTaskTimer() != null);
            Map<String, String> units = new LinkedHashMap<>();
            // Times in seconds; counts of things without a unit (as netty.eventexecutor.tasks.pending), so that
            // Prometheus never doubles a word (ioloop_callbacks_pending, not ..._pending_callbacks).
            units.put("ioloop.lag", "seconds");
            units.put("ioloop.busy", "seconds");
            units.put("ioloop.idle", "seconds");
            units.put("ioloop.utilization", null);
            units.put("ioloop.callbacks.pending", null);
            units.put("ioloop.timeouts.pending", null);
            units.put("ioloop.handlers", null);
            units.put("ioloop.callbacks", null);
            units.put("ioloop.callbacks.errors", null);
            units.put("ioloop.blocked", null);
            units.put("ioloop.periodic.skipped", null);
            // Made by Micrometer's meter observation handler from the runs' observation: no description.
            units.put("ioloop.periodic", "seconds");
            units.put("ioloop.periodic.active", "seconds");
            units.forEach((name, unit) -> {
                Meter meter = registry.get(name).tag("name", "main").meter();
                assertThat(meter.getId().getBaseUnit()).as("base unit of %s", name).isEqualTo(unit);
                if (!name.startsWith("ioloop.periodic") || name.equals("ioloop.periodic.skipped")) {
                    assertThat(meter.getId().getDescription()).as("description of %s", name).isNotBlank();
                }
            });
            assertThat(registry.getMeters()).extracting((meter) -> meter.getId().getName())
                .filteredOn((name) -> name.startsWith("ioloop."))
                .allMatch(units::containsKey);
        });
    }

    @Test
    void countsCallbacksAndTheirErrors() {
        this.withRegistry.run((context) -> {
            MeterRegistry registry = context.getBean(MeterRegistry.class);
            IOLoop loop = context.getBean(IOLoop.class);
            FunctionCounter callbacks = registry.get("ioloop.callbacks").tag("name", "main").functionCounter();
            double before = callbacks.count();
            CountDownLatch ran = new CountDownLatch(100);
            for (int i = 0; i < 100; i++) {
                loop.addCallback(ran::countDown);
            }
            assertThat(ran.await(30, TimeUnit.SECONDS)).isTrue();
            await().atMost(WAIT).until(() -> callbacks.count() >= before + 100);
            loop.addCallback(() -> {
                throw new IllegalStateException("expected by the test");
            });
            await().atMost(WAIT)
                .until(() -> registry.get("ioloop.callbacks.errors").tag("name", "main").functionCounter().count() == 1);
        });
    }

    @Test
    void lagTimerShowsABlockedLoopAndBlockedCountsIt() {
        this.withRegistry.withPropertyValues("ioloop.watchdog.threshold=250ms").run((context) -> {
            MeterRegistry registry = context.getBean(MeterRegistry.class);
            Timer lag = registry.get("ioloop.lag").tag("name", "main").timer();
            await().atMost(WAIT).until(() -> lag.count() >= 3);
            IOLoop loop = context.getBean(IOLoop.class);
            CountDownLatch done = new CountDownLatch(1);
            loop.addCallback(() -> {
                sleep(600);
                done.countDown();
            });
            assertThat(done.await(30, TimeUnit.SECONDS)).isTrue();
            await().atMost(WAIT).until(() -> lag.max(TimeUnit.MILLISECONDS) >= 500);
            await().atMost(WAIT)
                .until(() -> registry.get("ioloop.blocked").tag("name", "main").functionCounter().count() >= 1);
            // Each loop's meter counts its own loop's blocks: ioloop-1's (a snapshot of the past) never shows more
            // than ioloop-1 has now. (Not "zero": a loaded machine may stall an idle loop past 250ms too.)
            IOLoop other = context.getBean(IOLoopGroup.class).loops().get(0);
            double otherMeter = registry.get("ioloop.blocked").tag("name", "ioloop-1").functionCounter().count();
            assertThat(otherMeter).isLessThanOrEqualTo(other.stats().blockedEvents());
        });
    }

    @Test
    void timesPeriodicCallbackRunsInOneTimerWithOutcomeTagsAndCountsSkippedPeriods() {
        this.withRegistry.withUserConfiguration(Jobs.class).run((context) -> {
            MeterRegistry registry = context.getBean(MeterRegistry.class);
            await().atMost(WAIT).until(() -> registry.find("ioloop.periodic")
                .tags("name", "main", "callback", "jobs#tick", "outcome", "SUCCESS", "exception", "none")
                .timers()
                .stream()
                .mapToLong(Timer::count)
                .sum() >= 3);
            await().atMost(WAIT).until(() -> registry.find("ioloop.periodic")
                .tags("name", "main", "callback", "jobs#tick", "outcome", "ERROR", "exception",
                        "IllegalStateException")
                .timers()
                .stream()
                .mapToLong(Timer::count)
                .sum() == 1);
            assertThat(registry.find("ioloop.periodic.errors").meters()).isEmpty();
            assertThat(registry.get("ioloop.periodic.skipped").tags("name", "main", "callback", "jobs#tick")
                .functionCounter()).isNotNull();
        });
    }

    @Test
    void observationOfRunsIsSwitchedOffByBootsObservationProperty() {
        this.withRegistry.withUserConfiguration(Jobs.class)
            .withPropertyValues("management.observations.enable.ioloop.periodic=false")
            .run((context) -> {
                MeterRegistry registry = context.getBean(MeterRegistry.class);
                Ticker ticker = context.getBean(Ticker.class);
                await().atMost(WAIT).until(() -> ticker.runs.get() >= 5);
                assertThat(registry.find("ioloop.periodic").timers()).isEmpty();
                assertThat(registry.find("ioloop.periodic.skipped").functionCounter()).isNotNull();
            });
    }

    @Test
    void registersMetersForCallbacksOfBeansCreatedAfterStartup() {
        this.withRegistry.run((context) -> {
            MeterRegistry registry = context.getBean(MeterRegistry.class);
            assertThat(registry.find("ioloop.periodic").timers()).isEmpty();
            ((org.springframework.beans.factory.support.DefaultListableBeanFactory) context.getBeanFactory())
                .registerBeanDefinition("late", new org.springframework.beans.factory.support.RootBeanDefinition(
                        Ticker.class));
            context.getBean("late");
            await().atMost(WAIT).until(() -> registry.find("ioloop.periodic")
                .tags("name", "main", "callback", "late#tick")
                .timers()
                .stream()
                .mapToLong(Timer::count)
                .sum() >= 1);
            await().atMost(WAIT).until(() -> registry.find("ioloop.periodic.skipped")
                .tags("name", "main", "callback", "late#tick")
                .functionCounter() != null);
        });
    }

    @Test
    void stopsTheMetricsThreadWhenTheContextCloses() {
        this.withRegistry.run((context) -> assertThat(metricsThreadAlive()).isTrue());
        await().atMost(WAIT).until(() -> !metricsThreadAlive());
    }

    @Test
    void backsOffWithoutAMeterRegistry() {
        this.runner.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(IOLoopMetrics.class));
    }

    @Test
    void worksWithoutMicrometerOnTheClasspath() {
        this.runner.withClassLoader(new FilteredClassLoader("io.micrometer"))
            .run((context) -> assertThat(context).hasNotFailed()
                .hasSingleBean(IOLoop.class)
                .doesNotHaveBean("ioloopMetrics"));
    }

    @Test
    void backsOffWhenTheApplicationDefinesItsOwn() {
        this.withRegistry.withBean("custom", IOLoopMetrics.class,
                () -> new IOLoopMetrics(new MonitoredLoops(), Tags.empty(), Duration.ofSeconds(1), Duration.ofSeconds(10)))
            .run((context) -> assertThat(context).hasSingleBean(IOLoopMetrics.class).hasBean("custom"));
    }

    @Test
    void disabledWithTheLoops() {
        this.withRegistry.withPropertyValues("ioloop.enabled=false")
            .run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(IOLoopMetrics.class));
    }

    private static boolean metricsThreadAlive() {
        return Thread.getAllStackTraces().keySet().stream()
            .anyMatch((thread) -> thread.getName().equals("ioloop-metrics") && thread.isAlive());
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class Jobs {

        final AtomicInteger runs = new AtomicInteger();

        @Bean
        Ticker jobs() {
            return new Ticker();
        }
    }

    static class Ticker {

        final AtomicInteger runs = new AtomicInteger();

        @PeriodicCallback(period = "10ms")
        void tick() {
            if (this.runs.incrementAndGet() == 2) {
                throw new IllegalStateException("expected by the test");
            }
        }
    }
}
