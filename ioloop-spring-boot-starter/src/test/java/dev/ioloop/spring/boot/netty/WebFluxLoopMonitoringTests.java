package dev.ioloop.spring.boot.netty;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.jayway.jsonpath.JsonPath;
import dev.ioloop.spring.boot.lifecycle.ManagedLoop;
import dev.ioloop.spring.boot.lifecycle.MonitoredLoops;
import org.awaitility.core.ConditionTimeoutException;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.awaitility.Awaitility.await;

/**
 * A WebFlux application on Reactor Netty, seen over HTTP as its operators see it: each of the server's event loops is
 * monitored (health component, {@code ioloop} endpoint entry, Prometheus series), and a request handler that blocks
 * its event loop gets a blocked-loop report with the handler's frame, lag above the block and health DOWN, then UP
 * once it returns. The control requests travel on one keep-alive connection served by another event loop, so they
 * are answered while the blocked loop is stuck. Subclasses choose the transport.
 */
abstract class WebFluxLoopMonitoringTests {

    /** {@code ioloop.metrics.lag.interval} in every subclass' properties. */
    static final long LAG_INTERVAL_MILLIS = 20;

    private static final Duration WAIT = Duration.ofSeconds(30);

    @LocalServerPort
    private int port;

    @Autowired
    private BlockingController controller;

    @Autowired
    private MonitoredLoops monitoredLoops;

    /** @return how the server's event-loop threads are named */
    abstract String threadPrefix();

    /** @return how many event loops the server runs */
    abstract int eventLoops();

    @Test
    void everyEventLoopOfTheServerHasAHealthComponentAnEndpointEntryAndMeters() throws Exception {
        List<String> attached = this.monitoredLoops.loops().stream().map(ManagedLoop::name)
            .filter((name) -> name.startsWith(threadPrefix())).toList();
        assertThat(attached).hasSize(eventLoops());
        try (KeepAliveConnection control = new KeepAliveConnection(this.port)) {
            List<String> listed = JsonPath.read(control.get("/actuator/ioloop").body(), "$.loops[*].name");
            assertThat(listed).containsAll(attached).contains("main").hasSize(eventLoops() + 1);
            for (String name : attached) {
                await().atMost(WAIT).until(() -> control.get("/actuator/health/ioloop/" + name).status() == 200);
                String health = control.get("/actuator/health/ioloop/" + name).body();
                assertThat(JsonPath.<String>read(health, "$.details.thread")).isEqualTo(name);
                String entry = control.get("/actuator/ioloop/" + name).body();
                assertThat(JsonPath.<String>read(entry, "$.stats.backend")).isEqualTo("netty-attached");
                assertThat(JsonPath.<String>read(entry, "$.state")).isEqualTo("RUNNING");
            }
            await().atMost(WAIT).untilAsserted(() -> {
                String prometheus = control.get("/actuator/prometheus").body();
                for (String name : attached) {
                    assertThat(value(prometheus, "ioloop_lag_seconds_count", name)).isPositive();
                    assertThat(value(prometheus, "ioloop_blocked_total", name)).isNotNegative();
                }
            });
        }
    }

