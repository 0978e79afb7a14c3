package dev.ioloop;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Queue;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.DoubleSupplier;

import org.slf4j.event.Level;
import dev.ioloop.testing.BackendSuite;
import dev.ioloop.test.FakeClock;
import dev.ioloop.test.LogCapture;
import dev.ioloop.test.IOLoopTest;
import dev.ioloop.test.Await;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;
import static org.assertj.core.api.Assertions.within;

/**
 * PeriodicCallback on a fake clock: the grid, overruns, clock steps and jitter (the cases of
 * Tornado's TestPeriodicCallbackMath, both against the pure {@code nextTimeout} function and end to
 * end on a loop), errors, and start/stop from any thread. No test sleeps.
 */
@IOLoopTest(makeCurrent = false)
public abstract class PeriodicCallbackTests extends BackendSuite {

    private static final long SECOND = 1_000_000_000L;
    private static final long PERIOD = 10 * SECOND;
    /** FakeClock's origin: 1000 s, the "now" of Tornado's math tests. */
    private static final long T0 = 1000 * SECOND;

    // ------------------------------------------------------------------ the pure schedule function

    /** Tornado's simulate_calls: each call's time, given how long each call took (seconds, may be negative). */
    private static List<Long> simulate(long period, long... durationsSeconds) {
        List<Long> calls = new ArrayList<>();
        long now = T0;
        long next = T0;
        for (long duration : durationsSeconds) {
            next = PeriodicCallback.nextTimeout(next, now, period);
            calls.add(next);
            now = next + duration * SECOND;
        }
        return calls;
    }

    private static List<Long> seconds(long... values) {
        List<Long> nanos = new ArrayList<>();
        for (long value : values) {
            nanos.add(value * SECOND);
        }
        return nanos;
    }

    @Test
    void nextTimeoutStepsOnePeriodWhenCallsTakeNoTime() {
        assertThat(simulate(PERIOD, 0, 0, 0, 0, 0)).isEqualTo(seconds(1010, 1020, 1030, 1040, 1050));
    }

    @Test
    void nextTimeoutSkipsWholeMissedPeriodsAfterAnOverrun() {
        long[] durations = {9, 9, 10, 11, 20, 20, 35, 35, 0, 0, 0};
        assertThat(simulate(PERIOD, durations)).isEqualTo(seconds(
                1010, 1020, 1030,   // on time
                1050, 1070,         // each one period late
                1100, 1130,         // two periods late
                1170, 1210,         // three periods late
                1220, 1230));       // back on the grid
    }

    @Test
    void nextTimeoutStillAdvancesWhenTheClockGoesBackwards() {
        assertThat(simulate(PERIOD, -2, -1, -3, -2, 0)).isEqualTo(seconds(1010, 1020, 1030, 1040, 1050));
        // a big step back is not "caught up": the next call is still one period on
        assertThat(simulate(PERIOD, -100, 0, 0)).isEqualTo(seconds(1010, 1020, 1030));
    }

    @Test
    void nextTimeoutLandsOnTheFirstGridPointStrictlyAfterNow() {
        assertThat(PeriodicCallback.nextTimeout(T0, T0, PERIOD)).isEqualTo(T0 + PERIOD);
        assertThat(PeriodicCallback.nextTimeout(T0, T0 + PERIOD, PERIOD)).isEqualTo(T0 + 2 * PERIOD);
        assertThat(PeriodicCallback.nextTimeout(T0, T0 + PERIOD - 1, PERIOD)).isEqualTo(T0 + PERIOD);
        assertThat(PeriodicCallback.nextTimeout(T0, T0 + 1000 * PERIOD + 1, PERIOD)).isEqualTo(T0 + 1001 * PERIOD);
    }

    // ------------------------------------------------------------------ end to end on a fake clock

    /** Records each run's clock reading, then "takes" the next duration by moving the clock on. */
    private static final class Recorder implements Runnable {
        final List<Long> runs = new CopyOnWriteArrayList<>();
        final List<Thread> threads = new CopyOnWriteArrayList<>();
        private final FakeClock clock;
        private final Queue<Long> durations = new ArrayDeque<>();

