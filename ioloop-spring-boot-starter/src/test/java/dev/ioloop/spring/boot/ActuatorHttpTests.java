package dev.ioloop.spring.boot;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

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
import org.springframework.test.web.servlet.client.ExchangeResult;
import org.springframework.test.web.servlet.client.RestTestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The starter in a real web application, read over HTTP: health, the ioloop endpoint and Prometheus.
 */
@SpringBootTest(classes = ActuatorHttpTests.App.class, webEnvironment = WebEnvironment.RANDOM_PORT, properties = {
        "management.endpoints.web.exposure.include=health,ioloop,prometheus",
        "management.endpoint.health.show-details=always",
        "management.endpoint.health.show-components=always",
        "management.endpoint.health.group.liveness.include=livenessState,ioloop",
        "management.endpoint.health.probes.add-additional-paths=true",
        "management.metrics.distribution.percentiles.ioloop.lag=0.5,0.99",
        "ioloop.group.enabled=true", "ioloop.group.threads=2",
        "ioloop.metrics.lag.interval=10ms",
        "ioloop.health.lag-threshold=2s", // far above a loaded machine's hiccups: UP must stay UP
        "ioloop.watchdog.threshold=100ms" })
@AutoConfigureRestTestClient
class ActuatorHttpTests {

    private static final Duration WAIT = Duration.ofSeconds(30);

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
    void prometheusExposesEveryMeter() {
        await().atMost(WAIT).until(() -> body("/actuator/prometheus").contains("ioloop_periodic_seconds_count"));
        String text = body("/actuator/prometheus");
        assertThat(text).contains("ioloop_lag_seconds{loop=\"main\",quantile=\"0.99\"}")
            .contains("ioloop_lag_seconds_count{loop=\"ioloop-2\"}")
            .contains("ioloop_lag_seconds_max{loop=\"main\"}")
            .contains("ioloop_utilization{loop=\"main\"}")
            .contains("ioloop_callbacks_pending_callbacks{loop=\"main\"}")
            .contains("ioloop_timeouts_pending_timeouts{loop=\"main\"}")
            .contains("ioloop_handlers{loop=\"main\"}")
            .contains("ioloop_callbacks_total{loop=\"main\"}")
            .contains("ioloop_callback_errors_total{loop=\"main\"}")
            .contains("ioloop_blocked_events_total{loop=\"main\"}")
            .contains("ioloop_periodic_seconds_count{callback=\"heartbeat#beat\",loop=\"main\"}")
            .contains("ioloop_periodic_skipped_periods_total{callback=\"heartbeat#beat\",loop=\"main\"}")
            .contains("ioloop_periodic_errors_total{callback=\"heartbeat#beat\",loop=\"main\"}");
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
                    "ioloop_blocked_events_total{loop=\"main\"}") >= 1);
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
                "ioloop_lag_seconds_max{loop=\"main\"}") >= 2.0);
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
    static class App {

        @Bean
        Heartbeat heartbeat() {
            return new Heartbeat();
        }
    }

    static class Heartbeat {

        @PeriodicCallback(period = "20ms")
        void beat() {
        }
    }
}
