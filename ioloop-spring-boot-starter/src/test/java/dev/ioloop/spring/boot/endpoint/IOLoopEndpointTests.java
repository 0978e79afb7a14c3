package dev.ioloop.spring.boot.endpoint;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import dev.ioloop.IOLoop;
import dev.ioloop.spring.boot.autoconfigure.IOLoopAutoConfiguration;
import dev.ioloop.spring.boot.endpoint.IOLoopEndpoint.LoopDescriptor;
import dev.ioloop.spring.boot.endpoint.IOLoopEndpoint.PeriodicCallbackDescriptor;
import dev.ioloop.spring.boot.lifecycle.BlockedLoopReport;
import dev.ioloop.spring.boot.lifecycle.IOLoopLifecycle;
import dev.ioloop.spring.boot.lifecycle.ManagedLoop;
import dev.ioloop.spring.boot.lifecycle.MonitoredLoops;
import dev.ioloop.spring.boot.scheduling.PeriodicCallback;
import dev.ioloop.spring.boot.scheduling.PeriodicCallbackAnnotationBeanPostProcessor;
import dev.ioloop.test.RunningLoop;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@link IOLoopEndpoint}'s read operations over the real loops of {@link IOLoopAutoConfiguration} and real
 * {@code @PeriodicCallback} registrations; the endpoint itself is built here, without the actuator's
 * auto-configuration.
 */
class IOLoopEndpointTests {

