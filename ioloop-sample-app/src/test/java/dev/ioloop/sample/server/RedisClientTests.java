package dev.ioloop.sample.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ioloop.sample.store.StoreClock;
import dev.ioloop.sample.testing.LoopBackend;
import dev.ioloop.sample.testing.RunningServer;
import dev.ioloop.sample.testing.RunningServer.Client;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.Response;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.params.SetParams;
import redis.clients.jedis.resps.ScanResult;

/**
 * A real Redis client from Maven Central (Jedis) against the server: a mixed, pipelined workload from several
 * threads with every reply checked (connections on the data loop, and on a group hopping to it); 1,000 clients
 * connected at once (on a group of two loops); active expiry removing keys nobody touches.
 */
class RedisClientTests {

    private static final int THREADS = 8;
    private static final int ROUNDS = 200;
    private static final int PIPELINE = 50;

    @ParameterizedTest(name = "on {0}")
    @EnumSource(LoopBackend.class)
    void severalThreadsRunAMixedPipelinedWorkloadAndNothingIsLost(LoopBackend backend) throws Exception {
        backend.run(() -> mixedWorkload(0));
    }

    @ParameterizedTest(name = "on {0}")
    @EnumSource(LoopBackend.class)
    void theMixedWorkloadHoldsWhenConnectionsLiveOnAGroupAndHopToTheDataLoop(LoopBackend backend) throws Exception {
        backend.run(() -> mixedWorkload(2));
    }

    private static void mixedWorkload(int connectionLoops) throws Exception {
        try (RunningServer running = new RunningServer(new RedisServerProperties(), StoreClock.system(), connectionLoops)) {
            int port = running.server().port();
            ExecutorService pool = Executors.newFixedThreadPool(THREADS);
            try {
                List<Future<?>> futures = new ArrayList<>();
                for (int t = 0; t < THREADS; t++) {
                    int id = t;
                    futures.add(pool.submit(() -> {
                        workload(port, id);
                        return null;
                    }));
                }
                for (Future<?> f : futures) {
                    f.get(120, TimeUnit.SECONDS);
                }
            } finally {
                pool.shutdownNow();
            }
            try (Jedis jedis = new Jedis("127.0.0.1", port)) {
                assertThat(jedis.get("shared:counter")).isEqualTo(Long.toString((long) THREADS * ROUNDS * PIPELINE));
                assertThat(jedis.llen("shared:list")).isEqualTo((long) THREADS * ROUNDS);
                for (int t = 0; t < THREADS; t++) {
                    assertThat(jedis.get("t" + t + ":last")).isEqualTo("r" + (ROUNDS - 1));
                }
                long seen = 0;
                String cursor = ScanParams.SCAN_POINTER_START;
                do {
                    ScanResult<String> page = jedis.scan(cursor, new ScanParams().match("t*:last").count(100));
                    seen += page.getResult().size();
                    cursor = page.getCursor();
                } while (!cursor.equals(ScanParams.SCAN_POINTER_START));
                assertThat(seen).isEqualTo(THREADS);
            }
        }
    }

