package dev.ioloop;

import java.nio.ByteBuffer;
import java.nio.channels.Pipe;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import dev.ioloop.test.Await;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The selector backend switching between parking (nothing registered) and selecting while other
 * threads register and cancel channels and wake it: no registration and no wake-up may be lost.
 */
class SelectorBackendStressTests {

    private static final long WAIT_MS = Await.timeout().toMillis();

    @Test
    void sixThreadsRegisteringAndCancellingReadyChannelsFiveHundredTimesEachLoseNoReport() throws Exception {
        int threads = 6;
        int rounds = 500;
        Map<Object, CompletableFuture<Integer>> waiting = new ConcurrentHashMap<>();
        AtomicLong waits = new AtomicLong();
        Thread[] loopThread = new Thread[1];
        SelectorBackend backend = new SelectorBackend(new IOLoopBackend.Context() {
            @Override
            public String loopName() {
                return "stress";
            }

            @Override
            public LoopClock clock() {
                return LoopClock.system();
            }

            @Override
            public boolean inLoopThread() {
                return Thread.currentThread() == loopThread[0];
            }

            @Override
            public void ready(Object attachment, int events) {
                CompletableFuture<Integer> future = waiting.get(attachment);
                if (future != null) {
                    future.complete(events);
                }
            }

            @Override
            public void invalidated(Object attachment) {
                CompletableFuture<Integer> future = waiting.get(attachment);
                if (future != null) {
                    future.completeExceptionally(new AssertionError(attachment + " reported invalidated"));
                }
            }

            @Override
            public void runOnce() {
                throw new IllegalStateException();
            }
        });
        StopFlag stop = new StopFlag();
        Thread loop = new Thread(() -> {
            while (!stop.requested) {
                backend.await(IOLoopBackend.FOREVER); // parks or selects, depending on what is registered
                waits.incrementAndGet();
            }
        }, "stress-backend-loop");
        loopThread[0] = loop;
        loop.start();
        CyclicBarrier go = new CyclicBarrier(threads);
        List<Throwable> failures = new CopyOnWriteArrayList<>();
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int index = t;
            Thread worker = new Thread(() -> {
                try {
                    go.await(WAIT_MS, TimeUnit.MILLISECONDS);
                    for (int i = 0; i < rounds; i++) {
                        Pipe pipe = Pipe.open();
                        try {
                            pipe.source().configureBlocking(false);
                            pipe.sink().write(ByteBuffer.wrap(new byte[] {1}));
                            String attachment = index + "/" + i;
                            CompletableFuture<Integer> reported = new CompletableFuture<>();
                            waiting.put(attachment, reported);
                            IOLoopBackend.ChannelKey key = backend.register(pipe.source(), IOLoop.READ, attachment);
                            backend.wakeup(); // as the loop's gate does after a registration from another thread
                            assertThat(reported.get(WAIT_MS, TimeUnit.MILLISECONDS)).isEqualTo(IOLoop.READ);
                            backend.cancel(key);
                            waiting.remove(attachment);
                        } finally {
                            pipe.source().close();
                            pipe.sink().close();
                        }
                    }
                } catch (Throwable e) {
                    failures.add(e);
                }
            }, "stress-registrar-" + t);
            workers.add(worker);
            worker.start();
        }
        for (Thread worker : workers) {
            worker.join(4 * WAIT_MS);
            assertThat(worker.isAlive()).as(worker.getName() + " finished").isFalse();
        }
        stop.requested = true;
        backend.wakeup();
        loop.join(WAIT_MS);
        assertThat(loop.isAlive()).isFalse();
        backend.close();
        if (!failures.isEmpty()) {
            throw new AssertionError(failures.size() + " registrations failed", failures.get(0));
        }
        assertThat(backend.liveChannels()).isZero();
        assertThat(waits.get()).isPositive();
    }

    /** A stop flag for the stress loop. */
    private static final class StopFlag {
        // ordering: volatile; written by the test thread, read by the loop thread after each wait.
        volatile boolean requested;
    }
}
