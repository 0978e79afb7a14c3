package dev.ioloop;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import dev.ioloop.testing.BackendSuite;
import dev.ioloop.test.FakeClock;
import dev.ioloop.test.IOLoopTest;
import dev.ioloop.test.RunningLoop;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

@IOLoopTest(makeCurrent = false)
public abstract class IOLoopTimeoutTests extends BackendSuite {

    private static RunningLoop onFakeClock(FakeClock clock) {
        return RunningLoop.start(IOLoop.builder().name("fake-clock").clock(clock).makeCurrent(false).build());
    }

    private static void stop(RunningLoop running) throws InterruptedException {
        running.close();
    }

    @Test
    void dueTimeoutsRunInDeadlineOrderAndEqualDeadlinesInTheOrderAdded() throws Exception {
        FakeClock clock = new FakeClock();
        RunningLoop running = onFakeClock(clock);
        try {
            IOLoop loop = running.loop();
            List<String> order = new ArrayList<>();
            running.run(() -> {
                double now = loop.time();
                loop.addTimeout(now + 3, () -> order.add("c"));
                loop.callAt(now + 1, () -> order.add("a1"));
                loop.callLater(2.0, () -> order.add("b"));
                loop.callLater(Duration.ofSeconds(1), () -> order.add("a2"));
                loop.addTimeout(Duration.ofSeconds(1), () -> order.add("a3"));
            });
            clock.advance(Duration.ofSeconds(5));
            running.drain();
            running.drain();
            assertThat(running.call(() -> new ArrayList<>(order))).containsExactly("a1", "a2", "a3", "b", "c");
        } finally {
            stop(running);
        }
    }

    @Test
    void aTimeoutAddedByACallbackWaitsForTheNextIterationEvenWhenOtherTimeoutsArePending() throws Exception {
        // Tornado fixes the due timeouts when an iteration begins: a callLater(0) made by a callback of
        // that iteration runs in the next one, after that iteration's callbacks. The far timeout only
        // makes the queue non-empty: without any pending timeout the order was right already.
        FakeClock clock = new FakeClock();
        RunningLoop running = onFakeClock(clock);
        try {
            IOLoop loop = running.loop();
            List<String> order = new CopyOnWriteArrayList<>();
            CompletableFuture<List<String>> done = new CompletableFuture<>();
            running.run(() -> {
                loop.callLater(3600.0, () -> order.add("far"));
                loop.addCallback(() -> { // an iteration's callback
                    loop.callLater(0.0, () -> {
                        order.add("timeout");
                        done.complete(order);
                    });
                    loop.addCallback(() -> order.add("next iteration's callback"));
                });
            });
            assertThat(running.await(done)).containsExactly("next iteration's callback", "timeout");
        } finally {
            stop(running);
        }
    }

    @Test
    void aTimeoutDoesNotFireBeforeItsDeadline() throws Exception {
        FakeClock clock = new FakeClock();
        RunningLoop running = onFakeClock(clock);
        try {
            AtomicInteger fired = new AtomicInteger();
            running.loop().callLater(Duration.ofMillis(100), fired::incrementAndGet);
            clock.advance(Duration.ofMillis(99));
            running.drain();
            running.drain();
            assertThat(fired).hasValue(0);
            clock.advance(Duration.ofMillis(1));
            running.drain();
            running.drain();
            assertThat(fired).hasValue(1);
        } finally {
            stop(running);
        }
    }

    @Test
    void aRealTimeoutFiresWithoutAnyOtherWakeup(RunningLoop running) throws Exception {
        CompletableFuture<Double> firedAt = new CompletableFuture<>();
        double deadline = running.loop().time() + 0.02;
        running.loop().callAt(deadline, () -> firedAt.complete(running.loop().time()));
        assertThat(running.await(firedAt)).isGreaterThanOrEqualTo(deadline);
    }

    @Test
    void removedTimeoutsNeverFireAndRemovingIsSafeAfterFiringAndTwice() throws Exception {
        FakeClock clock = new FakeClock();
        RunningLoop running = onFakeClock(clock);
        try {
            IOLoop loop = running.loop();
            AtomicInteger fired = new AtomicInteger();
            Timeout removedHere = loop.callLater(1.0, fired::incrementAndGet); // from the test thread
            Timeout removedOnLoop = running.call(() -> loop.callLater(1.0, fired::incrementAndGet));
            Timeout kept = loop.callLater(1.0, fired::incrementAndGet);
            loop.removeTimeout(removedHere);
            running.run(() -> loop.removeTimeout(removedOnLoop));
            removedHere.cancel();
            clock.advance(Duration.ofSeconds(2));
            running.drain();
            running.drain();
            assertThat(fired).hasValue(1);
            assertThat(kept.hasFired()).isTrue();
            assertThat(removedHere.isCancelled()).isTrue();
            assertThat(removedOnLoop.isCancelled()).isTrue();
            loop.removeTimeout(kept);
            loop.removeTimeout(kept);
            assertThat(kept.isCancelled()).isFalse();
            assertThat(loop.stats().pendingTimeouts()).isZero();
        } finally {
            stop(running);
        }
    }