    private static final Duration WAIT = Duration.ofSeconds(30);

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(IOLoopAutoConfiguration.class))
        .withPropertyValues("ioloop.group.enabled=true", "ioloop.group.threads=1");

    private static IOLoopEndpoint endpoint(AssertableApplicationContext context) {
        return new IOLoopEndpoint(context.getBean(IOLoopLifecycle.class), context.getBean(MonitoredLoops.class),
                List.of(context.getBean(PeriodicCallbackAnnotationBeanPostProcessor.class)));
    }

    @Test
    void describesEachLoopWithItsStatsAndOnlyItsOwnPeriodicCallbacks() {
        this.runner.withBean("jobs", Jobs.class).run((context) -> {
            IOLoopEndpoint endpoint = endpoint(context);
            await().atMost(WAIT).until(() -> {
                LoopDescriptor main = endpoint.loop("main");
                return callback(main, "jobs#tick").runs() >= 2 && callback(main, "jobs#fail").errors() >= 1
                        && callback(main, "jobs#pending").skipped() >= 1
                        && callback(endpoint.loop("ioloop-1"), "jobs#groupTick").runs() >= 1;
            });
            IOLoopEndpoint.LoopsDescriptor loops = endpoint.loops();
            assertThat(loops.state()).isEqualTo("RUNNING");
            assertThat(loops.loops()).extracting(LoopDescriptor::name).containsExactly("main", "ioloop-1");
            LoopDescriptor main = loops.loops().get(0);
            assertThat(main.thread()).isEqualTo("ioloop-main");
            assertThat(main.state()).isEqualTo("RUNNING");
            assertThat(main.threadState()).isNotNull().isNotEqualTo("TERMINATED");
            assertThat(main.running()).isTrue();
            assertThat(main.lagMillis()).isNotNegative();
            assertThat(main.stats().name()).isEqualTo("main");
            assertThat(main.stats().callbacksRun()).isPositive();
            assertThat(main.blockedReports()).isEmpty();
            assertThat(main.periodicCallbacks()).extracting(PeriodicCallbackDescriptor::callback)
                .containsExactlyInAnyOrder("jobs#tick", "jobs#fail", "jobs#pending", "jobs#later");
            PeriodicCallbackDescriptor tick = callback(main, "jobs#tick");
            assertThat(tick.method()).contains("Jobs.tick()");
            assertThat(tick.period()).isEqualTo(Duration.ofMillis(20));
            assertThat(tick.jitter()).isEqualTo(0.25);
            assertThat(tick.lastRun()).isNotNull();
            assertThat(tick.nextRun()).isAfter(tick.lastRun());
            assertThat(tick.errors()).isZero();
            PeriodicCallbackDescriptor fail = callback(main, "jobs#fail");
            assertThat(fail.runs()).isGreaterThanOrEqualTo(fail.errors());
            PeriodicCallbackDescriptor pending = callback(main, "jobs#pending");
            assertThat(pending.runs()).isZero();
            assertThat(pending.lastRun()).isNotNull();
            PeriodicCallbackDescriptor later = callback(main, "jobs#later");
            assertThat(later.period()).isEqualTo(Duration.ofHours(1));
            assertThat(later.runs()).isZero();
            assertThat(later.skipped()).isZero();
            assertThat(later.lastRun()).isNull();
            // Before its first run: the start plus one period.
            assertThat(later.nextRun()).isBetween(Instant.now().plus(Duration.ofMinutes(59)),
                    Instant.now().plus(Duration.ofHours(1)));
            LoopDescriptor group = loops.loops().get(1);
            assertThat(group.thread()).isEqualTo("ioloop-1");
            assertThat(group.stats().name()).isEqualTo("ioloop-1");
            assertThat(group.periodicCallbacks()).singleElement().satisfies((callback) -> {
                assertThat(callback.callback()).isEqualTo("jobs#groupTick");
                assertThat(callback.period()).isEqualTo(Duration.ofMillis(30));
                assertThat(callback.jitter()).isZero();
            });
        });
    }

    @Test
    void showsBlockedReportsWithTheCapturedStackOfTheLoopThatWasBlocked() {
        this.runner.withPropertyValues("ioloop.watchdog.threshold=50ms").run((context) -> {
            IOLoopEndpoint endpoint = endpoint(context);
            CountDownLatch release = new CountDownLatch(1);
            context.getBean(IOLoop.class).addCallback(() -> blockInEndpointTest(release));
            AtomicReference<BlockedLoopReport> found = new AtomicReference<>();
            try {
                await().atMost(WAIT).until(() -> {
                    endpoint.loops().loops().get(0).blockedReports().stream()
                        .filter((report) -> report.stack().stream().anyMatch((f) -> f.contains("blockInEndpointTest")))
                        .findFirst()
                        .ifPresent(found::set);
                    return found.get() != null;
                });
            }
            finally {
                release.countDown();
            }
            BlockedLoopReport report = found.get();
            assertThat(report.loop()).isEqualTo("main");
            assertThat(report.thread()).isEqualTo("ioloop-main");
            assertThat(report.thresholdMillis()).isEqualTo(50);
            assertThat(report.time()).isNotNull();
            assertThat(endpoint.loop("ioloop-1").blockedReports())
                .noneSatisfy((other) -> assertThat(other.stack()).anyMatch((f) -> f.contains("blockInEndpointTest")));
            await().atMost(WAIT).until(() -> endpoint.loop("main").stats().blockedEvents() >= 1);
        });
    }

    @Test
    void selectsOneLoopByNameAndFindsNoneForAnUnknownName() {
        this.runner.run((context) -> {
            IOLoopEndpoint endpoint = endpoint(context);
            LoopDescriptor group = endpoint.loop("ioloop-1");
            assertThat(group).isNotNull();
            assertThat(group.name()).isEqualTo("ioloop-1");
            assertThat(group.thread()).isEqualTo("ioloop-1");
            assertThat(group.stats().name()).isEqualTo("ioloop-1");
            assertThat(endpoint.loop("main").thread()).isEqualTo("ioloop-main");
            assertThat(endpoint.loop("nope")).isNull();
        });
    }

    @Test
    void listsALoopRegisteredAfterStartupWithItsRegistrantsStateUntilItIsUnregistered() {
        this.runner.run((context) -> {
            IOLoopEndpoint endpoint = endpoint(context);
            MonitoredLoops loops = context.getBean(MonitoredLoops.class);
            RunningLoop running = RunningLoop.start(IOLoop.builder().name("attached").makeCurrent(false).build());
            try {
                ManagedLoop attached = new ManagedLoop(running.loop(),
                        new ManagedLoop.Monitoring(Duration.ofMillis(10), Duration.ZERO, 0),
                        () -> IOLoopLifecycle.State.STARTING);
                loops.register(attached);
                assertThat(endpoint.loops().loops()).extracting(LoopDescriptor::name)
                    .containsExactly("main", "ioloop-1", "attached");
                LoopDescriptor described = endpoint.loop("attached");
                assertThat(described.state()).isEqualTo("STARTING");
                assertThat(described.thread()).isEqualTo("attached");
                assertThat(described.running()).isTrue();
                loops.unregister(attached);
                assertThat(endpoint.loop("attached")).isNull();
            }
            finally {
                running.close();
            }
        });
    }

    private static PeriodicCallbackDescriptor callback(LoopDescriptor loop, String id) {
        return loop.periodicCallbacks().stream()
            .filter((callback) -> callback.callback().equals(id))
            .findFirst()
            .orElseThrow(() -> new AssertionError("no callback " + id + " on loop " + loop.name()));
    }

    static void blockInEndpointTest(CountDownLatch release) {
        try {
            release.await(30, TimeUnit.SECONDS);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }

    static class Jobs {

        @PeriodicCallback(period = "20ms", jitter = "0.25")
        void tick() {
        }

        @PeriodicCallback(period = "20ms")
        void fail() {
            throw new IllegalStateException("expected by IOLoopEndpointTests");
        }

        /** Never completes: the periods after the first are skipped. */
        @PeriodicCallback(period = "10ms")
        CompletionStage<Void> pending() {
            return new CompletableFuture<>();
        }

        @PeriodicCallback(period = "1h", initialDelay = "1h")
        void later() {
        }

        @PeriodicCallback(period = "30ms", loop = "group")
        void groupTick() {
        }
    }
}