        Recorder(FakeClock clock, long... durationsNanos) {
            this.clock = clock;
            for (long d : durationsNanos) {
                durations.add(d);
            }
        }

        @Override
        public void run() {
            runs.add(clock.nanoTime());
            threads.add(Thread.currentThread());
            Long duration;
            synchronized (durations) {
                duration = durations.poll();
            }
            if (duration != null) {
                clock.advanceNanos(duration);
            }
        }
    }

    /** Advances well past several periods and asserts that nothing ran. */
    private static void expectNoMoreRuns(FakeTimeLoop fake, List<Long> runs) throws Exception {
        int before = runs.size();
        for (int i = 0; i < 5; i++) {
            fake.advance(Duration.ofNanos(PERIOD));
        }
        assertThat(runs).hasSize(before);
    }

    @Test
    void firstRunIsOnePeriodAfterStartAndLaterRunsStayOnTheGrid() throws Exception {
        try (FakeTimeLoop fake = FakeTimeLoop.start("periodic")) {
            Recorder recorder = new Recorder(fake.clock);
            PeriodicCallback pc = new PeriodicCallback(recorder, Duration.ofNanos(PERIOD));
            assertThat(pc.isRunning()).isFalse();
            long start = fake.now();
            pc.start(fake.loop);
            assertThat(pc.isRunning()).isTrue();
            for (int k = 1; k <= 5; k++) {
                fake.expectRunAt(recorder.runs, start + k * PERIOD);
            }
            assertThat(recorder.threads).containsOnly(fake.running.thread());
            pc.stop();
        }
    }

    @Test
    void millisecondConstructorUsesMilliseconds() throws Exception {
        try (FakeTimeLoop fake = FakeTimeLoop.start("periodic-millis")) {
            Recorder recorder = new Recorder(fake.clock);
            PeriodicCallback pc = new PeriodicCallback(recorder, 250.0);
            long start = fake.now();
            pc.start(fake.loop);
            fake.expectRunAt(recorder.runs, start + 250_000_000L);
            fake.expectRunAt(recorder.runs, start + 500_000_000L);
            pc.stop();
        }
    }

    @Test
    void anOverrunSkipsMissedRunsInsteadOfCatchingUp() throws Exception {
        long[] durations = {9, 9, 10, 11, 20, 20, 35, 35, 0, 0, 0};
        long[] expected = {1010, 1020, 1030, 1050, 1070, 1100, 1130, 1170, 1210, 1220, 1230};
        runEndToEnd(durations, expected);
    }

    @Test
    void aClockGoingBackwardsStillAdvancesTheSchedule() throws Exception {
        runEndToEnd(new long[] {-2, -1, -3, -2, 0}, new long[] {1010, 1020, 1030, 1040, 1050});
    }

    private static void runEndToEnd(long[] durationsSeconds, long[] expectedSeconds) throws Exception {
        try (FakeTimeLoop fake = FakeTimeLoop.start("periodic-e2e")) {
            assertThat(fake.now()).isEqualTo(T0);
            long[] durations = new long[durationsSeconds.length];
            for (int i = 0; i < durations.length; i++) {
                durations[i] = durationsSeconds[i] * SECOND;
            }
            Recorder recorder = new Recorder(fake.clock, durations);
            PeriodicCallback pc = new PeriodicCallback(recorder, Duration.ofNanos(PERIOD));
            pc.start(fake.loop);
            for (long at : expectedSeconds) {
                fake.expectRunAt(recorder.runs, at * SECOND);
            }
            pc.stop();
            assertThat(recorder.runs).isEqualTo(seconds(expectedSeconds));
        }
    }

