package dev.ioloop;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import dev.ioloop.testing.BackendSuite;
import dev.ioloop.test.IOLoopTest;
import dev.ioloop.test.Await;
import dev.ioloop.test.RunningLoop;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Many threads, many operations, nothing lost: the issue's stress cases. State the loop records
 * lives in plain arrays written only by the loop thread and read by the test after a callback
 * round trip (which orders the reads after the writes).
 */
@IOLoopTest(makeCurrent = false)
public abstract class IOLoopStressTests extends BackendSuite {

    private static final long WAIT_MS = Await.timeout().toMillis();

    /** Runs each producer on its own thread, all released at once, and rethrows the first failure. */
    private static void runConcurrently(int threads, ProducerBody body) throws Exception {
        CyclicBarrier go = new CyclicBarrier(threads);
        List<Throwable> failures = new CopyOnWriteArrayList<>();
        List<Thread> started = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int index = t;
            Thread thread = new Thread(() -> {
                try {
                    go.await(WAIT_MS, TimeUnit.MILLISECONDS);
                    body.run(index);
                } catch (Throwable e) {
                    failures.add(e);
                }
            }, "stress-" + t);
            started.add(thread);
            thread.start();
        }
        for (Thread thread : started) {
            thread.join(4 * WAIT_MS);
            if (thread.isAlive()) {
                fail(thread.getName() + " did not finish");
            }
        }
        if (!failures.isEmpty()) {
            throw new AssertionError("a producer failed", failures.get(0));
        }
    }

    @FunctionalInterface
    private interface ProducerBody {
        void run(int index) throws Exception;
    }

    /**
     * What the loop saw of numbered callbacks from several producers: how many ran per producer and
     * how many came out of order. Written on the loop thread only; read with {@link #assertAllInOrder}
     * after a callback round trip (which orders the reads after the writes).
     */
    private static final class PerProducerOrder {
        private final int[] last;
        private final long[] count;
        private final long[] outOfOrder;

        PerProducerOrder(int producers) {
            last = new int[producers];
            count = new long[producers];
            outOfOrder = new long[producers];
            java.util.Arrays.fill(last, -1);
        }

        /** The callback that producer {@code t} adds as its {@code seq}-th. */
        Runnable callback(int t, int seq) {
            return () -> {
                if (seq != last[t] + 1) {
                    outOfOrder[t]++;
                }
                last[t] = seq;
                count[t]++;
            };
        }

        /** Asserts, on the loop thread, that every producer's {@code perProducer} callbacks ran once, in order. */
        void assertAllInOrder(RunningLoop running, int perProducer) throws Exception {
            running.drain(); // queued after every producer's last callback (the producers have ended)
            long[][] seen = running.call(() -> new long[][] {count.clone(), outOfOrder.clone(),
                    java.util.Arrays.stream(last).asLongStream().toArray()});
            for (int t = 0; t < last.length; t++) {
                assertThat(seen[0][t]).as("callbacks run for producer %d", t).isEqualTo(perProducer);
                assertThat(seen[1][t]).as("out-of-order callbacks of producer %d", t).isZero();
                assertThat(seen[2][t]).as("last sequence of producer %d", t).isEqualTo(perProducer - 1);
            }
        }
    }

    @Test
    void eightThreadsAddAMillionCallbacksEachWithNoneLostAndPerThreadOrderKept(RunningLoop running) throws Exception {
        int threads = 8;
        int perThread = 1_000_000;
        PerProducerOrder order = new PerProducerOrder(threads);
        IOLoop loop = running.loop();
        runConcurrently(threads, t -> {
            for (int i = 0; i < perThread; i++) {
                loop.addCallback(order.callback(t, i));
            }
        });
        order.assertAllInOrder(running, perThread);
        assertThat(loop.stats().pendingCallbacks()).isZero();
    }

    @Test
    void aChainOfOwnCallbacksAndEightOtherThreadsLoseNothingAndKeepEachThreadsOrder(RunningLoop running)
            throws Exception {
        // The chain re-adds itself from the loop thread (its own queue: bursts of iterations) while
        // eight threads add theirs (the shared queue: each one ends a burst through the gate).
        int threads = 8;
        int perThread = 200_000;
        int links = 2_000_000;
        PerProducerOrder order = new PerProducerOrder(threads);
        int[] chain = new int[2]; // [links run, links out of order]
        CompletableFuture<Void> chainDone = new CompletableFuture<>();
        IOLoop loop = running.loop();
        Runnable[] link = new Runnable[1];
        int[] expected = new int[1];
        link[0] = () -> {
            if (chain[0] != expected[0]) {
                chain[1]++;
            }
            chain[0]++;
            expected[0]++;
            if (chain[0] < links) {
                loop.addCallback(link[0]);
            } else {
                chainDone.complete(null);
            }
        };
        loop.addCallback(link[0]);
        runConcurrently(threads, t -> {
            for (int i = 0; i < perThread; i++) {
                loop.addCallback(order.callback(t, i));
            }
        });
        running.await(chainDone);
        order.assertAllInOrder(running, perThread);
        int[] seen = running.call(chain::clone);
        assertThat(seen[0]).as("links run").isEqualTo(links);
        assertThat(seen[1]).as("links out of order").isZero();
    }

    @Test
    void eightThreadsWakingAnIdleLoopTwoThousandTimesEachNeverLoseAWakeUp(RunningLoop running) throws Exception {
        // Nothing registered: the default backend parks the loop thread; each round trip must wake it.
        // A lost wake-up would leave a round trip waiting for ever (the test fails after WAIT).
        roundTripsFromEightThreads(running);
    }

    /** 8 threads x 2,000 round trips (add a callback, wait until it ran) into the running loop; none lost. */
    private static void roundTripsFromEightThreads(RunningLoop running) throws Exception {
        IOLoop loop = running.loop();
        int threads = 8;
        int rounds = 2_000;
        long[] ran = new long[1]; // loop thread only
        runConcurrently(threads, t -> {
            for (int i = 0; i < rounds; i++) {
                CompletableFuture<Void> done = new CompletableFuture<>();
                loop.addCallback(() -> {
                    ran[0]++;
                    done.complete(null);
                });
                done.get(WAIT_MS, TimeUnit.MILLISECONDS);
                if (i % 64 == 0) {
                    Thread.yield(); // let the loop go back to its wait now and then
                }
            }
        });
        assertThat(running.call(() -> ran[0])).isEqualTo((long) threads * rounds);
    }

    @Test
    void sixThreadsWithGapsAroundTheParkingLingerLoseNoCallbackAndTheLoopStillParksAndWakes(RunningLoop running)
            throws Exception {
        // Nothing registered: after running other threads' callbacks the default backend's loop lingers
        // (ParkingLinger: yields, looking every LOOK_EVERY_NANOS, up to MAX_NANOS, the budget halving
        // while lingers give up) before it announces its wait and parks. Gaps of 0 to 3 full budgets between a producer's calls
        // land before the linger, during it, as it gives up and while the loop is parked, with the
        // budget at every size: every callback must run once and in its producer's order.
        IOLoop loop = running.loop();
        int threads = 6;
        int perThread = 20_000;
        long maxGapNanos = 3 * ParkingLinger.MAX_NANOS;
        PerProducerOrder order = new PerProducerOrder(threads);
        runConcurrently(threads, t -> {
            ThreadLocalRandom random = ThreadLocalRandom.current();
            for (int i = 0; i < perThread; i++) {
                loop.addCallback(order.callback(t, i));
                long until = System.nanoTime() + random.nextLong(maxGapNanos);
                while (System.nanoTime() - until < 0) {
                    Thread.onSpinWait();
                }
            }
        });
        order.assertAllInOrder(running, perThread);
        // afterwards the loop stops lingering and announces its wait; a single call must wake it
        LoopWaits.awaitWaiting(loop);
        long wakeupsBefore = loop.backendWakeups();
        running.drain();
        assertThat(loop.backendWakeups() - wakeupsBefore).as("wake-ups of the waiting loop").isPositive();
        assertThat(loop.stats().pendingCallbacks()).isZero();
    }

    @Test
    void eightThreadsWakingASelectingLoopTwoThousandTimesEachNeverLoseAWakeUp(RunningLoop running) throws Exception {
        // A channel that never becomes ready keeps the loop waiting on it (in select, for the default
        // backend, woken through its wake-up pipe), not parked. Each round trip must wake it; a lost
        // wake-up leaves one waiting for ever (the test fails after WAIT).
        IOLoop loop = running.loop();
        java.nio.channels.Pipe never = java.nio.channels.Pipe.open();
        try {
            never.source().configureBlocking(false);
            running.run(() -> loop.addHandler(never.source(), (channel, events) -> { }, IOLoop.READ));
            long wakeupsBefore = loop.backendWakeups();
            roundTripsFromEightThreads(running);
            assertThat(loop.backendWakeups() - wakeupsBefore).as("wake-ups of a waiting loop").isPositive();
            // after all that, the loop waits again until woken: one more wake-up still gets through
            LoopWaits.awaitWaiting(loop);
            running.drain();
        } finally {
            running.run(() -> loop.removeHandler(never.source()));
            never.source().close();
            never.sink().close();
        }
    }

    @Test
    void readyChannelsAddedFromFourThreadsToAnIdleLoopAreSeenWithoutAnyOtherWakeUp(RunningLoop running)
            throws Exception {
        // The loop waits with nothing registered (parked, for the default backend); a channel that is
        // already readable, added from another thread, must be watched at once: its handler is the
        // only thing that can complete the round trip.
        IOLoop loop = running.loop();
        int threads = 4;
        int rounds = 300;
        runConcurrently(threads, t -> {
            for (int i = 0; i < rounds; i++) {
                java.nio.channels.Pipe pipe = java.nio.channels.Pipe.open();
                try {
                    pipe.source().configureBlocking(false);
                    pipe.sink().write(java.nio.ByteBuffer.wrap(new byte[] {1}));
                    CompletableFuture<Integer> called = new CompletableFuture<>();
                    loop.addHandler(pipe.source(), (channel, events) -> {
                        loop.removeHandler(channel);
                        called.complete(events);
                    }, IOLoop.READ);
                    assertThat(called.get(WAIT_MS, TimeUnit.MILLISECONDS)).isEqualTo(IOLoop.READ);
                } finally {
                    pipe.source().close();
                    pipe.sink().close();
                }
            }
        });
        running.drain();
        assertThat(loop.stats().handlers()).isZero();
    }

    @Test
    void aMillionTimeoutsHalfRemovedTheRestFireInDeadlineOrder() throws Exception {
        int n = 1_000_000;
        try (FakeTimeLoop fake = FakeTimeLoop.start("stress-timeouts")) {
            IOLoop loop = fake.loop;
            double base = loop.time() + 1.0; // nothing is due until the clock moves a second
            // loop thread only: the indexes in firing order
            int[] fired = new int[n];
            int[] firedCount = new int[1];
            List<Integer> order = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                order.add(i);
            }
            Collections.shuffle(order, new Random(7)); // insertion order is not deadline order
            Timeout[] timeouts = new Timeout[n];
            // added on the loop thread in chunks (the heap's own path), removed from this thread
            // (the cross-thread path: cancel at once, leave the heap on the loop's next iteration)
            int chunk = 50_000;
            for (int from = 0; from < n; from += chunk) {
                int start = from;
                fake.running.run(() -> {
                    for (int k = start; k < Math.min(n, start + chunk); k++) {
                        int i = order.get(k);
                        timeouts[i] = loop.callAt(base + i * 1e-6, () -> fired[firedCount[0]++] = i);
                    }
                });
            }
            for (int i = 1; i < n; i += 2) {
                loop.removeTimeout(timeouts[i]);
            }
            fake.settle();
            assertThat(loop.stats().pendingTimeouts()).isEqualTo(n / 2);
            assertThat(fake.running.call(() -> firedCount[0])).isZero();

            fake.advance(Duration.ofSeconds(2)); // everything is due; settle waits for all of it
            int[] result = fake.running.call(() -> java.util.Arrays.copyOf(fired, firedCount[0]));
            assertThat(result).hasSize(n / 2);
            for (int k = 0; k < result.length; k++) {
                if (result[k] != 2 * k) {
                    fail("timeout #" + k + " to fire was index " + result[k] + ", expected " + 2 * k);
                }
            }
            for (int i = 0; i < n; i++) {
                boolean even = i % 2 == 0;
                if (timeouts[i].hasFired() != even || timeouts[i].isCancelled() == even) {
                    fail("timeout " + i + " is " + timeouts[i]);
                }
            }
            assertThat(loop.stats().pendingTimeouts()).isZero();
        }
    }

    @Test
    void aLoopStoppedAndStartedTenThousandTimesRunsEveryQueuedCallbackOnce() throws Exception {
        IOLoop loop = IOLoop.builder().name("stress-restart").makeCurrent(false).build();
        try {
            int callbacks = 200_000;
            int[] runs = new int[callbacks]; // written by whichever thread runs the loop; read by this one after
            CompletableFuture<Void> produced = CompletableFuture.runAsync(() -> {
                for (int i = 0; i < callbacks; i++) {
                    int index = i;
                    loop.addCallback(() -> runs[index]++);
                    if (i % 64 == 0) {
                        Thread.yield(); // spread the callbacks over many restarts
                    }
                }
            });
            int cycles = 10_000;
            for (int c = 0; c < cycles; c++) {
                loop.addCallback(loop::stop);
                loop.start();
                if (loop.isRunning() || loop.thread() != null) {
                    fail("cycle " + c + ": start() returned but the loop still looks running");
                }
            }
            Await.result(produced);
            loop.addCallback(loop::stop); // after every producer callback in the queue
            loop.start();
            long missing = 0;
            long twice = 0;
            for (int count : runs) {
                if (count == 0) {
                    missing++;
                } else if (count > 1) {
                    twice++;
                }
            }
            assertThat(missing).as("callbacks never run").isZero();
            assertThat(twice).as("callbacks run more than once").isZero();
            assertThat(loop.stats().iterations()).isGreaterThanOrEqualTo(cycles);
        } finally {
            loop.close();
        }
    }

    @Test
    void runSyncTenThousandTimesOnOneLoop() {
        IOLoop loop = IOLoop.builder().name("stress-run-sync").makeCurrent(false).build();
        try {
            long sum = 0;
            for (int i = 0; i < 10_000; i++) {
                int value = i;
                sum += loop.runSync(() -> CompletableFuture.completedFuture(value));
            }
            assertThat(sum).isEqualTo(10_000L * 9_999 / 2);
            assertThat(loop.isRunning()).isFalse();
        } finally {
            loop.close();
        }
    }

    @Test
    void removeTimeoutRacingWithFiringCancelsOrFiresEachTimeoutExactlyOnce(RunningLoop running) throws Exception {
        IOLoop loop = running.loop();
        int rounds = 50;
        int perRound = 2_000;
        int n = rounds * perRound;
        int[] fired = new int[n]; // loop thread only
        Timeout[] timeouts = new Timeout[n];
        for (int r = 0; r < rounds; r++) {
            int from = r * perRound;
            for (int i = from; i < from + perRound; i++) {
                int index = i;
                // due now or within a millisecond, so that many fire while the removers run; every
                // fourth is an hour away, so that some removals certainly win
                Duration delay = i % 4 == 0 ? Duration.ofHours(1)
                        : Duration.ofNanos(ThreadLocalRandom.current().nextLong(1_000_000));
                timeouts[i] = loop.callLater(delay, () -> fired[index]++);
            }
            // three removers race over the round, each in its own order, removing about half
            runConcurrently(3, t -> {
                List<Integer> mine = new ArrayList<>(perRound);
                for (int i = from; i < from + perRound; i++) {
                    if (i % 2 == 0) {
                        mine.add(i);
                    }
                }
                Collections.shuffle(mine, new Random(t));
                for (int i : mine) {
                    loop.removeTimeout(timeouts[i]);
                }
            });
        }
        // every timeout ends up fired or cancelled; wait for the stragglers (a millisecond at most)
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(WAIT_MS);
        for (int i = 0; i < n; i++) {
            while (!timeouts[i].hasFired() && !timeouts[i].isCancelled()) {
                if (System.nanoTime() > deadline) {
                    fail("timeout " + i + " neither fired nor was cancelled: " + timeouts[i]);
                }
                Thread.sleep(1);
            }
        }
        int[] counts = running.call(fired::clone);
        int cancelled = 0;
        for (int i = 0; i < n; i++) {
            boolean hasFired = timeouts[i].hasFired();
            boolean isCancelled = timeouts[i].isCancelled();
            if (hasFired == isCancelled) {
                fail("timeout " + i + " fired=" + hasFired + " cancelled=" + isCancelled);
            }
            if (counts[i] != (hasFired ? 1 : 0)) {
                fail("timeout " + i + " ran " + counts[i] + " times but hasFired=" + hasFired);
            }
            if (i % 2 == 1 && isCancelled) {
                fail("timeout " + i + " was never removed but is cancelled");
            }
            if (isCancelled) {
                cancelled++;
            }
        }
        assertThat(cancelled).isGreaterThanOrEqualTo(n / 4); // at least the hour-away ones
        running.drain();
        assertThat(running.call(() -> loop.stats().pendingTimeouts())).isZero();
    }
}
