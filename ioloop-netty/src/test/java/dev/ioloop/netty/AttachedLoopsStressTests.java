package dev.ioloop.netty;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import dev.ioloop.IOLoop;
import dev.ioloop.test.IOLoopTest;
import io.netty.channel.EventLoop;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The registry of attached loops under races: one open loop per event loop, whoever attaches and closes. */
@IOLoopTest(makeCurrent = false)
class AttachedLoopsStressTests {

    private static final long WAIT_SECONDS = 60;
    private static final int THREADS = 8;

    private final MultiThreadIoEventLoopGroup group = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
    private final ExecutorService pool = Executors.newFixedThreadPool(THREADS);

    @AfterEach
    void shutDown() {
        pool.shutdownNow();
        group.shutdownGracefully(0, 0, TimeUnit.SECONDS).awaitUninterruptibly(WAIT_SECONDS, TimeUnit.SECONDS);
    }

    @Test
    void concurrentAttachesToOneEventLoopAgreeOnOneOpenLoopRoundAfterRound() throws Exception {
        EventLoop host = group.next();
        CyclicBarrier start = new CyclicBarrier(THREADS);
        IOLoop previous = null;
        for (int round = 0; round < 500; round++) {
            List<Future<IOLoop>> attached = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                attached.add(pool.submit(() -> {
                    start.await(WAIT_SECONDS, TimeUnit.SECONDS);
                    return NettyBackend.attach(host);
                }));
            }
            IOLoop first = attached.get(0).get(WAIT_SECONDS, TimeUnit.SECONDS);
            for (Future<IOLoop> each : attached) {
                assertThat(each.get(WAIT_SECONDS, TimeUnit.SECONDS)).isSameAs(first);
            }
            assertThat(first.isClosed()).isFalse();
            assertThat(first).isNotSameAs(previous);
            CompletableFuture<Boolean> runs = new CompletableFuture<>();
            first.addCallback(() -> runs.complete(host.inEventLoop()));
            assertThat(runs.get(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
            first.close();
            previous = first;
        }
        // released by the host's next iteration of the loop: forgotten then
        await().atMost(Duration.ofSeconds(WAIT_SECONDS)).until(() -> !AttachedLoops.INSTANCE.contains(host));
    }

    @Test
    void attachAndCloseRacingFromManyThreadsLeaveOneOpenLoopThatRunsEveryCallbackItAccepted() throws Exception {
        EventLoop host = group.next();
        int operations = 20_000;
        ConcurrentHashMap<IOLoop, AtomicInteger> added = new ConcurrentHashMap<>();
        ConcurrentHashMap<IOLoop, AtomicInteger> ran = new ConcurrentHashMap<>();
        List<Future<?>> workers = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            workers.add(pool.submit(() -> {
                for (int i = 0; i < operations / THREADS; i++) {
                    IOLoop loop = NettyBackend.attach(host);
                    if (ThreadLocalRandom.current().nextInt(10) == 0) {
                        loop.close();
                    } else {
                        added.computeIfAbsent(loop, key -> new AtomicInteger()).incrementAndGet();
                        AtomicInteger counter = ran.computeIfAbsent(loop, key -> new AtomicInteger());
                        loop.addCallback(counter::incrementAndGet);
                    }
                }
                return null;
            }));
        }
        for (Future<?> worker : workers) {
            worker.get(WAIT_SECONDS, TimeUnit.SECONDS);
        }
        IOLoop survivor = NettyBackend.attach(host);
        CompletableFuture<Void> drained = new CompletableFuture<>();
        survivor.addCallback(() -> drained.complete(null));
        drained.get(WAIT_SECONDS, TimeUnit.SECONDS);
        for (IOLoop loop : added.keySet()) {
            if (loop == survivor) {
                assertThat(ran.get(loop)).as("callbacks run by the open loop").hasValue(added.get(loop).get());
            } else {
                assertThat(loop.isClosed()).as("every other loop is closed").isTrue();
                assertThat(ran.get(loop).get()).isLessThanOrEqualTo(added.get(loop).get());
            }
        }
        assertThat(added).hasSizeGreaterThan(1); // the race really replaced closed loops
        survivor.close();
        await().atMost(Duration.ofSeconds(WAIT_SECONDS)).until(() -> !AttachedLoops.INSTANCE.contains(host));
    }
}