    @Test
    void jitterDrawsEachStepFromTheWindowAroundThePeriod() throws Exception {
        // Tornado's jitter case: jitter 0.5 and r = 0.5, 1, 0, 0.75 give steps of 10, 12.5, 7.5, 11.25 s
        Queue<Double> randoms = new ArrayDeque<>(List.of(0.5, 1.0, 0.0, 0.75));
        DoubleSupplier random = () -> {
            synchronized (randoms) {
                Double r = randoms.poll();
                return r == null ? 0.5 : r;
            }
        };
        try (FakeTimeLoop fake = FakeTimeLoop.start("periodic-jitter")) {
            Recorder recorder = new Recorder(fake.clock);
            PeriodicCallback pc = new PeriodicCallback(recorder, PERIOD, 0.5, random);
            pc.start(fake.loop);
            long[] expectedMillis = {1_010_000, 1_022_500, 1_030_000, 1_041_250};
            for (long at : expectedMillis) {
                fake.expectRunAt(recorder.runs, at * 1_000_000L);
            }
            pc.stop();
        }
    }

    @Test
    void jitteredStepsStayInTheWindowAndAverageToThePeriod() throws Exception {
        double jitter = 0.2;
        long period = SECOND;
        Random seeded = new Random(20261122L);
        List<Double> drawn = Collections.synchronizedList(new ArrayList<>());
        DoubleSupplier random = () -> {
            double r = seeded.nextDouble();
            drawn.add(r);
            return r;
        };
        int runs = 200;
        try (FakeTimeLoop fake = FakeTimeLoop.start("periodic-jitter-mean")) {
            Recorder recorder = new Recorder(fake.clock);
            PeriodicCallback pc = new PeriodicCallback(recorder, period, jitter, random);
            long previous = fake.now();
            pc.start(fake.loop);
            long low = Math.round(period * (1 - jitter / 2));
            long high = Math.round(period * (1 + jitter / 2));
            List<Long> steps = new ArrayList<>();
            for (int k = 0; k < runs; k++) {
                // the step drawn for this run: the k-th random, by the documented formula
                long step = Math.round(period * (1 + jitter * (drawn.get(k) - 0.5)));
                fake.expectRunAt(recorder.runs, previous + step);
                steps.add(step);
                previous += step;
            }
            pc.stop();
            assertThat(steps).allSatisfy(step -> assertThat(step).isBetween(low, high));
            double mean = steps.stream().mapToLong(Long::longValue).average().orElseThrow();
            assertThat(mean).isCloseTo(period, within(period * 0.02));
            // the window is really used, not a constant step
            assertThat(Collections.min(steps)).isLessThan(Math.round(period * 0.95));
            assertThat(Collections.max(steps)).isGreaterThan(Math.round(period * 1.05));
        }
    }

    @Test
    void anExceptionGoesToHandleCallbackExceptionAndTheNextRunStillHappens() throws Exception {
        FakeClock clock = new FakeClock();
        List<Object> reported = new CopyOnWriteArrayList<>();
        IOLoop loop = new IOLoop(IOLoop.builder().name("periodic-errors").clock(clock).makeCurrent(false)) {
            @Override
            protected void handleCallbackException(Object callback, Throwable error) {
                reported.add(callback);
                super.handleCallbackException(callback, error);
            }
        };
        List<Long> runs = new CopyOnWriteArrayList<>();
        Runnable failing = new Runnable() {
            @Override
            public void run() {
                runs.add(clock.nanoTime());
                if (runs.size() == 1) {
                    throw new IllegalStateException("first run fails");
                }
            }

            @Override
            public String toString() {
                return "failing-periodic";
            }
        };
        try (FakeTimeLoop fake = FakeTimeLoop.start(clock, loop);
             LogCapture logs = LogCapture.start()) {
            PeriodicCallback pc = new PeriodicCallback(failing, Duration.ofNanos(PERIOD));
            long start = fake.now();
            pc.start(loop);
            fake.expectRunAt(runs, start + PERIOD);
            assertThat(loop.stats().callbackErrors()).isEqualTo(1);
            assertThat(reported).containsExactly(failing);
            assertThat(logs.count(Level.ERROR, "Exception in callback failing-periodic")).isEqualTo(1);
            assertThat(pc.isRunning()).isTrue();
            fake.expectRunAt(runs, start + 2 * PERIOD);
            fake.expectRunAt(runs, start + 3 * PERIOD);
            assertThat(loop.stats().callbackErrors()).isEqualTo(1);
            pc.stop();
        }
    }

