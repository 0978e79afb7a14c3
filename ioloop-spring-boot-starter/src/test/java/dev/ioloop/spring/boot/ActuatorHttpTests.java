package dev.ioloop.spring.boot;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import com.jayway.jsonpath.JsonPath;
import dev.ioloop.IOLoop;
import dev.ioloop.spring.boot.scheduling.PeriodicCallback;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.resttestclient.autoconfigure.AutoConfigureRestTestClient;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.context.annotation.Bean;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.test.web.servlet.client.ExchangeResult;
import org.springframework.test.web.servlet.client.RestTestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The starter in a real web application, read over HTTP: health, the ioloop endpoint and Prometheus.
 */
@SpringBootTest(classes = ActuatorHttpTests.App.class, webEnvironment = WebEnvironment.RANDOM_PORT, properties = {
        "management.endpoints.web.exposure.include=health,ioloop,prometheus,scheduledtasks",
        "management.endpoint.health.show-details=always",
        "management.endpoint.health.show-components=always",
        "management.endpoint.health.group.liveness.include=livenessState,ioloop",
        "management.endpoint.health.probes.add-additional-paths=true",
        "management.metrics.distribution.percentiles.ioloop.lag=0.5,0.99",
        "management.metrics.tags.region=test",
        "ioloop.metrics.utilization.window=1s",
        "ioloop.group.enabled=true", "ioloop.group.threads=2",
        "ioloop.metrics.lag.interval=10ms",
        "ioloop.health.lag-threshold=2s", // far above a loaded machine's hiccups: UP must stay UP
        "ioloop.watchdog.threshold=100ms" })
@AutoConfigureRestTestClient
class ActuatorHttpTests {

    private static final Duration WAIT = Duration.ofSeconds(30);

    /** Reads per scraper: enough to tell a gauge that moves at each read from one that moves once a second. */
    private static final int MIN_SCRAPES = 12;

    @Autowired
    private RestTestClient client;

    @Autowired
    private IOLoop loop;

    @Test
    void healthHasOneUpComponentPerLoop() {
        await().atMost(WAIT).until(() -> get("/actuator/health").getStatus().value() == 200);
        this.client.get().uri("/actuator/health").exchange().expectStatus().isOk().expectBody()
            .jsonPath("$.components.ioloop.status").isEqualTo("UP")
            .jsonPath("$.components.ioloop.components.main.status").isEqualTo("UP")
            .jsonPath("$.components.ioloop.components.main.details.thread").isEqualTo("ioloop-main")
            .jsonPath("$.components.ioloop.components['ioloop-1'].status").isEqualTo("UP")
            .jsonPath("$.components.ioloop.components['ioloop-2'].status").isEqualTo("UP");
        this.client.get().uri("/actuator/health/ioloop/main").exchange().expectStatus().isOk().expectBody()
            .jsonPath("$.status").isEqualTo("UP")
            .jsonPath("$.details.lagThresholdMillis").isEqualTo(2000);
    }

    @Test
    void livenessGroupIncludesTheLoops() {
        await().atMost(WAIT).until(() -> get("/actuator/health/liveness").getStatus().value() == 200);
        this.client.get().uri("/actuator/health/liveness").exchange().expectStatus().isOk().expectBody()
            .jsonPath("$.components.livenessState.status").isEqualTo("UP")
            .jsonPath("$.components.ioloop.components.main.status").isEqualTo("UP");
        this.client.get().uri("/livez").exchange().expectStatus().isOk().expectBody()
            .jsonPath("$.components.ioloop.status").isEqualTo("UP");
    }

    @Test
    void ioloopEndpointListsLoopsWithTheirPeriodicCallbacks() {
        await().atMost(WAIT).until(() -> JsonPath.<Integer>read(body("/actuator/ioloop/main"),
                "$.periodicCallbacks[0].runs") >= 1);
        this.client.get().uri("/actuator/ioloop").exchange().expectStatus().isOk().expectBody()
            .jsonPath("$.state").isEqualTo("RUNNING")
            .jsonPath("$.loops[*].name").isEqualTo(List.of("main", "ioloop-1", "ioloop-2"))
            .jsonPath("$.loops[0].thread").isEqualTo("ioloop-main")
            .jsonPath("$.loops[0].periodicCallbacks[0].callback").isEqualTo("heartbeat#beat")
            .jsonPath("$.loops[0].periodicCallbacks[0].period").isEqualTo("PT0.02S")
            .jsonPath("$.loops[0].stats.callbacksRun").isNotEmpty();
        this.client.get().uri("/actuator/ioloop/ioloop-2").exchange().expectStatus().isOk().expectBody()
            .jsonPath("$.name").isEqualTo("ioloop-2")
            .jsonPath("$.thread").isEqualTo("ioloop-2");
        this.client.get().uri("/actuator/ioloop/nope").exchange().expectStatus().isNotFound();
    }

