package dev.ioloop.sample.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ioloop.sample.store.StoreClock;
import dev.ioloop.sample.testing.RunningServer;
import io.lettuce.core.LettuceFutures;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.api.sync.RedisCommands;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Lettuce, Spring Boot's default Redis client, against the server: it opens with HELLO 3, gets Redis 5's
 * "unknown command" answer, falls back to RESP2, and then works synchronously and with async pipelining.
 */
class LettuceClientTests {

    @Test
    void lettuceConnectsAndPipelinesOverResp2() throws Exception {
        try (RunningServer running = new RunningServer(new RedisServerProperties(), StoreClock.system())) {
            RedisClient client = RedisClient.create("redis://127.0.0.1:" + running.server().port());
            try (StatefulRedisConnection<String, String> connection = client.connect()) {
                RedisCommands<String, String> sync = connection.sync();
                assertThat(sync.ping()).isEqualTo("PONG");
                assertThat(sync.set("k", "v")).isEqualTo("OK");
                assertThat(sync.get("k")).isEqualTo("v");
                assertThat(sync.rpush("l", "a", "b")).isEqualTo(2L);
                assertThat(sync.lrange("l", 0, -1)).containsExactly("a", "b");

                RedisAsyncCommands<String, String> async = connection.async();
                connection.setAutoFlushCommands(false);
                List<RedisFuture<Long>> futures = new ArrayList<>();
                for (int i = 0; i < 1000; i++) {
                    futures.add(async.incr("counter"));
                }
                connection.flushCommands();
                assertThat(LettuceFutures.awaitAll(Duration.ofSeconds(30), futures.toArray(new RedisFuture[0]))).isTrue();
                for (int i = 0; i < futures.size(); i++) {
                    assertThat(futures.get(i).get()).isEqualTo(i + 1L);
                }
            } finally {
                client.shutdown(Duration.ZERO, Duration.ofSeconds(10));
            }
        }
    }
}
