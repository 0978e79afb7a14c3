package dev.ioloop;

import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
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

import com.sun.management.UnixOperatingSystemMXBean;
import dev.ioloop.test.Await;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

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
        SelectorBackend backend = new SelectorBackend(new StubContext("stress", loopThread) {
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

    @Test
    void fourThreadsWakingSelectingBackendsWhileTheyStopAndCloseNeverFailAndLeaveNoDescriptorOpen() throws Exception {
        // Each round: a backend selecting on a never-ready channel (so it is woken through its wake-up
        // pipe), four threads calling wakeup() before, during and after its close. wakeup() must never
        // throw (it runs inside other threads' addCallback), and close must release the selector and
        // both ends of the wake-up pipe.
        OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        assumeTrue(os instanceof UnixOperatingSystemMXBean, "counts open descriptors through the Unix MXBean");
        UnixOperatingSystemMXBean unix = (UnixOperatingSystemMXBean) os;
        int rounds = 200;
        int wakers = 4;
        List<Throwable> failures = new CopyOnWriteArrayList<>();
        long openBefore = unix.getOpenFileDescriptorCount();
        for (int round = 0; round < rounds; round++) {
            Thread[] loopThread = new Thread[1];
            SelectorBackend backend = new SelectorBackend(new StubContext("closing-" + round, loopThread));
            Pipe never = Pipe.open();
            never.source().configureBlocking(false);
            backend.register(never.source(), IOLoop.READ, "never");
            StopFlag stop = new StopFlag();
            StopFlag closed = new StopFlag();
            Thread loop = new Thread(() -> {
                while (!stop.requested) {
                    backend.await(IOLoopBackend.FOREVER);
                }
            }, "closing-backend-loop");
            loopThread[0] = loop;
            loop.start();
            CyclicBarrier go = new CyclicBarrier(wakers + 1);
            List<Thread> threads = new ArrayList<>();
            for (int t = 0; t < wakers; t++) {
                Thread waker = new Thread(() -> {
                    try {
                        go.await(WAIT_MS, TimeUnit.MILLISECONDS);
                        int afterClose = 0;
                        while (afterClose < 200) {
                            boolean wasClosed = closed.requested;
                            backend.wakeup();
                            if (wasClosed) {
                                afterClose++;
                            }
                        }
                    } catch (Throwable e) {
                        failures.add(e);
                    }
                }, "closing-backend-waker-" + t);
                threads.add(waker);
                waker.start();
            }
            go.await(WAIT_MS, TimeUnit.MILLISECONDS);
            stop.requested = true;
            backend.wakeup();
            loop.join(WAIT_MS);
            assertThat(loop.isAlive()).as("the loop thread of round %d returned", round).isFalse();
            backend.close(); // while the wakers keep waking
            closed.requested = true;
            for (Thread waker : threads) {
                waker.join(WAIT_MS);
                assertThat(waker.isAlive()).as(waker.getName() + " finished").isFalse();
            }
            never.source().close();
            never.sink().close();
        }
        if (!failures.isEmpty()) {
            throw new AssertionError(failures.size() + " wakers failed", failures.get(0));
        }
        // a leak would be three descriptors or more per round (the selector's, the pipe's two ends)
        assertThat(unix.getOpenFileDescriptorCount()).as("open descriptors after %d backends", rounds)
                .isLessThan(openBefore + 50);
    }

    /** A loop context whose loop thread is {@code loopThread[0]}; reports are ignored unless overridden. */
    private static class StubContext implements IOLoopBackend.Context {
        private final String name;
        private final Thread[] loopThread;

        StubContext(String name, Thread[] loopThread) {
            this.name = name;
            this.loopThread = loopThread;
        }

        @Override
        public String loopName() {
            return name;
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
        }

        @Override
        public void invalidated(Object attachment) {
        }

        @Override
        public void runOnce() {
            throw new IllegalStateException("owning backend");
        }
    }

    /** A stop flag for the stress loop. */
    private static final class StopFlag {
        // ordering: volatile; written by the test thread, read by the loop thread after each wait.
        volatile boolean requested;
    }
}