    @Test
    void scheduledTasksListsPeriodicCallbacksNextToScheduledMethodsWithTheirLastExecutionAndOutcome() {
        String target = Heartbeat.class.getName() + ".";
        await().atMost(WAIT).until(() -> {
            String body = body("/actuator/scheduledtasks");
            return JsonPath.<List<String>>read(body, "$.fixedRate[?(@.lastExecution.status == 'SUCCESS')].runnable.target")
                .containsAll(List.of(target + "beat", target + "scheduledBeat"))
                    && !JsonPath.<List<?>>read(body, "$.fixedRate[?(@.lastExecution.status == 'ERROR')]").isEmpty();
        });
        String body = body("/actuator/scheduledtasks");
        // The @PeriodicCallback: its period, its first delay (one period when none is set), its last execution.
        // (Its next execution is checked on the hourly callback below: Spring leaves nextExecution out while a run
        // is due, which a 20ms callback on a loaded machine often is.)
        List<Map<String, Object>> beats = JsonPath.read(body, "$.fixedRate[?(@.runnable.target == '" + target
                + "beat')]");
        assertThat(beats).singleElement().satisfies((beat) -> {
            assertThat(beat).containsEntry("interval", 20).containsEntry("initialDelay", 20);
            assertThat(JsonPath.<String>read(beat, "$.lastExecution.time")).isNotBlank();
        });
        // The @Scheduled method of the same bean, listed by Spring's own holder.
        assertThat(JsonPath.<List<Integer>>read(body, "$.fixedRate[?(@.runnable.target == '" + target
                + "scheduledBeat')].interval")).containsExactly(50);
        // A failing callback: its outcome and exception, as for a failing @Scheduled method.
        List<Map<String, Object>> failed = JsonPath.read(body, "$.fixedRate[?(@.runnable.target == '"
                + Failing.class.getName() + ".fail')]");
        assertThat(failed).singleElement().satisfies((fail) -> {
            assertThat(JsonPath.<String>read(fail, "$.lastExecution.status")).isEqualTo("ERROR");
            assertThat(JsonPath.<String>read(fail, "$.lastExecution.exception.type"))
                .isEqualTo(IllegalStateException.class.getName());
            assertThat(JsonPath.<String>read(fail, "$.lastExecution.exception.message"))
                .isEqualTo("expected by the test");
            assertThat(fail).containsEntry("initialDelay", 0).containsEntry("interval", 3_600_000);
            // Its next execution: one period after its run started (less the moments between the two clock reads).
            Instant last = Instant.parse(JsonPath.read(fail, "$.lastExecution.time"));
            Instant next = Instant.parse(JsonPath.read(fail, "$.nextExecution.time"));
            assertThat(Duration.between(last, next)).isBetween(Duration.ofMinutes(59), Duration.ofMinutes(61));
        });
    }