    @Test
    void aHandlerThatBlocksItsEventLoopIsReportedWithItsFrameLagsAndIsDownUntilItReturns() throws Exception {
        try (KeepAliveConnection control = new KeepAliveConnection(this.port)) {
            String controlLoop = control.get("/whoami").body();
            assertThat(controlLoop).startsWith(threadPrefix());
            try (KeepAliveConnection blocking = connectionOnAnotherLoop(controlLoop)) {
                String blockedLoop = blocking.get("/whoami").body();
                blocking.send("/block");
                try {
                    assertThat(this.controller.started.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
                    await().atMost(WAIT)
                        .until(() -> control.get("/actuator/health/ioloop/" + blockedLoop).status() == 503);
                    assertThat(JsonPath.<String>read(control.get("/actuator/health").body(), "$.status"))
                        .isEqualTo("DOWN");
                    // The report taken while the handler blocks (the loop may have reported other, earlier waits).
                    Map<String, Object> report = awaitHandlerReport(control, blockedLoop);
                    assertThat(report.get("thread")).isEqualTo(blockedLoop);
                    assertThat(((Number) report.get("blockedMillis")).longValue()).isGreaterThanOrEqualTo(200);
                }
                finally {
                    // also when an assertion above failed: the other test of the class needs every loop unblocked
                    this.controller.release.countDown();
                }
                assertThat(blocking.read().body()).isEqualTo("released");
                await().atMost(WAIT).until(() -> control.get("/actuator/health/ioloop/" + blockedLoop).status() == 200);
                // Lag: the probe armed before the block (at most one interval before its deadline) fired after it.
                double blockedSeconds = this.controller.blockedNanos.get() / 1e9;
                double lagFloor = blockedSeconds - LAG_INTERVAL_MILLIS / 1000.0;
                await().atMost(WAIT).untilAsserted(() -> {
                    String prometheus = control.get("/actuator/prometheus").body();
                    assertThat(value(prometheus, "ioloop_lag_seconds_max", blockedLoop)).isGreaterThanOrEqualTo(lagFloor);
                    assertThat(value(prometheus, "ioloop_blocked_total", blockedLoop)).isGreaterThanOrEqualTo(1);
                });
            }
        }
    }

    /**
     * Waits for the loop's report that holds the blocking handler's frame; on timeout fails with what the loop
     * reported and what its thread and the watchdog's are doing, so that a failure on a loaded machine says why.
     */
    private static Map<String, Object> awaitHandlerReport(KeepAliveConnection control, String loop) {
        AtomicReference<String> lastAnswer = new AtomicReference<>("{}");
        AtomicLong answeredAt = new AtomicLong(System.nanoTime());
        try {
            return await().atMost(WAIT).until(() -> {
                String body = control.get("/actuator/ioloop/" + loop).body();
                lastAnswer.set(body);
                answeredAt.set(System.nanoTime());
                return handlerReport(body);
            }, Objects::nonNull);
        }
        catch (ConditionTimeoutException ex) {
            throw new AssertionError("No blocked-loop report of " + loop + " holds the handler's frame. Last answer ("
                    + (System.nanoTime() - answeredAt.get()) / 1_000_000 + " ms ago): " + reportsIn(lastAnswer.get())
                    + "; now: " + stackOf(loop) + "; " + stackOf("ioloop-watchdog"), ex);
        }
    }

    private static String reportsIn(String answer) {
        try {
            List<Map<String, Object>> reports = JsonPath.read(answer, "$.blockedReports[*]");
            return reports.stream().map((report) -> {
                @SuppressWarnings("unchecked")
                List<String> stack = (List<String>) report.get("stack");
                return report.get("time") + " " + report.get("blockedMillis") + " ms at "
                        + stack.subList(0, Math.min(8, stack.size()));
            }).toList().toString();
        }
        catch (RuntimeException ex) {
            return "(unreadable: " + answer + ")";
        }
    }

    private static String stackOf(String threadName) {
        return Thread.getAllStackTraces().entrySet().stream().filter((entry) -> entry.getKey().getName().equals(threadName))
            .map((entry) -> threadName + " " + entry.getKey().getState() + " at "
                    + List.of(entry.getValue()).subList(0, Math.min(8, entry.getValue().length)))
            .findFirst().orElse(threadName + " not found");
    }

    /** The loop's blocked-loop report whose stack holds the blocking handler's frame, or null if none yet. */
    private static @Nullable Map<String, Object> handlerReport(String body) {
        List<Map<String, Object>> reports = JsonPath.read(body, "$.blockedReports[*]");
        for (Map<String, Object> report : reports) {
            @SuppressWarnings("unchecked")
            List<String> stack = (List<String>) report.get("stack");
            if (stack.stream().anyMatch((frame) -> frame.contains(BlockingController.class.getName() + ".block("))) {
                return report;
            }
        }
        return null;
    }

    /** A new keep-alive connection that the server serves on another event loop than {@code loop}. */
    private KeepAliveConnection connectionOnAnotherLoop(String loop) throws Exception {
        for (int attempt = 0; attempt < 50; attempt++) {
            KeepAliveConnection connection = new KeepAliveConnection(this.port);
            if (!connection.get("/whoami").body().equals(loop)) {
                return connection;
            }
            connection.close();
        }
        return fail("every new connection was served by event loop " + loop);
    }

    /** The value of one Prometheus sample of the loop {@code name}, or -1 if the scrape has none. */
    private static double value(String prometheus, String metric, String name) {
        Matcher sample = Pattern.compile("(?m)^" + metric + "\\{[^}]*name=\"" + Pattern.quote(name) + "\"[^}]*} (\\S+)$")
            .matcher(prometheus);
        return sample.find() ? Double.parseDouble(sample.group(1)) : -1;
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class App {

        @Bean
        BlockingController blockingController() {
            return new BlockingController();
        }
    }

    /** Runs on the server's event loops, as every WebFlux handler does unless it switches schedulers. */
    @RestController
    static class BlockingController {

        final CountDownLatch started = new CountDownLatch(1);

        final CountDownLatch release = new CountDownLatch(1);

        final AtomicLong blockedNanos = new AtomicLong();

        @GetMapping("/whoami")
        String whoami() {
            return Thread.currentThread().getName();
        }

        /**
         * Blocks its event loop until the test releases it: what a JDBC call in a WebFlux handler does. Gives up
         * only after every wait of the test that precedes the release could have run out.
         */
        @GetMapping("/block")
        String block() throws InterruptedException {
            long began = System.nanoTime();
            this.started.countDown();
            boolean released = this.release.await(3 * WAIT.toSeconds(), TimeUnit.SECONDS);
            this.blockedNanos.set(System.nanoTime() - began);
            return released ? "released" : "timed out";
        }
    }
}
