package dev.ioloop.sample.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ioloop.sample.store.StoreClock;
import dev.ioloop.sample.testing.RunningServer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Transaction;

/**
 * WATCH/MULTI/EXEC races from several Jedis clients: each increments a shared counter optimistically (WATCH, GET,
 * MULTI, SET, EXEC, retry on a null EXEC), and a transfer between two keys keeps their sum. Nothing may be lost
 * (every successful EXEC counted exactly once) and no transaction may see another's half, on the data loop and with
 * connections on two loops.
 */
class TransactionClientTests {

    private static final int CLIENTS = 8;
    private static final int INCREMENTS_PER_CLIENT = 200;

    @ParameterizedTest(name = "{0} connection loops")
    @ValueSource(ints = {0, 2})
    void optimisticIncrementsFromManyClientsLoseNothing(int connectionLoops) throws Exception {
        try (RunningServer running = new RunningServer(new RedisServerProperties(), StoreClock.system(), connectionLoops)) {
            int port = running.server().port();
            AtomicLong aborted = new AtomicLong();
            ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
            try {
                List<Future<?>> done = new ArrayList<>();
                for (int c = 0; c < CLIENTS; c++) {
                    done.add(pool.submit(() -> {
                        try (Jedis jedis = new Jedis("127.0.0.1", port)) {
                            for (int i = 0; i < INCREMENTS_PER_CLIENT; ) {
                                jedis.watch("counter", "sum-a");
                                String raw = jedis.get("counter");
                                long value = raw == null ? 0 : Long.parseLong(raw);
                                long a = Long.parseLong(jedis.get("sum-a") == null ? "1000000" : jedis.get("sum-a"));
                                Transaction tx = jedis.multi();
                                tx.set("counter", Long.toString(value + 1));
                                tx.set("sum-a", Long.toString(a - 1)); // a transfer: sum-a + sum-b stays 1,000,000
                                tx.incr("sum-b");
                                List<Object> replies = tx.exec();
                                if (replies == null) {
                                    aborted.incrementAndGet();
                                } else {
                                    assertThat(replies).hasSize(3);
                                    i++;
                                }
                            }
                        }
                        return null;
                    }));
                }
                for (Future<?> f : done) {
                    f.get(120, TimeUnit.SECONDS);
                }
            } finally {
                pool.shutdownNow();
            }
            try (Jedis check = new Jedis("127.0.0.1", port)) {
                long total = (long) CLIENTS * INCREMENTS_PER_CLIENT;
                assertThat(check.get("counter")).isEqualTo(Long.toString(total));
                assertThat(Long.parseLong(check.get("sum-a")) + Long.parseLong(check.get("sum-b"))).isEqualTo(1_000_000L);
                assertThat(check.get("sum-b")).isEqualTo(Long.toString(total));
            }
            // with 8 clients racing, some transactions must have been refused (else WATCH was not tested)
            assertThat(aborted.get()).isPositive();
        }
    }
}