    @Test
    void prometheusExposesEveryMeterUnderANameThatDoesNotRepeatItself() {
        await().atMost(WAIT).until(() -> body("/actuator/prometheus").contains("ioloop_periodic_seconds_count"));
        String text = body("/actuator/prometheus");
        // region is Boot's management.metrics.tags.* common tag; quantile comes last.
        assertThat(text).contains("ioloop_lag_seconds{name=\"main\",region=\"test\",quantile=\"0.99\"}")
            .contains("ioloop_lag_seconds_count{name=\"ioloop-2\",region=\"test\"}")
            .contains("ioloop_lag_seconds_max{name=\"main\",region=\"test\"}")
            .contains("ioloop_busy_seconds_total{name=\"main\",region=\"test\"}")
            .contains("ioloop_idle_seconds_total{name=\"main\",region=\"test\"}")
            .contains("ioloop_utilization{name=\"main\",region=\"test\"}")
            .contains("ioloop_callbacks_pending{name=\"main\",region=\"test\"}")
            .contains("ioloop_timeouts_pending{name=\"main\",region=\"test\"}")
            .contains("ioloop_handlers{name=\"main\",region=\"test\"}")
            .contains("ioloop_callbacks_total{name=\"main\",region=\"test\"}")
            .contains("ioloop_callbacks_errors_total{name=\"main\",region=\"test\"}")
            .contains("ioloop_blocked_total{name=\"main\",region=\"test\"}")
            .contains("ioloop_periodic_skipped_total{callback=\"heartbeat#beat\",name=\"main\",region=\"test\"}");
        // One timer for the runs, from their Observation, with the outcome instead of a separate errors counter.
        assertThat(text).contains("ioloop_periodic_seconds_count{callback=\"heartbeat#beat\",error=\"none\","
                + "exception=\"none\",name=\"main\",outcome=\"SUCCESS\",region=\"test\"}");
        await().atMost(WAIT).until(() -> body("/actuator/prometheus").contains("ioloop_periodic_seconds_count{"
                + "callback=\"failing#fail\",error=\"IllegalStateException\",exception=\"IllegalStateException\","
                + "name=\"ioloop-1\",outcome=\"ERROR\",region=\"test\"} 1"));
        assertThat(text).doesNotContain("ioloop_periodic_errors");
        assertThat(text).contains("ioloop_periodic_active_seconds_count{callback=\"heartbeat#beat\",exception=\"none\","
                + "name=\"main\",outcome=\"UNKNOWN\",region=\"test\"}");
        assertThat(text.lines().filter((line) -> line.startsWith("ioloop_")))
            .noneMatch((line) -> line.matches("ioloop_(\\w+)_(callbacks|timeouts|events|periods|errors)_\\1.*"))
            .noneMatch((line) -> line.contains("pending_callbacks") || line.contains("pending_timeouts")
                    || line.contains("_events_total") || line.contains("_periods_total") || line.contains("loop=\""));
    }

    @Test
    void twoScrapersAtOnceReadMonotonicBusyAndIdleCountersThatAgreeAndAGaugeTheyDoNotMove() throws Exception {
        await().atMost(WAIT).until(() -> get("/actuator/prometheus").getStatus().value() == 200);
        AtomicBoolean working = new AtomicBoolean(true);
        dutyCycle(working); // busy about half of each 10ms on the main loop while the scrapers read
        ExecutorService scrapers = Executors.newFixedThreadPool(2);
        try {
            List<Future<Scrapes>> runs = List.of(scrapers.submit(this::scrapeFor3Seconds),
                    scrapers.submit(this::scrapeFor3Seconds));
            Scrapes first = runs.get(0).get(120, TimeUnit.SECONDS);
            Scrapes second = runs.get(1).get(120, TimeUnit.SECONDS);
            double[] utilization = { utilization(first.samples()), utilization(second.samples()) };
            for (Scrapes scrapes : List.of(first, second)) {
                List<double[]> samples = scrapes.samples();
                assertThat(samples).hasSizeGreaterThanOrEqualTo(MIN_SCRAPES);
                for (int i = 1; i < samples.size(); i++) {
                    assertThat(samples.get(i)[0]).as("busy never goes down").isGreaterThanOrEqualTo(samples.get(i - 1)[0]);
                    assertThat(samples.get(i)[1]).as("idle never goes down").isGreaterThanOrEqualTo(samples.get(i - 1)[1]);
                }
                // A 1s window: the gauge takes a new value once a second, not at each read. (Scrapes slowed down by a
                // loaded machine read for longer: the bound follows the time actually spent reading.)
                long seconds = (long) Math.ceil(scrapes.nanos() / 1e9);
                assertThat(samples.stream().map((sample) -> sample[2]).distinct().count())
                    .as("distinct ioloop.utilization values in %d reads over %d ms", samples.size(),
                            scrapes.nanos() / 1_000_000)
                    .isLessThanOrEqualTo(seconds + 2);
            }
            // Each scraper's own rate over the same seconds: both see the loop about half busy, and agree.
            assertThat(utilization[0]).isBetween(0.1, 0.95);
            assertThat(utilization[1]).isBetween(0.1, 0.95);
            assertThat(Math.abs(utilization[0] - utilization[1])).isLessThan(0.15);
        }
        finally {
            working.set(false);
            scrapers.shutdownNow();
        }
    }

    /**
     * Each sample is {busy seconds, idle seconds, utilization gauge} of loop main.
     * @param samples the samples, in order
     * @param nanos how long the reads took
     */
    private record Scrapes(List<double[]> samples, long nanos) {
    }

