package dev.ioloop.spring.boot.scheduling;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import dev.ioloop.spring.boot.autoconfigure.IOLoopAutoConfiguration;
import io.micrometer.common.KeyValues;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistryAssert;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Each {@code @PeriodicCallback} run is a Micrometer Observation, recorded by a {@link TestObservationRegistry}:
 * name, contextual name, outcome and exception key values, the run's scope on the loop thread, and a returned stage
 * observed until it completes.
 */
class PeriodicCallbackObservationTests {

    private static final Duration WAIT = Duration.ofSeconds(30);

    private final TestObservationRegistry observations = TestObservationRegistry.create();

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(IOLoopAutoConfiguration.class))
        .withBean(ObservationRegistry.class, () -> this.observations);

    @Test
    void eachRunIsObservedWithItsOutcomeAndExceptionInsideItsOwnScope() {
        this.runner.withBean("jobs", FailsSecondRun.class).run((context) -> {
            FailsSecondRun jobs = context.getBean(FailsSecondRun.class);
            await().atMost(WAIT).until(() -> jobs.runs.get() >= 3);
            TestObservationRegistryAssert.assertThat(this.observations)
                .hasObservationWithNameEqualTo("ioloop.periodic")
                .that()
                .hasContextualNameEqualTo("periodic jobs#tick")
                .hasLowCardinalityKeyValue("name", "main")
                .hasLowCardinalityKeyValue("callback", "jobs#tick");
            // outcome is UNKNOWN until a run stops: SUCCESS and ERROR are stopped runs.
            TestObservationRegistryAssert.assertThat(this.observations)
                .hasAnObservation((run) -> run.hasNameEqualTo("ioloop.periodic")
                    .hasLowCardinalityKeyValue("outcome", "SUCCESS")
                    .hasLowCardinalityKeyValue("exception", "none")
                    .doesNotHaveError())
                .hasAnObservation((run) -> run.hasNameEqualTo("ioloop.periodic")
                    .hasLowCardinalityKeyValue("outcome", "ERROR")
                    .hasLowCardinalityKeyValue("exception", "IllegalStateException")
                    .hasError());
            // Inside the method, the run's observation is current: spans made there are its children.
            assertThat(jobs.current).isNotEmpty().allSatisfy((name) -> assertThat(name).isEqualTo("ioloop.periodic"));
        });
    }

    @Test
    void aReturnedStageIsObservedUntilItCompletesAndItsFailureIsTheOutcome() {
        this.runner.withBean("stages", FailingStage.class).run((context) -> {
            FailingStage stages = context.getBean(FailingStage.class);
            await().atMost(WAIT).until(() -> stages.calls.get() >= 1 && stages.pending.size() == 1);
            // Started, not stopped: the stage has not completed.
            TestObservationRegistryAssert.assertThat(this.observations)
                .hasNumberOfObservationsWithNameEqualTo("ioloop.periodic", 1)
                .hasObservationWithNameEqualTo("ioloop.periodic")
                .that()
                .hasBeenStarted()
                .isNotStopped()
                .hasLowCardinalityKeyValue("outcome", "UNKNOWN");
            stages.pending.get(0).completeExceptionally(new IOException("expected by the test"));
            await().atMost(WAIT).untilAsserted(() -> TestObservationRegistryAssert.assertThat(this.observations)
                .hasObservationWithNameEqualTo("ioloop.periodic")
                .that()
                .hasBeenStopped()
                .hasLowCardinalityKeyValue("outcome", "ERROR")
                .hasLowCardinalityKeyValue("exception", "IOException"));
        });
    }

    @Test
    void aConventionBeanRenamesAndRetagsTheObservation() {
        this.runner.withBean("jobs", FailsSecondRun.class)
            .withBean(PeriodicCallbackObservationConvention.class, Renamed::new)
            .run((context) -> {
                await().atMost(WAIT).until(() -> context.getBean(FailsSecondRun.class).runs.get() >= 1);
                TestObservationRegistryAssert.assertThat(this.observations)
                    .hasObservationWithNameEqualTo("housekeeping")
                    .that()
                    .hasLowCardinalityKeyValue("job", "FailsSecondRun.tick");
            });
    }

    static class FailsSecondRun {

        final AtomicInteger runs = new AtomicInteger();

        final List<String> current = new CopyOnWriteArrayList<>();

        private final ObservationRegistry registry;

        FailsSecondRun(ObservationRegistry registry) {
            this.registry = registry;
        }

        @PeriodicCallback(period = "10ms")
        void tick() {
            Observation observation = this.registry.getCurrentObservation();
            this.current.add((observation != null) ? observation.getContext().getName() : "none");
            if (this.runs.incrementAndGet() == 2) {
                throw new IllegalStateException("expected by the test");
            }
        }
    }

    static class FailingStage {

        final AtomicInteger calls = new AtomicInteger();

        final List<CompletableFuture<Void>> pending = new CopyOnWriteArrayList<>();

        @PeriodicCallback(period = "1h", initialDelay = "0ms")
        CompletionStage<Void> tick() {
            this.calls.incrementAndGet();
            CompletableFuture<Void> stage = new CompletableFuture<>();
            this.pending.add(stage);
            return stage;
        }
    }

    static class Renamed implements PeriodicCallbackObservationConvention {

        @Override
        public String getName() {
            return "housekeeping";
        }

        @Override
        public KeyValues getLowCardinalityKeyValues(PeriodicCallbackObservationContext context) {
            ScheduledPeriodicCallback callback = context.getCallback();
            return KeyValues.of("job", callback.getMethod().replaceAll(".*\\$", "").replace("()", ""));
        }
    }
}