    private static void workload(int port, int id) {
        try (Jedis jedis = new Jedis("127.0.0.1", port)) {
            assertThat(jedis.ping()).isEqualTo("PONG");
            assertThat(jedis.clientSetname("worker-" + id)).isEqualTo("OK");
            assertThat(jedis.clientGetname()).isEqualTo("worker-" + id);
            for (int r = 0; r < ROUNDS; r++) {
                Pipeline p = jedis.pipelined();
                List<Response<Long>> incrs = new ArrayList<>();
                String key = "t" + id + ":k" + r;
                Response<String> set = p.set(key, "v" + r, new SetParams().px(600_000));
                for (int i = 0; i < PIPELINE; i++) {
                    incrs.add(p.incr("shared:counter"));
                }
                Response<String> get = p.get(key);
                Response<Long> ttl = p.pttl(key);
                Response<Long> push = p.rpush("shared:list", key);
                Response<Long> appended = p.append(key, "!");
                Response<List<String>> mget = p.mget(key, "nosuch");
                Response<Long> del = p.del(key);
                Response<Boolean> exists = p.exists(key);
                Response<String> last = p.set("t" + id + ":last", "r" + r);
                p.sync();
                assertThat(set.get()).isEqualTo("OK");
                long previous = 0;
                for (Response<Long> incr : incrs) {
                    assertThat(incr.get()).isGreaterThan(previous); // increasing within one pipeline
                    previous = incr.get();
                }
                assertThat(get.get()).isEqualTo("v" + r);
                assertThat(ttl.get()).isBetween(1L, 600_000L);
                assertThat(push.get()).isPositive();
                assertThat(appended.get()).isEqualTo(("v" + r + "!").length());
                assertThat(mget.get()).containsExactly("v" + r + "!", null);
                assertThat(del.get()).isEqualTo(1L);
                assertThat(exists.get()).isFalse();
                assertThat(last.get()).isEqualTo("OK");
            }
        }
    }

    @Test
    void aThousandClientsConnectedAtOnceAreAllServed() throws Exception {
        int clients = 1000;
        try (RunningServer running = new RunningServer(new RedisServerProperties(), StoreClock.system(), 2)) {
            List<Client> open = new ArrayList<>();
            try {
                for (int i = 0; i < clients; i++) {
                    open.add(running.connect());
                }
                // every client sends before any reads: all 1,000 are open and pending together
                for (int i = 0; i < clients; i++) {
                    open.get(i).send("SET", "client:" + i, "value-" + i);
                }
                for (int i = 0; i < clients; i++) {
                    assertThat(open.get(i).readReply()).isEqualTo("+OK\r\n");
                }
                ExecutorService pool = Executors.newFixedThreadPool(16);
                try {
                    CountDownLatch done = new CountDownLatch(clients);
                    List<Future<String>> results = new ArrayList<>();
                    for (int i = 0; i < clients; i++) {
                        Client c = open.get(i);
                        int id = (i + 1) % clients; // read another client's key
                        results.add(pool.submit(() -> {
                            try {
                                return c.call("GET", "client:" + id);
                            } finally {
                                done.countDown();
                            }
                        }));
                    }
                    assertThat(done.await(60, TimeUnit.SECONDS)).isTrue();
                    for (int i = 0; i < clients; i++) {
                        String v = "value-" + ((i + 1) % clients);
                        assertThat(results.get(i).get()).isEqualTo("$" + v.length() + "\r\n" + v + "\r\n");
                    }
                } finally {
                    pool.shutdownNow();
                }
                assertThat(running.server().connectedClients()).isEqualTo(clients);
                assertThat(open.get(0).call("DBSIZE")).isEqualTo(":" + clients + "\r\n");
            } finally {
                for (Client c : open) {
                    c.close();
                }
            }
        }
    }

    @Test
    void activeExpiryRemovesKeysNobodyTouches() throws Exception {
        RedisServerProperties properties = new RedisServerProperties();
        properties.setHz(50);
        try (RunningServer running = new RunningServer(properties, StoreClock.system());
             Jedis jedis = new Jedis("127.0.0.1", running.server().port())) {
            running.server().startCron();
            Pipeline p = jedis.pipelined();
            for (int i = 0; i < 2000; i++) {
                p.psetex("temp:" + i, 50, "v");
            }
            p.set("stays", "v");
            p.sync();
            // DBSIZE does not expire keys itself: only the cron can bring it down.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (jedis.dbSize() > 1 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(jedis.dbSize()).isEqualTo(1L);
            assertThat(jedis.get("stays")).isEqualTo("v");
            assertThat(running.server().store().stats().expiredKeys()).isEqualTo(2000);
        }
    }
}