    @Test
    void aTimeoutRemovedByAnEarlierTimeoutOfTheSameIterationDoesNotRun() throws Exception {
        FakeClock clock = new FakeClock();
        RunningLoop running = onFakeClock(clock);
        try {
            IOLoop loop = running.loop();
            List<String> ran = new ArrayList<>();
            running.run(() -> {
                Timeout[] second = new Timeout[1];
                loop.callLater(1.0, () -> {
                    ran.add("first");
                    loop.removeTimeout(second[0]);
                });
                second[0] = loop.callLater(1.5, () -> ran.add("second"));
            });
            clock.advance(Duration.ofSeconds(2));
            running.drain();
            running.drain();
            assertThat(running.call(() -> new ArrayList<>(ran))).containsExactly("first");
        } finally {
            stop(running);
        }
    }

    @Test
    void timeoutsAddedByATimeoutForTheSameInstantRunInALaterIteration() throws Exception {
        FakeClock clock = new FakeClock();
        RunningLoop running = onFakeClock(clock);
        try {
            IOLoop loop = running.loop();
            long[] iterations = new long[2];
            CompletableFuture<Void> done = new CompletableFuture<>();
            loop.callLater(0.0, () -> {
                iterations[0] = loop.stats().iterations();
                loop.callLater(0.0, () -> {
                    iterations[1] = loop.stats().iterations();
                    done.complete(null);
                });
            });
            running.await(done);
            assertThat(iterations[1]).isGreaterThan(iterations[0]);
        } finally {
            stop(running);
        }
    }

    @Test
    void aTimeoutOfAnotherLoopIsRejected(RunningLoop running) {
        IOLoop other = IOLoop.builder().name("other").makeCurrent(false).build();
        try {
            Timeout foreign = other.callLater(10.0, () -> { });
            assertThatIllegalArgumentException().isThrownBy(() -> running.loop().removeTimeout(foreign))
                    .withMessageContaining("belongs to IOLoop 'other'");
        } finally {
            other.close();
        }
    }

    @Test
    void nonFiniteDeadlinesAreRejectedAndScheduleNothing(RunningLoop running) {
        IOLoop loop = running.loop();
        assertThatIllegalArgumentException().isThrownBy(() -> loop.addTimeout(Double.NaN, () -> { }))
                .withMessage("'when' must be a finite number of seconds (was NaN)");
        assertThatIllegalArgumentException().isThrownBy(() -> loop.callAt(Double.POSITIVE_INFINITY, () -> { }))
                .withMessageContaining("Infinity");
        assertThatIllegalArgumentException().isThrownBy(() -> loop.callLater(Double.NEGATIVE_INFINITY, () -> { }))
                .withMessageContaining("'delaySeconds'");
        assertThat(loop.stats().pendingTimeouts()).isZero();
    }

    @Test
    void farDeadlinesAreClampedAndPastDeadlinesRunAtOnce(RunningLoop running) throws Exception {
        IOLoop loop = running.loop();
        Timeout far = loop.callLater(Duration.ofDays(365L * 1000), () -> { });
        Timeout farSeconds = loop.callAt(1e300, () -> { });
        CompletableFuture<String> past = new CompletableFuture<>();
        loop.callAt(loop.time() - 1000, () -> past.complete("ran"));
        assertThat(running.await(past)).isEqualTo("ran");
        assertThat(far.deadline()).isGreaterThan(loop.time() + 1e9);
        assertThat(farSeconds.deadline()).isGreaterThan(loop.time() + 1e9);
        assertThat(loop.stats().pendingTimeouts()).isEqualTo(2);
        far.cancel();
        farSeconds.cancel();
    }

    @Test
    void timeIsTheClockInSeconds() {
        FakeClock clock = new FakeClock(5_000_000_000L);
        IOLoop loop = IOLoop.builder().clock(clock).makeCurrent(false).build();
        try {
            assertThat(loop.time()).isEqualTo(5.0);
            clock.advance(Duration.ofMillis(1500));
            assertThat(loop.time()).isEqualTo(6.5);
            assertThat(loop.callAt(7.25, () -> { }).deadline()).isEqualTo(7.25);
        } finally {
            loop.close();
        }
    }

    @Test
    void theSystemClockIsMonotonic() {
        IOLoop loop = IOLoop.builder().makeCurrent(false).build();
        try {
            double previous = loop.time();
            for (int i = 0; i < 10_000; i++) {
                double now = loop.time();
                assertThat(now).isGreaterThanOrEqualTo(previous);
                previous = now;
            }
        } finally {
            loop.close();
        }
    }
}
