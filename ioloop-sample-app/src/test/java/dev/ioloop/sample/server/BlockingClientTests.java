package dev.ioloop.sample.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ioloop.sample.store.StoreClock;
import dev.ioloop.sample.testing.RunningServer;
import dev.ioloop.sample.testing.RunningServer.Client;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.StreamEntryID;
import redis.clients.jedis.params.XReadParams;
import redis.clients.jedis.resps.StreamEntry;
import redis.clients.jedis.util.KeyValue;

/**
 * Blocking commands with real clients: Jedis pops and XREAD BLOCK that time out on the loop or are released by another
 * client's push or XADD, stream readers following many producers without losing an entry,
 * a disconnect while blocked that leaves nothing behind, CLIENT UNBLOCK, INFO's blocked_clients, commands pipelined
 * behind a blocking one, and many producers and blocked consumers losing nothing — on the data loop and with
 * connections on two loops.
 */
class BlockingClientTests {

    @ParameterizedTest(name = "{0} connection loops")
    @ValueSource(ints = {0, 2})
    void jedisPopsTimeOutOrAreReleasedByAPush(int connectionLoops) throws Exception {
        try (RunningServer running = new RunningServer(new RedisServerProperties(), StoreClock.system(), connectionLoops);
             Jedis waiter = new Jedis("127.0.0.1", running.server().port());
             Jedis pusher = new Jedis("127.0.0.1", running.server().port())) {
            long start = System.nanoTime();
            assertThat(waiter.blpop(0.2, "nothing")).isNull();
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(200));

            ExecutorService pool = Executors.newSingleThreadExecutor();
            try {
                Future<KeyValue<String, String>> popped = pool.submit(() -> waiter.brpop(0.0, "a", "b"));
                Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> blocked(running) == 1);
                assertThat(pusher.info("clients")).contains("blocked_clients:1");
                pusher.rpush("b", "x", "y");
                assertThat(popped.get(30, TimeUnit.SECONDS)).isEqualTo(new KeyValue<>("b", "y"));
                assertThat(pusher.lrange("b", 0, -1)).containsExactly("x");

                Future<String> moved = pool.submit(() -> waiter.brpoplpush("src", "dst", 0));
                Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> blocked(running) == 1);
                pusher.lpush("src", "m");
                assertThat(moved.get(30, TimeUnit.SECONDS)).isEqualTo("m");
                assertThat(pusher.lrange("dst", 0, -1)).containsExactly("m");

