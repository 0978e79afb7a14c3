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

                assertPipelinedIncrsCountUp(connection);
            } finally {
                client.shutdown(Duration.ZERO, Duration.ofSeconds(10));
            }
        }
    }

    /** 1,000 INCRs of a fresh key sent in one flush come back 1..1000, in order. */
    static void assertPipelinedIncrsCountUp(StatefulRedisConnection<String, String> connection) throws Exception {
        RedisAsyncCommands<String, String> async = connection.async();
        connection.setAutoFlushCommands(false);
        List<RedisFuture<Long>> futures = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            futures.add(async.incr("counter"));
        }
        connection.flushCommands();
        connection.setAutoFlushCommands(true);
        assertThat(LettuceFutures.awaitAll(Duration.ofSeconds(30), futures.toArray(new RedisFuture[0]))).isTrue();
        for (int i = 0; i < futures.size(); i++) {
            assertThat(futures.get(i).get()).isEqualTo(i + 1L);
        }
    }

    @Test
    void lettuceUsesSetsHashesSortedSetsAndStreams() throws Exception {
        try (RunningServer running = new RunningServer(new RedisServerProperties(), StoreClock.system())) {
            RedisClient client = RedisClient.create("redis://127.0.0.1:" + running.server().port());
            try (StatefulRedisConnection<String, String> connection = client.connect()) {
                RedisCommands<String, String> sync = connection.sync();
                assertThat(sync.sadd("s", "a", "b", "a")).isEqualTo(2L);
                assertThat(sync.smembers("s")).containsExactlyInAnyOrder("a", "b");
                assertThat(sync.spop("s", 5)).containsExactlyInAnyOrder("a", "b");
                assertThat(sync.exists("s")).isZero();
                assertThat(sync.hset("h", java.util.Map.of("f1", "v1", "f2", "v2"))).isEqualTo(2L);
                assertThat(sync.hgetall("h")).containsEntry("f1", "v1").containsEntry("f2", "v2").hasSize(2);
                assertThat(sync.zadd("z", 2.5, "b", 1.0, "a")).isEqualTo(2L);
                assertThat(sync.zscore("z", "b")).isEqualTo(2.5);
                assertThat(sync.zrange("z", 0, -1)).containsExactly("a", "b");
                assertThat(sync.zpopmin("z").getValue()).isEqualTo("a");
                assertThat(sync.type("h")).isEqualTo("hash");
                assertThat(sync.type("z")).isEqualTo("zset");

                // auto IDs from a pipelined burst: strictly increasing, as Redis's ms-seq scheme promises
                RedisAsyncCommands<String, String> async = connection.async();
                long before = System.currentTimeMillis();
                connection.setAutoFlushCommands(false);
                List<RedisFuture<String>> ids = new ArrayList<>();
                for (int i = 0; i < 1000; i++) {
                    ids.add(async.xadd("x", java.util.Map.of("n", Integer.toString(i))));
                }
                connection.flushCommands();
                assertThat(LettuceFutures.awaitAll(Duration.ofSeconds(30), ids.toArray(new RedisFuture[0]))).isTrue();
                connection.setAutoFlushCommands(true);
                for (int i = 1; i < ids.size(); i++) {
                    assertThat(compareIds(ids.get(i - 1).get(), ids.get(i).get())).as("id %d", i).isNegative();
                }
                // Unix milliseconds, as Redis's mstime(), not the store's monotonic expiry clock
                assertThat(Long.parseLong(ids.get(0).get().split("-")[0])).isGreaterThanOrEqualTo(before);
                assertThat(sync.xlen("x")).isEqualTo(1000L);
                assertThat(sync.type("x")).isEqualTo("stream");
            } finally {
                client.shutdown(Duration.ZERO, Duration.ofSeconds(10));
            }
        }
    }

    private static int compareIds(String a, String b) {
        String[] x = a.split("-");
        String[] y = b.split("-");
        int c = Long.compareUnsigned(Long.parseUnsignedLong(x[0]), Long.parseUnsignedLong(y[0]));
        return c != 0 ? c : Long.compareUnsigned(Long.parseUnsignedLong(x[1]), Long.parseUnsignedLong(y[1]));
    }
}
