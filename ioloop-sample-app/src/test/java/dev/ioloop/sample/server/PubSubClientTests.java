package dev.ioloop.sample.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ioloop.sample.store.StoreClock;
import dev.ioloop.sample.testing.RunningServer;
import dev.ioloop.sample.testing.RunningServer.Client;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisPubSub;

/**
 * Pub/sub with real clients: many Jedis subscribers (channels and patterns) receive every message in order, and a
 * subscriber that stops reading is closed by the pub/sub output limit while the others go on receiving everything —
 * on the data loop and with connections on two loops.
 */
class PubSubClientTests {

    @ParameterizedTest(name = "{0} connection loops")
    @ValueSource(ints = {0, 2})
    void manySubscribersReceiveEveryMessageInOrder(int connectionLoops) throws Exception {
        int subscribers = 20;
        int messages = 200;
        try (RunningServer running = new RunningServer(new RedisServerProperties(), StoreClock.system(), connectionLoops);
             Jedis publisher = new Jedis("127.0.0.1", running.server().port())) {
            int port = running.server().port();
            List<List<String>> received = new ArrayList<>();
            List<JedisPubSub> listeners = new ArrayList<>();
            CountDownLatch subscribed = new CountDownLatch(subscribers);
            ExecutorService pool = Executors.newFixedThreadPool(subscribers);
            try {
                for (int s = 0; s < subscribers; s++) {
                    List<String> mine = new CopyOnWriteArrayList<>();
                    received.add(mine);
                    boolean pattern = s % 2 == 1;
                    JedisPubSub listener = new JedisPubSub() {
                        @Override
                        public void onMessage(String channel, String message) {
                            mine.add(message);
                        }

                        @Override
                        public void onPMessage(String p, String channel, String message) {
                            mine.add(message);
                        }

                        @Override
                        public void onSubscribe(String channel, int count) {
                            subscribed.countDown();
                        }

                        @Override
                        public void onPSubscribe(String p, int count) {
                            subscribed.countDown();
                        }
                    };
                    listeners.add(listener);
                    pool.submit(() -> {
                        try (Jedis jedis = new Jedis("127.0.0.1", port)) {
                            if (pattern) {
                                jedis.psubscribe(listener, "ne*");
                            } else {
                                jedis.subscribe(listener, "news");
                            }
                        }
                        return null;
                    });
                }
                assertThat(subscribed.await(30, TimeUnit.SECONDS)).isTrue();
                assertThat(publisher.pubsubNumSub("news")).containsEntry("news", (long) subscribers / 2);
                assertThat(publisher.pubsubNumPat()).isEqualTo(1);
                for (int i = 0; i < messages; i++) {
                    assertThat(publisher.publish("news", "m" + i)).isEqualTo(subscribers);
                }
                Awaitility.await().atMost(Duration.ofSeconds(60))
                        .until(() -> received.stream().allMatch(r -> r.size() >= messages));
                for (List<String> r : received) {
                    assertThat(r).hasSize(messages);
                    for (int i = 0; i < messages; i++) {
                        assertThat(r.get(i)).isEqualTo("m" + i);
                    }
                }
                for (JedisPubSub listener : listeners) {
                    if (listener.isSubscribed()) {
                        listener.punsubscribe();
                        listener.unsubscribe();
                    }
                }
            } finally {
                pool.shutdown();
                assertThat(pool.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
            }
            Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> publisher.pubsubNumPat() == 0
                    && publisher.pubsubNumSub("news").get("news") == 0);
        }
    }

    @ParameterizedTest(name = "{0} connection loops")
    @ValueSource(ints = {0, 2})
    void aSubscriberThatStopsReadingIsClosedByThePubsubLimitWhileOthersGetEverything(int connectionLoops) throws Exception {
        int messages = 4000;
        byte[] payload = "x".repeat(4096).getBytes(StandardCharsets.US_ASCII);
        try (RunningServer running = new RunningServer(new RedisServerProperties(), StoreClock.system(), connectionLoops);
             Client admin = running.connect();
             Jedis publisher = new Jedis("127.0.0.1", running.server().port())) {
            running.expectLog("closed for overcoming of output buffer limits");
            int port = running.server().port();
            // the normal class stays unlimited here: only the pub/sub class may close the slow subscriber
            assertThat(admin.call("CONFIG", "SET", "client-output-buffer-limit", "normal 0 0 0 pubsub 1mb 512kb 60"))
                    .isEqualTo("+OK\r\n");
            Socket slow = new Socket();
            slow.setReceiveBufferSize(4096);
            slow.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
            slow.getOutputStream().write("*2\r\n$9\r\nSUBSCRIBE\r\n$2\r\nch\r\n".getBytes(StandardCharsets.US_ASCII));
            slow.getOutputStream().flush();
            AtomicInteger fastReceived = new AtomicInteger();
            CountDownLatch fastSubscribed = new CountDownLatch(1);
            JedisPubSub fast = new JedisPubSub() {
                @Override
                public void onMessage(String channel, String message) {
                    fastReceived.incrementAndGet();
                }

                @Override
                public void onSubscribe(String channel, int count) {
                    fastSubscribed.countDown();
                }
            };
            ExecutorService pool = Executors.newSingleThreadExecutor();
            try {
                pool.submit(() -> {
                    try (Jedis jedis = new Jedis("127.0.0.1", port)) {
                        jedis.subscribe(fast, "ch");
                    }
                    return null;
                });
                assertThat(fastSubscribed.await(30, TimeUnit.SECONDS)).isTrue();
                Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> publisher.pubsubNumSub("ch").get("ch") == 2);
                for (int i = 0; i < messages; i++) {
                    publisher.publish("ch".getBytes(StandardCharsets.US_ASCII), payload);
                    int sent = i + 1;
                    if (sent % 64 == 0) {
                        // pace the publisher to the fast subscriber (it reads on another thread): it never lags far
                        Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> fastReceived.get() >= sent - 64);
                    }
                }
                Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> fastReceived.get() == messages);
                assertThat(publisher.pubsubNumSub("ch")).containsEntry("ch", 1L); // the slow one is gone
                assertThat(running.server().outputLimitCloses()).isEqualTo(1);
                fast.unsubscribe();
            } finally {
                pool.shutdown();
                assertThat(pool.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
                slow.close();
            }
        }
    }
}
