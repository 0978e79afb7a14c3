package dev.ioloop;

import java.nio.channels.Pipe;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

import org.slf4j.event.Level;
import dev.ioloop.testing.BackendSuite;
import dev.ioloop.test.LogCapture;
import dev.ioloop.test.IOLoopTest;
import dev.ioloop.test.Await;
import dev.ioloop.test.RunningLoop;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * {@link IOLoop#stats()}: exact counts (callbacks run, errors, iterations, pending work, handlers),
 * time accounting that only grows, and {@link LoopStats#utilizationSince}.
 *
 * <p>The loop adds an iteration's callbacks-run count after the iteration's callbacks and timeouts,
 * so a test waits until a counter reaches the exact value it expects, then checks it stays there.
 */
@IOLoopTest(makeCurrent = false)
public abstract class LoopStatsTests extends BackendSuite {

    private static final long WAIT_NANOS = Await.timeout().toNanos();

    /** Waits (generously) until a counter reaches {@code expected}; fails if it passes it or never gets there. */
    private static void awaitExactly(String what, LongSupplier counter, long expected) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT_NANOS;
        long value;
        while ((value = counter.getAsLong()) < expected) {
            if (System.nanoTime() > deadline) {
                fail(what + " stayed at " + value + ", expected " + expected);
            }
            Thread.sleep(1);
        }
        assertThat(value).as(what).isEqualTo(expected);
    }

    @Test
    void aNewLoopCountsCallbacksQueuedBeforeItStarts() throws Exception {
        IOLoop loop = IOLoop.builder().name("stats-new").makeCurrent(false).build();
        RunningLoop running = null;
        try {
            LoopStats fresh = loop.stats();
            assertThat(fresh.name()).isEqualTo("stats-new");
            assertThat(fresh.pendingCallbacks()).isZero();
            assertThat(fresh.callbacksRun()).isZero();
            assertThat(fresh.iterations()).isZero();
            assertThat(fresh.busyNanos()).isZero();
            assertThat(fresh.idleNanos()).isZero();
            assertThat(fresh.blockedForNanos()).isZero();
            for (int i = 0; i < 5; i++) {
                loop.addCallback(() -> { });
            }
            assertThat(loop.stats().pendingCallbacks()).isEqualTo(5);
            assertThat(loop.stats().callbacksRun()).isZero();

            running = RunningLoop.start(loop); // queues one more callback to learn that the loop runs
            RunningLoop started = running;
            awaitExactly("callbacksRun", () -> started.loop().stats().callbacksRun(), 6);
            assertThat(loop.stats().pendingCallbacks()).isZero();
            assertThat(loop.stats().iterations()).isPositive();
        } finally {
            loop.stop();
            if (running != null) {
                running.thread().join(Await.timeout().toMillis());
            }
            loop.close();
        }
    }

    @Test
    void callbacksRunCountsCallbacksAndTimeoutsExactly(RunningLoop running) throws Exception {
        IOLoop loop = running.loop();
        running.drain();
        awaitExactly("callbacksRun after start", () -> loop.stats().callbacksRun(), 2); // start latch + drain
        for (int i = 0; i < 100; i++) {
            loop.addCallback(() -> { });
        }
        running.drain();
        awaitExactly("callbacksRun after 100 callbacks", () -> loop.stats().callbacksRun(), 2 + 100 + 1);
        CompletableFuture<Void> fired = new CompletableFuture<>();
        // from the loop thread: one callback (run) and one timeout
        running.run(() -> loop.callLater(0.0, () -> fired.complete(null)));
        running.await(fired);
        awaitExactly("callbacksRun after a timeout", () -> loop.stats().callbacksRun(), 103 + 2);
        assertThat(loop.stats().callbackErrors()).isZero();
    }

    @Test
    void callbackErrorsCountsEveryReportedException(RunningLoop running) throws Exception {
        IOLoop loop = running.loop();
        try (LogCapture logs = LogCapture.start()) {
            for (int i = 0; i < 3; i++) {
                loop.addCallback(() -> {
                    throw new IllegalStateException("counted");
                });
            }
            running.run(() -> loop.callLater(0.0, () -> {
                throw new IllegalArgumentException("timeout counted too");
            }));
            running.drain();
            awaitExactly("callbackErrors", () -> loop.stats().callbackErrors(), 4);
            running.drain(); // the count goes up just before the report is logged: let the last one finish
            assertThat(logs.count(Level.ERROR, "Exception in callback")).isEqualTo(4);
        }
    }

    @Test
    void iterationsGrowWithEachRoundTrip(RunningLoop running) throws Exception {
        IOLoop loop = running.loop();
        running.drain();
        long before = loop.stats().iterations();
        for (int i = 0; i < 10; i++) {
            running.drain(); // each round trip needs at least one iteration of its own
        }
        assertThat(loop.stats().iterations()).isGreaterThanOrEqualTo(before + 10);
    }

    @Test
    void pendingTimeoutsFollowAddsRemovesAndFiring(RunningLoop running) throws Exception {
        IOLoop loop = running.loop();
        Timeout first = loop.callLater(3600.0, () -> { });
        loop.callLater(Duration.ofHours(1), () -> { });
        loop.callAt(loop.time() + 3600, () -> { });
        running.drain();
        assertThat(loop.stats().pendingTimeouts()).isEqualTo(3);
        loop.removeTimeout(first);
        running.drain();
        assertThat(loop.stats().pendingTimeouts()).isEqualTo(2);
        CompletableFuture<Void> fired = new CompletableFuture<>();
        loop.callLater(0.0, () -> fired.complete(null));
        running.await(fired);
        running.drain();
        assertThat(loop.stats().pendingTimeouts()).isEqualTo(2);
    }

    @Test
    void handlersCountsRegisteredChannels(RunningLoop running) throws Exception {
        IOLoop loop = running.loop();
        Pipe pipe = Pipe.open();
        try {
            pipe.source().configureBlocking(false);
            pipe.sink().configureBlocking(false);
            assertThat(loop.stats().handlers()).isZero();
            loop.addHandler(pipe.source(), (channel, events) -> { }, IOLoop.READ);
            assertThat(loop.stats().handlers()).isEqualTo(1);
            loop.addHandler(pipe.sink(), (channel, events) -> { }, IOLoop.NONE);
            assertThat(loop.stats().handlers()).isEqualTo(2);
            loop.removeHandler(pipe.source());
            loop.removeHandler(pipe.sink());
            running.drain();
            assertThat(loop.stats().handlers()).isZero();
        } finally {
            pipe.source().close();
            pipe.sink().close();
        }
    }

    @Test
    void busyAndIdleTimeOnlyGrowAndUtilizationStaysInRange(RunningLoop running) throws Exception {
        IOLoop loop = running.loop();
        running.drain();
        LoopStats s1 = loop.stats();
        // busy: a callback that spins for 5 ms
        running.run(() -> {
            long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(5);
            while (System.nanoTime() < until) {
                Thread.onSpinWait();
            }
        });
        // idle: the loop waits in select for a 20 ms timer
        CompletableFuture<Void> timer = new CompletableFuture<>();
        loop.callLater(0.02, () -> timer.complete(null));
        running.await(timer);
        running.drain();
        LoopStats s2 = loop.stats();
        assertThat(s2.busyNanos() - s1.busyNanos()).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(5));
        assertThat(s2.idleNanos()).isGreaterThan(s1.idleNanos());
        double utilization = s2.utilizationSince(s1);
        assertThat(utilization).isBetween(0.0, 1.0).isPositive();
        // a snapshot never goes backwards, even read from another thread while the loop runs
        LoopStats previous = loop.stats();
        for (int i = 0; i < 200; i++) {
            loop.addCallback(() -> { });
            LoopStats next = loop.stats();
            assertThat(next.busyNanos()).isGreaterThanOrEqualTo(previous.busyNanos());
            assertThat(next.idleNanos()).isGreaterThanOrEqualTo(previous.idleNanos());
            assertThat(next.iterations()).isGreaterThanOrEqualTo(previous.iterations());
            assertThat(next.callbacksRun()).isGreaterThanOrEqualTo(previous.callbacksRun());
            assertThat(next.utilizationSince(previous)).isBetween(0.0, 1.0);
            previous = next;
        }
    }

    @Test
    void utilizationSinceIsBusyOverBusyPlusIdle() {
        LoopStats earlier = new LoopStats("u", 0, 0, 0, 0, 0, 0, 100, 100, 0, 0);
        assertThat(new LoopStats("u", 0, 0, 0, 0, 0, 0, 130, 110, 0, 0).utilizationSince(earlier)).isEqualTo(0.75);
        assertThat(new LoopStats("u", 0, 0, 0, 0, 0, 0, 100, 150, 0, 0).utilizationSince(earlier)).isZero();
        assertThat(new LoopStats("u", 0, 0, 0, 0, 0, 0, 150, 100, 0, 0).utilizationSince(earlier)).isEqualTo(1.0);
        assertThat(earlier.utilizationSince(earlier)).isZero(); // no time passed
    }

    @Test
    void aStoppedLoopIsNotBlocked() throws Exception {
        IOLoop loop = IOLoop.builder().name("stats-stopped").makeCurrent(false).build();
        try {
            loop.addCallback(loop::stop);
            loop.start();
            LoopStats stats = loop.stats();
            assertThat(stats.blockedForNanos()).isZero();
            assertThat(stats.callbacksRun()).isEqualTo(1);
            assertThat(stats.iterations()).isEqualTo(1);
            assertThat(stats.busyNanos()).isGreaterThanOrEqualTo(0);
            // not running: the busy time is frozen
            assertThat(loop.stats().busyNanos()).isEqualTo(stats.busyNanos());
        } finally {
            loop.close();
        }
    }

    @Test
    void busyTimeDoesNotGoBackWhenTheLoopEntersSelect() throws Exception {
        // The loop announces select before it adds the iteration's busy time: a snapshot taken in
        // between must not drop the awake time an earlier snapshot already counted.
        GatedClock clock = new GatedClock();
        IOLoop loop = IOLoop.builder().name("stats-gated").clock(clock).makeCurrent(false).build();
        RunningLoop running = RunningLoop.start(loop);
        try {
            running.drain();
            CountDownLatch inCallback = new CountDownLatch(1);
            CountDownLatch proceed = new CountDownLatch(1);
            loop.addCallback(() -> {
                clock.gate(Thread.currentThread()); // hold the loop's next clock reading: the one before select
                inCallback.countDown();
                awaitLatch(proceed);
            });
            awaitLatch(inCallback);
            clock.nanos.addAndGet(500_000);
            LoopStats awake = loop.stats();
            proceed.countDown();
            awaitLatch(clock.arrived); // the loop announced select and is about to account the iteration
            LoopStats entering = loop.stats();
            clock.release.countDown();
            assertThat(entering.busyNanos()).isGreaterThanOrEqualTo(awake.busyNanos());
            running.drain();
            assertThat(loop.stats().busyNanos()).isGreaterThanOrEqualTo(awake.busyNanos());
        } finally {
            clock.release.countDown();
            loop.stop();
            running.thread().join(Await.timeout().toMillis());
            loop.close();
        }
    }

    @Test
    void aReaderDelayedWhileTheLoopEntersSelectDoesNotReportTheIdleTimeAsBlocked() throws Exception {
        // The reader sees the loop awake, then is held (preempted, on a loaded machine) before it
        // reads the clock; meanwhile the loop finishes its iteration and idles in select for 10 s.
        GatedClock clock = new GatedClock();
        IOLoop loop = IOLoop.builder().name("stats-probe").clock(clock).makeCurrent(false).build();
        RunningLoop running = RunningLoop.start(loop);
        CountDownLatch proceed = new CountDownLatch(1);
        try {
            running.drain();
            CountDownLatch inCallback = new CountDownLatch(1);
            loop.addCallback(() -> {
                inCallback.countDown();
                awaitLatch(proceed);
            });
            awaitLatch(inCallback);
            CompletableFuture<IterationProbe> seen = new CompletableFuture<>();
            Thread reader = new Thread(() -> seen.complete(loop.iterationProbe()), "probe-reader");
            clock.gate(reader); // held at its first clock reading, after it saw the loop awake
            reader.start();
            awaitLatch(clock.arrived);
            proceed.countDown();
            long deadline = System.nanoTime() + WAIT_NANOS;
            while (loop.iterationProbe() != null) { // null while running: idle in select
                if (System.nanoTime() > deadline) {
                    fail("the loop never reached select");
                }
                Thread.yield();
            }
            clock.nanos.addAndGet(TimeUnit.SECONDS.toNanos(10));
            clock.release.countDown();
            IterationProbe probe = seen.get(WAIT_NANOS, TimeUnit.NANOSECONDS);
            assertThat(probe == null ? 0 : probe.blockedNanos()).as("blocked time reported for an idle loop")
                    .isLessThan(TimeUnit.SECONDS.toNanos(10));
        } finally {
            proceed.countDown();
            clock.release.countDown();
            loop.stop();
            running.thread().join(Await.timeout().toMillis());
            loop.close();
        }
    }

    private static void awaitLatch(CountDownLatch latch) {
        try {
            if (!latch.await(WAIT_NANOS, TimeUnit.NANOSECONDS)) {
                throw new AssertionError("gave up waiting after " + Await.timeout());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** A fake clock that holds one chosen thread's next reading until released. */
    private static final class GatedClock implements LoopClock {
        // ordering: atomic, so the test thread's moves are visible to the loop thread's next reading.
        final AtomicLong nanos = new AtomicLong(1_000_000_000_000L);
        // ordering: volatile; set by the loop thread itself, read by every reading.
        private volatile Thread gated;
        final CountDownLatch arrived = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);

        void gate(Thread thread) {
            gated = thread;
        }

        @Override
        public long nanoTime() {
            if (Thread.currentThread() == gated) {
                gated = null;
                arrived.countDown();
                awaitLatch(release);
            }
            return nanos.get();
        }
    }
}
