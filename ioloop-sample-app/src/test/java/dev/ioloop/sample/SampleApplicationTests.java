package dev.ioloop.sample;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ioloop.sample.server.RedisServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.boot.test.web.server.LocalServerPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;

/**
 * The whole application over real HTTP and real Redis connections: actuator health, metrics and
 * {@code /actuator/prometheus} answer while Jedis clients keep the server busy; the keyspace gauge moves only
 * because the starter's {@code @PeriodicCallback} runs the server cron.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"sample.redis.port=0", "sample.redis.hz=50"})
@DirtiesContext // close this context after the class, so two never share IOLoop.instance()
class SampleApplicationTests {

    @LocalServerPort
    int httpPort;

    @Autowired
    RedisServer server;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    @Test
    void actuatorAnswersOverHttpWhileTheServerIsUnderLoad() throws Exception {
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong acknowledged = new AtomicLong();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        List<Future<?>> load = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            int id = t;
            load.add(pool.submit(() -> {
                try (Jedis jedis = new Jedis("127.0.0.1", server.port())) {
                    for (int round = 0; !stop.get(); round++) {
                        Pipeline p = jedis.pipelined();
                        for (int i = 0; i < 100; i++) {
                            p.set("load:" + id + ":" + (i % 50), "v" + round);
                            p.incr("load:counter");
                        }
                        p.sync();
                        acknowledged.addAndGet(200);
                    }
                }
                return null;
            }));
        }
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (acknowledged.get() < 20_000 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertThat(acknowledged.get()).as("load is running").isGreaterThanOrEqualTo(20_000);
            for (int i = 0; i < 5; i++) {
                HttpResponse<String> health = get("/actuator/health");
                assertThat(health.statusCode()).isEqualTo(200);
                assertThat(health.body()).contains("\"status\":\"UP\"").contains("\"redisServer\"")
                        .contains("\"connectedClients\"").contains("\"ioloop\"");
                HttpResponse<String> prometheus = get("/actuator/prometheus");
                assertThat(prometheus.statusCode()).isEqualTo(200);
                assertThat(prometheus.body()).contains("redis_commands_total").contains("redis_clients_connected_clients 4.0")
                        .contains("redis_keyspace_keys ").contains("redis_net_input_bytes_total")
                        .contains("# HELP redis_commands_total Commands run.").contains("ioloop_lag_seconds");
            }
            // the keyspace gauge is published by the cron (hz=50): 4 threads x 50 keys + the counter
            long deadlineKeys = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            String keys = "";
            while (System.nanoTime() < deadlineKeys) {
                keys = get("/actuator/metrics/redis.keyspace.keys").body();
                if (keys.contains("\"value\":201.0")) {
                    break;
                }
                Thread.sleep(20);
            }
            assertThat(keys).contains("\"value\":201.0");
        } finally {
            stop.set(true);
            for (Future<?> f : load) {
                f.get(30, TimeUnit.SECONDS);
            }
            pool.shutdownNow();
        }
        assertThat(get("/actuator/info").statusCode()).isEqualTo(200);
        HttpResponse<String> ioloop = get("/actuator/ioloop");
        assertThat(ioloop.statusCode()).isEqualTo(200);
        assertThat(ioloop.body()).contains("main").contains("RedisServerCron");
        try (Jedis jedis = new Jedis("127.0.0.1", server.port())) {
            assertThat(Long.parseLong(jedis.get("load:counter"))).isEqualTo(acknowledged.get() / 2);
        }
    }

    private HttpResponse<String> get(String path) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + path))
                .timeout(Duration.ofSeconds(30)).GET().build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }
}