    /** Scrapes for about 3 seconds, and on until {@link #MIN_SCRAPES} reads (a loaded machine answers slowly). */
    private Scrapes scrapeFor3Seconds() {
        List<double[]> samples = new ArrayList<>();
        long start = System.nanoTime();
        long end = start + TimeUnit.SECONDS.toNanos(3);
        while (System.nanoTime() - end < 0 || samples.size() < MIN_SCRAPES) {
            String text = body("/actuator/prometheus");
            samples.add(new double[] { metric(text, "ioloop_busy_seconds_total{name=\"main\",region=\"test\"}"),
                    metric(text, "ioloop_idle_seconds_total{name=\"main\",region=\"test\"}"),
                    metric(text, "ioloop_utilization{name=\"main\",region=\"test\"}") });
        }
        return new Scrapes(samples, System.nanoTime() - start);
    }

    private static double utilization(List<double[]> samples) {
        double[] first = samples.get(0);
        double[] last = samples.get(samples.size() - 1);
        double busy = last[0] - first[0];
        double idle = last[1] - first[1];
        return busy / (busy + idle);
    }

    /** Spins 5ms, then waits 5ms, on the main loop, until told to stop. */
    private void dutyCycle(AtomicBoolean working) {
        this.loop.addCallback(() -> {
            if (!working.get()) {
                return;
            }
            long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(5);
            while (System.nanoTime() - end < 0) {
                Thread.onSpinWait();
            }
            this.loop.callLater(Duration.ofMillis(5), () -> dutyCycle(working));
        });
    }

    @Test
    void blockedLoopTurnsHealthDownAndShowsInLagBlockedAndTheEndpoint() {
        await().atMost(WAIT).until(() -> get("/actuator/health/ioloop/main").getStatus().value() == 200);
        CountDownLatch release = new CountDownLatch(1);
        this.loop.addCallback(() -> blockTheMainLoop(release));
        try {
            await().atMost(WAIT).until(() -> get("/actuator/health/ioloop/main").getStatus().value() == 503);
            this.client.get().uri("/actuator/health/ioloop/main").exchange().expectStatus().isEqualTo(503)
                .expectBody()
                .jsonPath("$.status").isEqualTo("DOWN")
                .jsonPath("$.details.threadState").isEqualTo("TIMED_WAITING");
            this.client.get().uri("/actuator/health").exchange().expectStatus().isEqualTo(503);
            this.client.get().uri("/actuator/health/liveness").exchange().expectStatus().isEqualTo(503)
                .expectBody()
                .jsonPath("$.components.ioloop.components.main.status").isEqualTo("DOWN");
            this.client.get().uri("/livez").exchange().expectStatus().isEqualTo(503);
            await().atMost(WAIT).until(() -> metric(body("/actuator/prometheus"),
                    "ioloop_blocked_total{name=\"main\",region=\"test\"}") >= 1);
            await().atMost(WAIT).until(() -> !JsonPath.<List<?>>read(body("/actuator/ioloop/main"),
                    "$.blockedReports").isEmpty());
            // Any report: a slow iteration at startup on a loaded machine may have been reported first.
            List<String> frames = JsonPath.read(body("/actuator/ioloop/main"), "$.blockedReports[*].stack[*]");
            assertThat(frames).anySatisfy((frame) -> assertThat(frame).contains("blockTheMainLoop"));
        }
        finally {
            release.countDown();
        }
        await().atMost(WAIT).until(() -> get("/actuator/health/ioloop/main").getStatus().value() == 200);
        await().atMost(WAIT).until(() -> metric(body("/actuator/prometheus"),
                "ioloop_lag_seconds_max{name=\"main\",region=\"test\"}") >= 2.0);
    }

    private static void blockTheMainLoop(CountDownLatch release) {
        try {
            release.await(30, TimeUnit.SECONDS);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }

    private ExchangeResult get(String uri) {
        return this.client.get().uri(uri).exchange().returnResult(String.class);
    }

    private String body(String uri) {
        return this.client.get().uri(uri).exchange().returnResult(String.class).getResponseBody();
    }

    private static double metric(String text, String series) {
        return text.lines()
            .filter((line) -> line.startsWith(series + " "))
            .mapToDouble((line) -> Double.parseDouble(line.substring(series.length() + 1).trim()))
            .findFirst()
            .orElse(-1);
    }

    @SpringBootConfiguration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    @EnableScheduling
    static class App {

        @Bean
        Heartbeat heartbeat() {
            return new Heartbeat();
        }

        @Bean
        Failing failing() {
            return new Failing();
        }
    }

    static class Heartbeat {

        @PeriodicCallback(period = "20ms")
        void beat() {
        }

        @Scheduled(fixedRate = 50)
        void scheduledBeat() {
        }
    }

    static class Failing {

        @PeriodicCallback(period = "1h", initialDelay = "0ms", loop = "ioloop-1")
        void fail() {
            throw new IllegalStateException("expected by the test");
        }
    }
}
