package dev.ioloop;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

import org.slf4j.event.Level;
import dev.ioloop.testing.BackendSuite;
import dev.ioloop.test.FakeClock;
import dev.ioloop.test.LogCapture;
import dev.ioloop.test.IOLoopTest;
import dev.ioloop.test.Await;
import dev.ioloop.test.RunningLoop;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

@IOLoopTest(makeCurrent = false)
public abstract class BlockedLoopWatchdogTests extends BackendSuite {

    /** Blocks the loop thread until released (a latch, so the test never depends on timing). */
    private static void blockLoop(RunningLoop running, CountDownLatch release) {
        running.loop().addCallback(() -> {
            try {
                release.await(Await.timeout().toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
    }

    @Test
    void aBlockedIterationIsReportedWithTheLoopThread(RunningLoop running) throws Exception {
        List<Thread> reported = new CopyOnWriteArrayList<>();
        CountDownLatch firstReport = new CountDownLatch(1);
        running.loop().setBlockingSignalThreshold(Duration.ofMillis(50), thread -> {
            reported.add(thread);
            firstReport.countDown();
        });
        CountDownLatch release = new CountDownLatch(1);
        blockLoop(running, release);
        assertThat(firstReport.await(30, TimeUnit.SECONDS)).isTrue();
        assertThat(running.loop().stats().blockedForNanos()).isGreaterThanOrEqualTo(Duration.ofMillis(50).toNanos());
        release.countDown();
        running.drain();
        running.loop().setBlockingSignalThreshold(null, null);
        assertThat(reported).first().isSameAs(running.thread());
        // The watchdog counts a report before it runs the action: a report still in flight (the block may have
        // reached twice the threshold before the release) is counted a moment before the action sees it.
        long deadline = System.nanoTime() + Await.timeout().toNanos();
        while (running.loop().stats().blockedEvents() != reported.size() && System.nanoTime() < deadline) {
            new CountDownLatch(1).await(5, TimeUnit.MILLISECONDS);
        }
        assertThat(running.loop().stats().blockedEvents()).isEqualTo(reported.size());
    }

    @Test
    void aBlockInAnIterationThatSkippedSelectIsReportedToo(RunningLoop running) throws Exception {
        // No channel is registered and a callback is waiting, so the loop starts the blocking
        // iteration without a select (and without reading the clock): the watchdog still sees it.
        CountDownLatch firstReport = new CountDownLatch(1);
        running.loop().setBlockingSignalThreshold(Duration.ofMillis(50), thread -> firstReport.countDown());
        CountDownLatch release = new CountDownLatch(1);
        running.loop().addCallback(() -> blockLoop(running, release));
        assertThat(firstReport.await(30, TimeUnit.SECONDS)).isTrue();
        assertThat(running.loop().stats().blockedForNanos()).isGreaterThanOrEqualTo(Duration.ofMillis(50).toNanos());
        release.countDown();
        running.drain();
        running.loop().setBlockingSignalThreshold(null, null);
    }

    @Test
    void aLongBlockIsReportedAgainButRateLimited(RunningLoop running) throws Exception {
        List<Long> blockedAtReport = new CopyOnWriteArrayList<>();
        CountDownLatch threeReports = new CountDownLatch(3);
        AtomicBoolean blocking = new AtomicBoolean();
        running.loop().setBlockingSignalThreshold(Duration.ofMillis(20), (BlockedLoopAction) (thread, blocked) -> {
            // Only the reports of the block below: on a loaded machine an earlier iteration (the loop thread
            // descheduled for 20 ms) is a blocked episode of its own, reported from 20 ms again.
            if (blocking.get()) {
                blockedAtReport.add(blocked);
                threeReports.countDown();
            }
        });
        CountDownLatch release = new CountDownLatch(1);
        running.loop().addCallback(() -> {
            blocking.set(true);
            try {
                release.await(Await.timeout().toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        assertThat(threeReports.await(30, TimeUnit.SECONDS)).isTrue();
        release.countDown();
        running.drain();
        running.loop().setBlockingSignalThreshold(null, null);
        // each report of the block comes after its blocked time at least doubled since the previous one
        for (int i = 1; i < 3; i++) {
            assertThat(blockedAtReport.get(i)).isGreaterThanOrEqualTo(2 * blockedAtReport.get(i - 1));
        }
    }

    @Test
    void aBlockedLoopActionGetsTheWatchdogsMeasureThoughTheBlockEndedBeforeItRan(RunningLoop running)
            throws Exception {
        IOLoop loop = running.loop();
        List<Long> measured = new CopyOnWriteArrayList<>();
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch reported = new CountDownLatch(1);
        loop.setBlockingSignalThreshold(Duration.ofMillis(50), (BlockedLoopAction) (thread, blockedNanos) -> {
            // The block ends before this action looks at anything, as when the watchdog thread is preempted
            // between its check and the action: stats() now shows the loop unblocked, the measure must not.
            release.countDown();
            long deadline = System.nanoTime() + Await.timeout().toNanos();
            while (loop.stats().blockedForNanos() != 0 && System.nanoTime() < deadline) {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
            }
            measured.add(blockedNanos);
            reported.countDown();
        });
        blockLoop(running, release);
        assertThat(reported.await(30, TimeUnit.SECONDS)).isTrue();
        running.drain();
        loop.setBlockingSignalThreshold(null, null);
        assertThat(measured).isNotEmpty().allSatisfy(
                nanos -> assertThat(nanos).isGreaterThanOrEqualTo(Duration.ofMillis(50).toNanos()));
    }

    @Test
    void anIdleLoopWaitingInSelectIsNeverReported(RunningLoop running) throws Exception {
        List<Thread> reported = new CopyOnWriteArrayList<>();
        // 100 ms, not less: on a backend that shares its thread each heartbeat must wake the loop and run
        // within the threshold, and a loaded machine can take a scheduling slice or two to do that
        running.loop().setBlockingSignalThreshold(Duration.ofMillis(100), reported::add);
        running.drain();
        LoopWaits.awaitWaiting(running.loop());
        long iterations = running.loop().stats().iterations();
        // the loop now waits in select with nothing to do; give the watchdog many chances to misfire
        CountDownLatch idle = new CountDownLatch(1);
        idle.await(300, TimeUnit.MILLISECONDS);
        long idleIterations = running.loop().stats().iterations() - iterations;
        running.drain();
        assertThat(reported).isEmpty();
        if (running.loop().backend().sharesThread()) {
            assertThat(idleIterations).as("heartbeats woke the loop").isPositive();
        } else {
            assertThat(idleIterations).as("a loop alone on its thread gets no heartbeats").isZero();
        }
        running.loop().setBlockingSignalThreshold(null, null);
    }

    /**
     * Runs {@code task} on the loop's thread outside the loop's own iterations, as work that shares the
     * thread does (a Netty task on the loop's event loop, a host's task). The suite of every backend
     * whose {@link IOLoopBackend#sharesThread()} is true overrides this.
     *
     * @param loop a running loop of the backend under test
     * @param task what to run on its thread
     */
    protected void runOutsideIterations(IOLoop loop, Runnable task) {
        throw new AssertionError("the " + loop.backend().name() + " backend shares its thread: its suite must"
                + " override runOutsideIterations");
    }

    @Test
    void workThatSharesTheThreadAndBlocksItIsReportedWithTheThreadsStack(RunningLoop running) throws Exception {
        IOLoop loop = running.loop();
        assumeTrue(loop.backend().sharesThread(),
                () -> "the " + loop.backend().name() + " backend runs nothing but the loop on its thread");
        List<Thread> reported = new CopyOnWriteArrayList<>();
        List<StackTraceElement[]> stacks = new CopyOnWriteArrayList<>();
        CountDownLatch firstReport = new CountDownLatch(1);
        loop.setBlockingSignalThreshold(Duration.ofMillis(50), thread -> {
            reported.add(thread);
            stacks.add(thread.getStackTrace());
            firstReport.countDown();
        });
        running.drain();
        LoopWaits.awaitWaiting(loop); // the block below starts while the loop waits: no iteration of its own runs
        CountDownLatch release = new CountDownLatch(1);
        runOutsideIterations(loop, () -> blockOutsideIterations(release));
        assertThat(firstReport.await(30, TimeUnit.SECONDS)).isTrue();
        assertThat(loop.iterationProbe()).as("no iteration of the loop is running").isNull();
        assertThat(loop.stats().blockedForNanos()).isGreaterThanOrEqualTo(Duration.ofMillis(50).toNanos());
        release.countDown();
        running.drain();
        loop.setBlockingSignalThreshold(null, null);
        assertThat(reported).first().isSameAs(running.thread());
        assertThat(stacks.get(0)).anyMatch(frame -> frame.getMethodName().equals("blockOutsideIterations"));
        // As above: a report still in flight is counted a moment before the action sees it.
        long deadline = System.nanoTime() + Await.timeout().toNanos();
        while (loop.stats().blockedEvents() != reported.size() && System.nanoTime() < deadline) {
            new CountDownLatch(1).await(5, TimeUnit.MILLISECONDS);
        }
        assertThat(loop.stats().blockedEvents()).isEqualTo(reported.size());
    }

    private static void blockOutsideIterations(CountDownLatch release) {
        try {
            release.await(Await.timeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void eachBlockedIterationIsReportedOnceUntilItsBlockedTimeDoubles() throws Exception {
        FakeClock clock = new FakeClock();
        RunningLoop running = RunningLoop.start(IOLoop.builder().name("fake").clock(clock).makeCurrent(false).build());
        try {
            List<Thread> reported = new CopyOnWriteArrayList<>();
            running.loop().setBlockingSignalThreshold(Duration.ofMillis(100), reported::add);
            CountDownLatch release = new CountDownLatch(1);
            CountDownLatch blocking = new CountDownLatch(1);
            // A registered channel makes every iteration go through select, so the loop stamps each
            // iteration's start on this fake clock (an iteration that skips select is timed from
            // when the watchdog first sees it, which on a fake clock could be after we advance it).
            java.nio.channels.Pipe pipe = java.nio.channels.Pipe.open();
            pipe.source().configureBlocking(false);
            running.loop().addHandler(pipe.source(), (channel, events) -> { }, IOLoop.READ);
            running.drain();
            running.loop().addCallback(() -> {
                blocking.countDown();
                try {
                    release.await(Await.timeout().toMillis(), TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            blocking.await();
            // The callback may run in an iteration the loop did not stamp (one that followed a poll, not
            // a wait: this thread's callback came before the loop announced its wait), which is timed
            // from its first sighting: be that sighting before moving the clock, or the watchdog's could
            // come after it and see no blocked time at all.
            assertThat(running.loop().iterationProbe()).isNotNull();
            clock.advance(Duration.ofMillis(150)); // past the threshold: one report
            awaitReports(reported, 1);
            pause(); // many watchdog checks, same blocked time: no new report
            assertThat(reported).hasSize(1);
            clock.advance(Duration.ofMillis(100)); // 250 ms: not yet double the 150 ms of the first report
            pause();
            assertThat(reported).hasSize(1);
            clock.advance(Duration.ofMillis(100)); // 350 ms: more than doubled
            awaitReports(reported, 2);
            release.countDown();
            running.drain();
            // drain() returns when its callback ran, before the loop reaches select: advancing the
            // fake clock in between would make that (really short) iteration 10 s long
            LoopWaits.awaitWaiting(running.loop());
            clock.advance(Duration.ofSeconds(10)); // idle now: nothing more
            pause();
            assertThat(reported).hasSize(2);
            assertThat(running.loop().stats().blockedEvents()).isEqualTo(2);
        } finally {
            running.loop().setBlockingSignalThreshold(null, null);
            running.loop().stop();
            running.thread().join();
            running.loop().close();
        }
    }

    private static void awaitReports(List<Thread> reported, int count) throws InterruptedException {
        long deadline = System.nanoTime() + Await.timeout().toNanos();
        while (reported.size() < count && System.nanoTime() < deadline) {
            new CountDownLatch(1).await(5, TimeUnit.MILLISECONDS);
        }
        assertThat(reported).hasSize(count);
    }

    /** Lets the watchdog (which checks every 25 ms for a 100 ms threshold) run several times. */
    private static void pause() throws InterruptedException {
        new CountDownLatch(1).await(150, TimeUnit.MILLISECONDS);
    }

    @Test
    void theDefaultActionLogsTheLoopThreadsStackAtWarn(RunningLoop running) throws Exception {
        try (LogCapture logs = LogCapture.start()) {
            running.loop().setBlockingLogThreshold(Duration.ofMillis(30));
            CountDownLatch release = new CountDownLatch(1);
            blockLoop(running, release);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (logs.count(Level.WARN, "blocked for") == 0 && System.nanoTime() < deadline) {
                new CountDownLatch(1).await(10, TimeUnit.MILLISECONDS);
            }
            release.countDown();
            running.drain();
            running.loop().setBlockingLogThreshold(null);
            assertThat(logs.count(Level.WARN, "Stack of thread")).isZero(); // every watchdog report says how long
            // a loop thread slow to be scheduled before blockLoop may be reported too (heartbeat backends): the
            // report of the blocking callback is the one whose stack is in it
            assertThat(logs.records()).anySatisfy(record -> {
                assertThat(record.message()).startsWith("IOLoop 'test-loop' blocked for");
                assertThat(record.throwable().getStackTrace())
                        .anyMatch(frame -> frame.toString().contains("CountDownLatch.await"));
            });
        }
    }

    @Test
    void logStackOfAnotherThreadSaysWhoseStackItIs() {
        try (IOLoop loop = new IOLoop(false); LogCapture logs = LogCapture.start()) {
            loop.logStack(Thread.currentThread());
            assertThat(logs.count(Level.WARN, "Stack of thread " + Thread.currentThread().getName())).isEqualTo(1);
        }
    }

    @Test
    void aNonPositiveThresholdIsRejected(RunningLoop running) {
        assertThatIllegalArgumentException().isThrownBy(
                () -> running.loop().setBlockingSignalThreshold(Duration.ZERO, null))
                .withMessage("'threshold' must be positive (was PT0S)");
        assertThatIllegalArgumentException().isThrownBy(
                () -> running.loop().setBlockingLogThreshold(Duration.ofMillis(-1)))
                .withMessageContaining("must be positive");
    }
}