    @Test
    void stopFromAnotherThreadPreventsFurtherRuns() throws Exception {
        try (FakeTimeLoop fake = FakeTimeLoop.start("periodic-stop")) {
            Recorder recorder = new Recorder(fake.clock);
            PeriodicCallback pc = new PeriodicCallback(recorder, Duration.ofNanos(PERIOD));
            long start = fake.now();
            pc.start(fake.loop);
            fake.expectRunAt(recorder.runs, start + PERIOD);
            Thread stopper = new Thread(pc::stop, "stopper");
            stopper.start();
            stopper.join();
            assertThat(pc.isRunning()).isFalse();
            expectNoMoreRuns(fake, recorder.runs);
            pc.stop(); // stopping twice is harmless
        }
    }

    @Test
    void stopFromAnotherThreadDuringARunPreventsTheNextOne() throws Exception {
        try (FakeTimeLoop fake = FakeTimeLoop.start("periodic-stop-during")) {
            CountDownLatch entered = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            List<Long> runs = new CopyOnWriteArrayList<>();
            PeriodicCallback pc = new PeriodicCallback(() -> {
                runs.add(fake.clock.nanoTime());
                entered.countDown();
                try {
                    release.await(Await.timeout().toMillis(), TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, Duration.ofNanos(PERIOD));
            pc.start(fake.loop);
            fake.clock.advanceNanos(PERIOD);
            fake.loop.addCallback(() -> { }); // wake the loop; the run then blocks the loop thread
            assertThat(entered.await(Await.timeout().toMillis(), TimeUnit.MILLISECONDS)).isTrue();
            pc.stop();
            release.countDown();
            fake.settle();
            assertThat(runs).hasSize(1);
            expectNoMoreRuns(fake, runs);
        }
    }

    @Test
    void stopFromInsideTheCallbackPreventsFurtherRuns() throws Exception {
        try (FakeTimeLoop fake = FakeTimeLoop.start("periodic-self-stop")) {
            List<Long> runs = new CopyOnWriteArrayList<>();
            PeriodicCallback[] self = new PeriodicCallback[1];
            self[0] = new PeriodicCallback(() -> {
                runs.add(fake.clock.nanoTime());
                if (runs.size() == 2) {
                    self[0].stop();
                }
            }, Duration.ofNanos(PERIOD));
            long start = fake.now();
            self[0].start(fake.loop);
            fake.expectRunAt(runs, start + PERIOD);
            fake.expectRunAt(runs, start + 2 * PERIOD);
            assertThat(self[0].isRunning()).isFalse();
            expectNoMoreRuns(fake, runs);
        }
    }

    @Test
    void startWhileRunningIsRejectedWithAClearMessage() throws Exception {
        try (FakeTimeLoop fake = FakeTimeLoop.start("periodic-twice")) {
            Recorder recorder = new Recorder(fake.clock);
            PeriodicCallback pc = new PeriodicCallback(recorder, Duration.ofNanos(PERIOD));
            long start = fake.now();
            pc.start(fake.loop);
            assertThatIllegalStateException().isThrownBy(() -> pc.start(fake.loop))
                    .withMessageContaining("already running")
                    .withMessageContaining("periodic-twice")
                    .withMessageContaining("stop()");
            // the rejected call changed nothing: one run per period, on the original grid
            fake.expectRunAt(recorder.runs, start + PERIOD);
            fake.expectRunAt(recorder.runs, start + 2 * PERIOD);
            pc.stop();
        }
    }

    @Test
    void startOnAClosedLoopIsRejectedAndLeavesItStopped() {
        IOLoop closed = IOLoop.builder().name("periodic-closed").makeCurrent(false).build();
        closed.close();
        PeriodicCallback pc = new PeriodicCallback(() -> { }, Duration.ofSeconds(1));
        // on a closed loop its timeout would be dropped: a callback that says it runs but never does
        assertThatIllegalStateException().isThrownBy(() -> pc.start(closed))
                .withMessageContaining("periodic-closed").withMessageContaining("closed");
        assertThat(pc.isRunning()).isFalse();
    }

    @Test
    void startStopStartRestartsTheGridFromTheSecondStart() throws Exception {
        try (FakeTimeLoop fake = FakeTimeLoop.start("periodic-restart")) {
            Recorder recorder = new Recorder(fake.clock);
            PeriodicCallback pc = new PeriodicCallback(recorder, Duration.ofNanos(PERIOD));
            long start = fake.now();
            pc.start(fake.loop);
            fake.expectRunAt(recorder.runs, start + PERIOD);
            pc.stop();
            fake.advance(Duration.ofSeconds(3));
            long restart = fake.now();
            pc.start(fake.loop);
            assertThat(pc.isRunning()).isTrue();
            fake.expectRunAt(recorder.runs, restart + PERIOD);
            fake.expectRunAt(recorder.runs, restart + 2 * PERIOD);
            pc.stop();
            expectNoMoreRuns(fake, recorder.runs);
        }
    }

    @Test
    void stopAndStartFromInsideTheCallbackSchedulesExactlyOneNextRun() throws Exception {
        try (FakeTimeLoop fake = FakeTimeLoop.start("periodic-restart-inside")) {
            List<Long> runs = new CopyOnWriteArrayList<>();
            PeriodicCallback[] self = new PeriodicCallback[1];
            self[0] = new PeriodicCallback(() -> {
                runs.add(fake.clock.nanoTime());
                if (runs.size() == 1) {
                    self[0].stop();
                    fake.clock.advanceNanos(SECOND);
                    self[0].start(fake.loop); // a new grid from here; the straddling run must not add a second one
                }
            }, Duration.ofNanos(PERIOD));
            long start = fake.now();
            self[0].start(fake.loop);
            fake.expectRunAt(runs, start + PERIOD);
            long restart = start + PERIOD + SECOND;
            fake.expectRunAt(runs, restart + PERIOD);
            fake.expectRunAt(runs, restart + 2 * PERIOD);
            self[0].stop();
        }
    }

    @Test
    void aRunWhoseTimeoutFiredBeforeAStopAndStartFromAnotherThreadDoesNotScheduleASecondChain() throws Exception {
        try (FakeTimeLoop fake = FakeTimeLoop.start("periodic-straddle")) {
            Recorder recorder = new Recorder(fake.clock);
            PeriodicCallback pc = new PeriodicCallback(recorder, Duration.ofNanos(PERIOD));
            long start = fake.now();
            pc.start(fake.loop);
            long restart;
            // Hold the callback's lock while its timeout fires: the loop thread has claimed the timeout
            // (it can no longer be cancelled) and waits for the lock inside the run. Stop and restart
            // from this thread in exactly that window.
            synchronized (pc) {
                fake.clock.advanceNanos(PERIOD);
                fake.loop.addCallback(() -> { });
                long deadline = System.nanoTime() + Await.timeout().toNanos();
                while (fake.running.thread().getState() != Thread.State.BLOCKED) {
                    if (System.nanoTime() > deadline) {
                        throw new AssertionError("the loop thread never reached the periodic run");
                    }
                    Thread.onSpinWait();
                }
                pc.stop();
                restart = fake.now();
                pc.start(fake.loop);
            }
            fake.settle();
            // the stale run may or may not call the callback, but only the restarted chain is scheduled
            assertThat(fake.loop.stats().pendingTimeouts()).as("scheduled runs").isEqualTo(1);
            int before = recorder.runs.size();
            fake.expectRunAt(recorder.runs, restart + PERIOD);
            fake.expectRunAt(recorder.runs, restart + 2 * PERIOD);
            fake.expectRunAt(recorder.runs, restart + 3 * PERIOD);
            assertThat(recorder.runs).hasSize(before + 3);
            assertThat(start + PERIOD).isEqualTo(restart);
            pc.stop();
        }
    }

    @Test
    void startWithoutALoopUsesTheCurrentLoop() throws Exception {
        try (FakeTimeLoop fake = FakeTimeLoop.start("periodic-current")) {
            Recorder recorder = new Recorder(fake.clock);
            PeriodicCallback pc = new PeriodicCallback(recorder, Duration.ofNanos(PERIOD));
            long start = fake.now();
            // on the loop thread, the running loop is IOLoop.current()
            fake.running.run(pc::start);
            fake.expectRunAt(recorder.runs, start + PERIOD);
            assertThat(recorder.threads).containsOnly(fake.running.thread());
            pc.stop();
        }
    }

    @Test
    void startWithoutALoopOnAThreadWithACurrentLoop() throws Exception {
        try (FakeTimeLoop fake = FakeTimeLoop.start("periodic-made-current")) {
            Recorder recorder = new Recorder(fake.clock);
            PeriodicCallback pc = new PeriodicCallback(recorder, Duration.ofNanos(PERIOD));
            long start = fake.now();
            CompletableFuture<Void> started = new CompletableFuture<>();
            Thread other = new Thread(() -> {
                fake.loop.makeCurrent();
                try {
                    pc.start();
                    started.complete(null);
                } catch (Throwable t) {
                    started.completeExceptionally(t);
                } finally {
                    IOLoop.clearCurrent();
                }
            }, "made-current");
            other.start();
            FakeTimeLoop.await(started);
            fake.expectRunAt(recorder.runs, start + PERIOD);
            pc.stop();
        }
    }

    @Test
    void constructorRejectsBadPeriodsNamingTheParameter() {
        Runnable noop = () -> { };
        for (double bad : new double[] {0.0, -1.0, Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY}) {
            assertThatIllegalArgumentException().isThrownBy(() -> new PeriodicCallback(noop, bad))
                    .withMessageContaining("'callbackTimeMillis'")
                    .withMessageContaining(String.valueOf(bad));
        }
        for (Duration bad : new Duration[] {Duration.ZERO, Duration.ofMillis(-5)}) {
            assertThatIllegalArgumentException().isThrownBy(() -> new PeriodicCallback(noop, bad))
                    .withMessageContaining("'callbackTime'")
                    .withMessageContaining(bad.toString());
            assertThatIllegalArgumentException().isThrownBy(() -> new PeriodicCallback(noop, bad, 0.1))
                    .withMessageContaining("'callbackTime'");
        }
    }

    @Test
    void constructorRejectsJitterOutsideZeroToOneNamingTheParameter() {
        Runnable noop = () -> { };
        for (double bad : new double[] {-0.1, 1.1, Double.NaN}) {
            assertThatIllegalArgumentException()
                    .isThrownBy(() -> new PeriodicCallback(noop, Duration.ofSeconds(1), bad))
                    .withMessageContaining("'jitter'")
                    .withMessageContaining(String.valueOf(bad));
        }
        // the bounds themselves are allowed
        new PeriodicCallback(noop, Duration.ofSeconds(1), 0.0);
        new PeriodicCallback(noop, Duration.ofSeconds(1), 1.0);
    }

    @Test
    void nullArgumentsNameTheParameter() {
        assertThatNullPointerException().isThrownBy(() -> new PeriodicCallback(null, Duration.ofSeconds(1)))
                .withMessage("callback");
        assertThatNullPointerException().isThrownBy(() -> new PeriodicCallback(null, 10.0))
                .withMessage("callback");
        assertThatNullPointerException().isThrownBy(() -> new PeriodicCallback(() -> { }, (Duration) null))
                .withMessage("callbackTime");
        PeriodicCallback pc = new PeriodicCallback(() -> { }, Duration.ofSeconds(1));
        assertThatNullPointerException().isThrownBy(() -> pc.start(null)).withMessage("loop");
        assertThat(pc.isRunning()).isFalse();
    }
}
