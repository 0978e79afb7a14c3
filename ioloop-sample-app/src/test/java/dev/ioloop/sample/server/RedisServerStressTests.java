package dev.ioloop.sample.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ioloop.sample.store.StoreClock;
import dev.ioloop.sample.testing.RunningServer;
import dev.ioloop.sample.testing.RunningServer.Client;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Connection churn from many threads onto a group of loops: the atomic connection counters lose nothing,
 * maxclients is never exceeded, and every accepted client's INCR is counted exactly once.
 */
class RedisServerStressTests {

    @Test
    void connectionChurnAcrossLoopsLosesNoCountAndNeverExceedsMaxclients() throws Exception {
        int threads = 16;
        int perThread = 60;
        int maxclients = 20;
        RedisServerProperties properties = new RedisServerProperties();
        properties.setMaxclients(maxclients);
        try (RunningServer running = new RunningServer(properties, StoreClock.system(), 3)) {
            AtomicInteger served = new AtomicInteger();
            AtomicInteger refused = new AtomicInteger();
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            try {
                List<Future<?>> futures = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    futures.add(pool.submit(() -> {
                        for (int i = 0; i < perThread; i++) {
                            try (Client c = running.connect()) {
                                String reply;
                                try {
                                    reply = c.call("INCR", "hits");
                                } catch (java.net.SocketException | java.io.EOFException reset) {
                                    // A refused client's INCR may reach the socket after the server closed it: the
                                    // kernel then resets the connection and the refusal line can be lost.
                                    refused.incrementAndGet();
                                    continue;
                                }
                                if (reply.startsWith(":")) {
                                    served.incrementAndGet();
                                    assertThat(running.server().connectedClients()).isLessThanOrEqualTo(maxclients);
                                } else {
                                    assertThat(reply).isEqualTo("-ERR max number of clients reached\r\n");
                                    refused.incrementAndGet();
                                }
                            }
                        }
                        return null;
                    }));
                }
                for (Future<?> f : futures) {
                    f.get(120, TimeUnit.SECONDS);
                }
            } finally {
                pool.shutdownNow();
            }
            assertThat(served.get() + refused.get()).isEqualTo(threads * perThread);
            assertThat(running.server().rejectedConnections()).isEqualTo(refused.get());
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (running.server().connectedClients() != 0 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertThat(running.server().connectedClients()).isZero();
            assertThat(running.server().totalConnectionsReceived()).isEqualTo(threads * perThread);
            try (Client c = running.connect()) {
                assertThat(c.call("GET", "hits")).isEqualTo("$" + Integer.toString(served.get()).length() + "\r\n" + served.get() + "\r\n");
            }
        }
    }
}