                Future<Object> zpopped = pool.submit(() -> waiter.bzpopmin(0, "z"));
                Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> blocked(running) == 1);
                pusher.zadd("z", 2.5, "m2");
                assertThat(zpopped.get(30, TimeUnit.SECONDS).toString()).contains("m2").contains("2.5");
                assertThat(pusher.info("clients")).contains("blocked_clients:0");
            } finally {
                pool.shutdownNow();
            }
        }
    }

    @ParameterizedTest(name = "{0} connection loops")
    @ValueSource(ints = {0, 2})
    void aDisconnectWhileBlockedFreesTheWaitAndTakesNothing(int connectionLoops) throws Exception {
        try (RunningServer running = new RunningServer(new RedisServerProperties(), StoreClock.system(), connectionLoops);
             Client other = running.connect()) {
            for (int i = 0; i < 20; i++) {
                Client gone = running.connect();
                gone.send("BLPOP", "k", "0");
                Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> blocked(running) == 1);
                gone.close();
                Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> blocked(running) == 0);
            }
            assertThat(other.call("RPUSH", "k", "x")).isEqualTo(":1\r\n");
            assertThat(other.call("LLEN", "k")).isEqualTo(":1\r\n"); // no departed client took it
        }
    }

    @ParameterizedTest(name = "{0} connection loops")
    @ValueSource(ints = {0, 2})
    void clientUnblockReleasesWithTheTimeoutReplyOrAnError(int connectionLoops) throws Exception {
        try (RunningServer running = new RunningServer(new RedisServerProperties(), StoreClock.system(), connectionLoops);
             Client admin = running.connect();
             Client waiter = running.connect()) {
            String id = waiter.call("CLIENT", "ID").substring(1).trim();
            waiter.send("BLPOP", "k", "0");
            Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> blocked(running) == 1);
            assertThat(admin.call("CLIENT", "UNBLOCK", id)).isEqualTo(":1\r\n");
            assertThat(waiter.readReply()).isEqualTo("*-1\r\n");
            assertThat(admin.call("CLIENT", "UNBLOCK", id)).isEqualTo(":0\r\n");
            waiter.send("BLMOVE", "a", "b", "LEFT", "RIGHT", "0");
            Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> blocked(running) == 1);
            assertThat(admin.call("CLIENT", "UNBLOCK", id, "ERROR")).isEqualTo(":1\r\n");
            assertThat(waiter.readReply()).isEqualTo("-UNBLOCKED client unblocked via CLIENT UNBLOCK\r\n");
            assertThat(waiter.call("PING")).isEqualTo("+PONG\r\n");
        }
    }

    @ParameterizedTest(name = "{0} connection loops")
    @ValueSource(ints = {0, 2})
    void commandsPipelinedBehindABlockingOneRunAfterItsReply(int connectionLoops) throws Exception {
        try (RunningServer running = new RunningServer(new RedisServerProperties(), StoreClock.system(), connectionLoops);
             Client pusher = running.connect();
             Client waiter = running.connect()) {
            waiter.send(("*3\r\n$5\r\nBLPOP\r\n$1\r\nq\r\n$1\r\n0\r\n*1\r\n$4\r\nPING\r\n*2\r\n$4\r\nLLEN\r\n$1\r\nq\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> blocked(running) == 1);
            assertThat(waiter.buffered()).isZero();
            assertThat(pusher.call("RPUSH", "q", "a", "b")).isEqualTo(":2\r\n");
            assertThat(waiter.readReply()).isEqualTo("*2\r\n$1\r\nq\r\n$1\r\na\r\n");
            assertThat(waiter.readReply()).isEqualTo("+PONG\r\n");
            assertThat(waiter.readReply()).isEqualTo(":1\r\n");
            // and a timeout releases the queue the same way
            waiter.send(("*3\r\n$5\r\nBLPOP\r\n$4\r\nnone\r\n$4\r\n0.05\r\n*1\r\n$4\r\nPING\r\n").getBytes(StandardCharsets.US_ASCII));
            assertThat(waiter.readReply()).isEqualTo("*-1\r\n");
            assertThat(waiter.readReply()).isEqualTo("+PONG\r\n");
        }
    }

    @ParameterizedTest(name = "{0} connection loops")
    @ValueSource(ints = {0, 2})
    void manyProducersAndBlockedConsumersLoseAndDuplicateNothing(int connectionLoops) throws Exception {
        int consumers = 16;
        int producers = 4;
        int perProducer = 500;
        try (RunningServer running = new RunningServer(new RedisServerProperties(), StoreClock.system(), connectionLoops)) {
            int port = running.server().port();
            ConcurrentLinkedQueue<String> received = new ConcurrentLinkedQueue<>();
            ExecutorService pool = Executors.newFixedThreadPool(consumers + producers);
            try {
                List<Future<?>> consumerDone = new ArrayList<>();
                for (int c = 0; c < consumers; c++) {
                    consumerDone.add(pool.submit(() -> {
                        try (Jedis jedis = new Jedis("127.0.0.1", port)) {
                            while (true) {
                                KeyValue<String, String> kv = jedis.blpop(0.0, "work");
                                if (kv.getValue().equals("stop")) {
                                    return null;
                                }
                                received.add(kv.getValue());
                            }
                        }
                    }));
                }
                List<Future<?>> producerDone = new ArrayList<>();
                for (int p = 0; p < producers; p++) {
                    int id = p;
                    producerDone.add(pool.submit(() -> {
                        try (Jedis jedis = new Jedis("127.0.0.1", port)) {
                            for (int i = 0; i < perProducer; i++) {
                                jedis.rpush("work", id + ":" + i);
                            }
                        }
                        return null;
                    }));
                }
                for (Future<?> f : producerDone) {
                    f.get(120, TimeUnit.SECONDS);
                }
                try (Jedis jedis = new Jedis("127.0.0.1", port)) {
                    for (int c = 0; c < consumers; c++) {
                        jedis.rpush("work", "stop");
                    }
                }
                for (Future<?> f : consumerDone) {
                    f.get(120, TimeUnit.SECONDS);
                }
            } finally {
                pool.shutdownNow();
            }
            Set<String> distinct = new HashSet<>(received);
            assertThat(received).hasSize(producers * perProducer);
            assertThat(distinct).hasSize(producers * perProducer);
            assertThat(Collections.frequency(new ArrayList<>(received), "0:0")).isEqualTo(1);
            assertThat(running.onLoop(() -> running.server().blockedClients())).isZero();
        }
    }

    @ParameterizedTest(name = "{0} connection loops")
    @ValueSource(ints = {0, 2})
    void jedisXreadBlockTimesOutOrIsReleasedByAnXaddToOneOfItsStreams(int connectionLoops) throws Exception {
        try (RunningServer running = new RunningServer(new RedisServerProperties(), StoreClock.system(), connectionLoops);
             Jedis waiter = new Jedis("127.0.0.1", running.server().port());
             Jedis adder = new Jedis("127.0.0.1", running.server().port())) {
            adder.xadd("s", new StreamEntryID(1, 0), Map.of("old", "entry"));
            assertThat(waiter.xread(XReadParams.xReadParams().block(200), Map.of("s", StreamEntryID.XREAD_NEW_ENTRY)))
                    .isNull();
            ExecutorService pool = Executors.newSingleThreadExecutor();
            try {
                Map<String, StreamEntryID> streams = new LinkedHashMap<>();
                streams.put("s", StreamEntryID.XREAD_NEW_ENTRY);
                streams.put("t", StreamEntryID.XREAD_NEW_ENTRY);
                Future<List<Map.Entry<String, List<StreamEntry>>>> read =
                        pool.submit(() -> waiter.xread(XReadParams.xReadParams().block(0), streams));
                Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> blocked(running) == 1);
                assertThat(adder.info("clients")).contains("blocked_clients:1");
                adder.xadd("t", new StreamEntryID(5, 1), Map.of("f", "v"));
                List<Map.Entry<String, List<StreamEntry>>> got = read.get(30, TimeUnit.SECONDS);
                assertThat(got).hasSize(1);
                assertThat(got.get(0).getKey()).isEqualTo("t");
                assertThat(got.get(0).getValue()).singleElement().satisfies(e -> {
                    assertThat(e.getID()).isEqualTo(new StreamEntryID(5, 1));
                    assertThat(e.getFields()).isEqualTo(Map.of("f", "v"));
                });
                assertThat(adder.info("clients")).contains("blocked_clients:0");
            } finally {
                pool.shutdownNow();
            }
        }
    }

    @ParameterizedTest(name = "{0} connection loops")
    @ValueSource(ints = {0, 2})
    void blockedStreamReadersSeeEveryEntryOfManyProducersOnceAndInOrder(int connectionLoops) throws Exception {
        int producers = 4;
        int perProducer = 500;
        int readers = 4;
        int total = producers * perProducer;
        try (RunningServer running = new RunningServer(new RedisServerProperties(), StoreClock.system(), connectionLoops)) {
            int port = running.server().port();
            ExecutorService pool = Executors.newFixedThreadPool(producers + readers);
            try {
                List<Future<List<StreamEntryID>>> seen = new ArrayList<>();
                for (int r = 0; r < readers; r++) {
                    seen.add(pool.submit(() -> {
                        // each reader follows the stream from its start, blocking whenever it has read everything
                        List<StreamEntryID> ids = new ArrayList<>();
                        StreamEntryID last = new StreamEntryID(0, 0);
                        try (Jedis jedis = new Jedis("127.0.0.1", port)) {
                            while (ids.size() < total) {
                                List<Map.Entry<String, List<StreamEntry>>> got =
                                        jedis.xread(XReadParams.xReadParams().block(0).count(100), Map.of("log", last));
                                for (StreamEntry e : got.get(0).getValue()) {
                                    ids.add(e.getID());
                                    last = e.getID();
                                }
                            }
                        }
                        return ids;
                    }));
                }
                List<Future<?>> added = new ArrayList<>();
                for (int p = 0; p < producers; p++) {
                    int producer = p;
                    added.add(pool.submit(() -> {
                        try (Jedis jedis = new Jedis("127.0.0.1", port)) {
                            for (int i = 0; i < perProducer; i++) {
                                jedis.xadd("log", StreamEntryID.NEW_ENTRY, Map.of("p", producer + ":" + i));
                            }
                        }
                        return null;
                    }));
                }
                for (Future<?> f : added) {
                    f.get(60, TimeUnit.SECONDS);
                }
                List<StreamEntryID> all;
                try (Jedis jedis = new Jedis("127.0.0.1", port)) {
                    all = jedis.xrange("log", (StreamEntryID) null, (StreamEntryID) null).stream()
                            .map(StreamEntry::getID).toList();
                }
                assertThat(all).hasSize(total);
                for (Future<List<StreamEntryID>> f : seen) {
                    assertThat(f.get(60, TimeUnit.SECONDS)).isEqualTo(all); // every entry, once, in stream order
                }
                assertThat(blocked(running)).isZero();
            } finally {
                pool.shutdownNow();
            }
        }
    }

    private static int blocked(RunningServer running) {
        return running.onLoop(() -> running.server().blockedClients());
    }
}
