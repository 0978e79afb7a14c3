package dev.ioloop.spring.boot.autoconfigure;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import dev.ioloop.IOLoop;
import dev.ioloop.IOLoopGroup;
import dev.ioloop.spring.boot.lifecycle.BlockedLoopReport;
import dev.ioloop.spring.boot.lifecycle.IOLoopLifecycle;
import dev.ioloop.spring.boot.scheduling.PeriodicCallbackAnnotationBeanPostProcessor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.task.TaskExecutionAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class IOLoopAutoConfigurationTests {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(IOLoopAutoConfiguration.class, TaskExecutionAutoConfiguration.class))
        .withPropertyValues("ioloop.group.enabled=true", "ioloop.group.threads=2");

    @Test
    void createsMainLoopRunningOnItsThreadAndInstalledAsInstance() {
        this.runner.run((context) -> {
            assertThat(context).hasNotFailed().hasSingleBean(IOLoop.class).hasSingleBean(IOLoopLifecycle.class);
            IOLoop loop = context.getBean(IOLoop.class);
            assertThat(loop.name()).isEqualTo("main");
            assertThat(loop.isRunning()).isTrue();
            assertThat(IOLoop.instance()).isSameAs(loop);
            assertThat(threadOf(loop)).isEqualTo("ioloop-main");
        });
    }

    @Test
    void secondContextInTheSameJvmRunsItsLoopWithoutReplacingTheInstalledOne() {
        this.runner.run((first) -> {
            IOLoop installed = first.getBean(IOLoop.class);
            this.runner.run((second) -> {
                assertThat(second).hasNotFailed();
                IOLoop other = second.getBean(IOLoop.class);
                assertThat(other).isNotSameAs(installed);
                assertThat(other.isRunning()).isTrue();
                assertThat(IOLoop.instance()).isSameAs(installed);
            });
            assertThat(IOLoop.instance()).isSameAs(installed);
            assertThat(installed.isRunning()).isTrue();
        });
    }

    @Test
    void createsGroupWhoseLoopsRunOnTheirOwnThreads() {
        this.runner.run((context) -> {
            IOLoopGroup group = context.getBean(IOLoopGroup.class);
            assertThat(group.loops()).hasSize(2);
            assertThat(threadOf(group.loops().get(0))).isEqualTo("ioloop-1");
            assertThat(threadOf(group.loops().get(1))).isEqualTo("ioloop-2");
            assertThat(context.getBean(IOLoopLifecycle.class).loops()).extracting((loop) -> loop.name())
                .containsExactly("main", "ioloop-1", "ioloop-2");
        });
    }

    @Test
    void keepsBootsApplicationTaskExecutorAlthoughTheLoopIsAnExecutor() {
        this.runner.run((context) -> assertThat(context).hasBean("applicationTaskExecutor")
            .hasSingleBean(IOLoop.class));
    }

    @Test
    void orderingBeforeTaskExecutionWouldLoseTheApplicationTaskExecutor() {
        // The control: the same loop bean registered before TaskExecutionAutoConfiguration makes Boot back off.
        new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(LoopBeforeTaskExecution.class, TaskExecutionAutoConfiguration.class))
            .run((context) -> assertThat(context).doesNotHaveBean("applicationTaskExecutor"));
    }

    @Test
    void closesLoopsAndUninstallsInstanceWhenContextCloses() {
        AtomicReference<IOLoop> main = new AtomicReference<>();
        AtomicReference<IOLoopGroup> group = new AtomicReference<>();
        this.runner.run((context) -> {
            main.set(context.getBean(IOLoop.class));
            group.set(context.getBean(IOLoopGroup.class));
        });
        assertThat(main.get().isRunning()).isFalse();
        assertThat(main.get().isClosed()).isTrue();
        assertThat(group.get().loops()).allSatisfy((loop) -> assertThat(loop.isClosed()).isTrue());
        assertThat(IOLoop.initialized() && IOLoop.instance() == main.get()).isFalse();
    }

    @Test
    void runsCallbacksAlreadyQueuedWhenStopping() {
        AtomicReference<CountDownLatch> ran = new AtomicReference<>(new CountDownLatch(1000));
        this.runner.run((context) -> {
            IOLoop loop = context.getBean(IOLoop.class);
            CountDownLatch gate = new CountDownLatch(1);
            loop.addCallback(() -> awaitLatch(gate)); // holds the loop while the others queue up
            for (int i = 0; i < 1000; i++) {
                loop.addCallback(ran.get()::countDown);
            }
            gate.countDown();
        });
        assertThat(ran.get().getCount()).isZero();
    }

    @Test
    void contextStopThenStartRunsTheLoopsAndTheirPeriodicCallbacksAgain() {
        this.runner.withBean("ticker", Ticker.class).run((context) -> {
            Ticker ticker = context.getBean(Ticker.class);
            IOLoop loop = context.getBean(IOLoop.class);
            IOLoopGroup group = context.getBean(IOLoopGroup.class);
            await().atMost(Duration.ofSeconds(30)).until(() -> ticker.runs.get() >= 2);
            context.stop();
            assertThat(loop.isRunning()).isFalse();
            assertThat(group.isRunning()).isFalse();
            context.start();
            assertThat(context.getBean(IOLoopLifecycle.class).state()).isEqualTo(IOLoopLifecycle.State.RUNNING);
            assertThat(threadOf(loop)).isEqualTo("ioloop-main");
            assertThat(threadOf(group.loops().get(1))).isEqualTo("ioloop-2");
            int before = ticker.runs.get();
            await().atMost(Duration.ofSeconds(30)).until(() -> ticker.runs.get() >= before + 2);
        });
    }

    @Test
    void backsOffWhenTheApplicationDefinesItsLoop() {
        this.runner.withUserConfiguration(UserLoop.class).run((context) -> {
            assertThat(context).hasSingleBean(IOLoop.class);
            IOLoop loop = context.getBean(IOLoop.class);
            assertThat(loop.name()).isEqualTo("mine");
            assertThat(loop.isRunning()).isTrue();
            assertThat(threadOf(loop)).isEqualTo("ioloop-main");
        });
    }

    @Test
    void backsOffWhenTheApplicationDefinesItsGroup() {
        this.runner.withUserConfiguration(UserGroup.class).run((context) -> {
            IOLoopGroup group = context.getBean(IOLoopGroup.class);
            assertThat(group.loops()).hasSize(1);
            assertThat(group.loops().get(0).name()).isEqualTo("mine-1");
            assertThat(group.loops().get(0).isRunning()).isTrue();
        });
    }

    @Test
    void disabledByIoloopEnabledFalse() {
        this.runner.withPropertyValues("ioloop.enabled=false").run((context) -> assertThat(context).hasNotFailed()
            .doesNotHaveBean(IOLoop.class)
            .doesNotHaveBean(IOLoopLifecycle.class)
            .doesNotHaveBean(PeriodicCallbackAnnotationBeanPostProcessor.class));
    }

    @Test
    void noGroupAndNoGroupThreadsUnlessAskedFor() {
        long groupThreadsBefore = groupThreads();
        new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(IOLoopAutoConfiguration.class))
            .withPropertyValues("ioloop.group.threads=2")
            .run((context) -> {
                assertThat(context).hasSingleBean(IOLoop.class).doesNotHaveBean(IOLoopGroup.class);
                assertThat(context.getBean(IOLoopLifecycle.class).loops()).hasSize(1);
                // Other test classes' cached contexts may run group loops of their own: count, don't look for names.
                assertThat(groupThreads()).isEqualTo(groupThreadsBefore);
            });
    }

    private static long groupThreads() {
        return Thread.getAllStackTraces().keySet().stream()
            .filter((thread) -> thread.getName().matches("ioloop-\\d+"))
            .count();
    }

    @Test
    void groupDisabledByIoloopGroupEnabledFalse() {
        this.runner.withPropertyValues("ioloop.group.enabled=false").run((context) -> {
            assertThat(context).hasSingleBean(IOLoop.class).doesNotHaveBean(IOLoopGroup.class);
            assertThat(context.getBean(IOLoopLifecycle.class).loops()).hasSize(1);
        });
    }

    @Test
    void bindsEveryProperty() {
        this.runner
            .withPropertyValues("ioloop.group.threads=3", "ioloop.shutdown.timeout=3s", "ioloop.watchdog.threshold=250ms",
                    "ioloop.watchdog.retained-reports=4", "ioloop.metrics.lag.interval=50ms",
                    "ioloop.metrics.utilization.window=30s", "ioloop.health.lag-threshold=1m")
            .run((context) -> {
                IOLoopProperties properties = context.getBean(IOLoopProperties.class);
                assertThat(properties.getGroup().getThreads()).isEqualTo(3);
                assertThat(properties.getShutdown().getTimeout()).isEqualTo(Duration.ofSeconds(3));
                assertThat(properties.getWatchdog().getThreshold()).isEqualTo(Duration.ofMillis(250));
                assertThat(properties.getWatchdog().getRetainedReports()).isEqualTo(4);
                assertThat(properties.getMetrics().getLag().getInterval()).isEqualTo(Duration.ofMillis(50));
                assertThat(properties.getMetrics().getUtilization().getWindow()).isEqualTo(Duration.ofSeconds(30));
                assertThat(properties.getHealth().getLagThreshold()).isEqualTo(Duration.ofMinutes(1));
                assertThat(context.getBean(IOLoopGroup.class).loops()).hasSize(3);
            });
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
            ioloop.group.threads=0              | 'ioloop.group.threads' must be at least 1 (was 0)
            ioloop.shutdown.timeout=0s          | 'ioloop.shutdown.timeout' must be positive (was PT0S)
            ioloop.watchdog.threshold=-1s       | 'ioloop.watchdog.threshold' must be zero (disabled) or positive (was PT-1S)
            ioloop.watchdog.retained-reports=-1 | 'ioloop.watchdog.retained-reports' must not be negative (was -1)
            ioloop.metrics.lag.interval=0ms     | 'ioloop.metrics.lag.interval' must be positive (was PT0S)
            ioloop.metrics.utilization.window=0s | 'ioloop.metrics.utilization.window' must be positive (was PT0S)
            ioloop.health.lag-threshold=-5s     | 'ioloop.health.lag-threshold' must be positive (was PT-5S)
            """)
    void rejectsInvalidValuesNamingKeyAndValue(String property, String message) {
        this.runner.withPropertyValues(property).run((context) -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).rootCause().isInstanceOf(IllegalArgumentException.class)
                .hasMessage(message);
        });
    }

    @Test
    void watchdogThresholdKeepsBlockedReportWithTheCapturedStack() {
        this.runner.withPropertyValues("ioloop.watchdog.threshold=50ms").run((context) -> {
            IOLoopLifecycle lifecycle = context.getBean(IOLoopLifecycle.class);
            IOLoop loop = context.getBean(IOLoop.class);
            CountDownLatch release = new CountDownLatch(1);
            loop.addCallback(() -> blockInTest(release));
            // The report of this block, not the first one: a slow iteration at startup on a loaded machine may
            // have passed 50ms too.
            AtomicReference<BlockedLoopReport> blocked = new AtomicReference<>();
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                lifecycle.mainLoop().blockedReports().stream()
                    .filter((report) -> report.stack().stream().anyMatch((frame) -> frame.contains("blockInTest")))
                    .findFirst()
                    .ifPresent(blocked::set);
                return blocked.get() != null;
            });
            release.countDown();
            BlockedLoopReport report = blocked.get();
            assertThat(report.loop()).isEqualTo("main");
            assertThat(report.thread()).isEqualTo("ioloop-main");
            assertThat(report.thresholdMillis()).isEqualTo(50);
            assertThat(report.stack()).anySatisfy((frame) -> assertThat(frame).contains("blockInTest"));
            await().atMost(Duration.ofSeconds(30)).until(() -> loop.stats().blockedEvents() >= 1);
        });
    }

    @Test
    void watchdogDisabledByZeroThreshold() {
        // Control: the same kind of block is reported once a threshold is set.
        this.runner.withPropertyValues("ioloop.watchdog.threshold=100ms").run((context) -> {
            IOLoop loop = context.getBean(IOLoop.class);
            CountDownLatch release = new CountDownLatch(1);
            loop.addCallback(() -> blockInTest(release));
            try {
                // The watchdog counts a block before it records its report: wait for the report itself, or a
                // reader between the two (a loaded machine) would see the count and no report yet.
                await().atMost(Duration.ofSeconds(30)).until(() -> context.getBean(IOLoopLifecycle.class).mainLoop()
                    .blockedReports().stream()
                    .anyMatch((report) -> report.stack().stream().anyMatch((frame) -> frame.contains("blockInTest"))));
            }
            finally {
                release.countDown();
            }
            assertThat(loop.stats().blockedEvents()).isPositive();
        });
        // Zero: a block longer than the control's threshold and than the 2s default leaves no report, so zero
        // is neither a tiny threshold nor a fall-back to the default.
        this.runner.withPropertyValues("ioloop.watchdog.threshold=0").run((context) -> {
            assertThat(context).hasNotFailed();
            assertThat(context.getBean(IOLoopProperties.class).getWatchdog().getThreshold()).isZero();
            IOLoop loop = context.getBean(IOLoop.class);
            CompletableFuture<Void> blocked = new CompletableFuture<>();
            loop.addCallback(() -> {
                sleep(2_500);
                blocked.complete(null);
            });
            blocked.get(30, TimeUnit.SECONDS);
            assertThat(context.getBean(IOLoopLifecycle.class).mainLoop().blockedReports()).isEmpty();
            assertThat(loop.stats().blockedEvents()).isZero();
        });
    }

    static void blockInTest(CountDownLatch release) {
        awaitLatch(release);
    }

    static void awaitLatch(CountDownLatch latch) {
        try {
            latch.await(30, TimeUnit.SECONDS);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }

    static String threadOf(IOLoop loop) throws Exception {
        CompletableFuture<String> name = new CompletableFuture<>();
        loop.addCallback(() -> name.complete(Thread.currentThread().getName()));
        return name.get(30, TimeUnit.SECONDS);
    }

    static class Ticker {

        final java.util.concurrent.atomic.AtomicInteger runs = new java.util.concurrent.atomic.AtomicInteger();

        @dev.ioloop.spring.boot.scheduling.PeriodicCallback(period = "10ms")
        void tick() {
            this.runs.incrementAndGet();
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class UserLoop {

        @Bean
        IOLoop myLoop() {
            return IOLoop.builder().name("mine").makeCurrent(false).build();
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class UserGroup {

        @Bean
        IOLoopGroup myGroup() {
            return new IOLoopGroup("mine", 1);
        }
    }

    @AutoConfiguration(before = TaskExecutionAutoConfiguration.class)
    static class LoopBeforeTaskExecution {

        @Bean(destroyMethod = "close")
        IOLoop ioloop() {
            return IOLoop.builder().name("early").makeCurrent(false).build();
        }
    }
}
