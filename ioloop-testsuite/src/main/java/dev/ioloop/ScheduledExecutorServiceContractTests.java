package dev.ioloop;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import dev.ioloop.test.IOLoopTest;
import dev.ioloop.test.Await;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The {@link ScheduledExecutorService} contract, written once and run against every
 * implementation (JCTools' style): the loop's view and, as a control that keeps the test honest,
 * the JDK's single-thread scheduled executor. Behaviour the two are documented to differ on
 * (fixed-rate catch-up, exceptions from execute) lives in {@link LoopScheduledExecutorServiceTests}.
 *
 * <p>Waits are generous; elapsed time is only ever bounded from below.
 */
@IOLoopTest(makeCurrent = false)
abstract class ScheduledExecutorServiceContractTests {

    static final long WAIT_MS = Await.timeout().toMillis();

    ScheduledExecutorService executor;

    /** Creates the executor under test (and whatever runs it). */
    abstract ScheduledExecutorService createExecutor() throws Exception;

    /**
     * Another, independent executor of the same kind, for tests that need many (the test shuts it
     * down; {@link #destroy()} releases anything else).
     */
    abstract ScheduledExecutorService anotherExecutor() throws Exception;

    /** Releases what {@link #createExecutor()} made, after the executor itself was shut down. */
    abstract void destroy() throws Exception;

    @BeforeEach
    final void setUpExecutor() throws Exception {
        executor = createExecutor();
    }

    @AfterEach
    final void tearDownExecutor() throws Exception {
        executor.shutdownNow();
        assertThat(executor.awaitTermination(WAIT_MS, TimeUnit.MILLISECONDS)).as("terminated").isTrue();
        destroy();
    }

    static <T> T get(Future<T> future) throws Exception {
        return future.get(WAIT_MS, TimeUnit.MILLISECONDS);
    }

    static void await(CountDownLatch latch) throws InterruptedException {
        assertThat(latch.await(WAIT_MS, TimeUnit.MILLISECONDS)).as("latch reached zero").isTrue();
    }

    /** Waits on a latch in a task; an interrupt (the JDK's shutdownNow/cancel(true)) just ends the wait. */
    static void block(CountDownLatch release) {
        try {
            release.await(WAIT_MS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Waits until the executor has run everything due within {@code delayMs} from now: a one-shot
     * task scheduled after it is run after them on a single-threaded executor.
     */
    void barrier(long delayMs) throws Exception {
        get(executor.schedule(() -> "barrier", delayMs, TimeUnit.MILLISECONDS));
    }

    // ------------------------------------------------------------------ execute and submit

    @Test
    void executeRunsTheCommand() throws Exception {
        CountDownLatch ran = new CountDownLatch(1);
        executor.execute(ran::countDown);
        await(ran);
    }

    @Test
    void executedCommandsFromOneThreadRunInOrder() throws Exception {
        List<Integer> seen = new CopyOnWriteArrayList<>();
        CountDownLatch done = new CountDownLatch(1);
        for (int i = 0; i < 1000; i++) {
            int n = i;
            executor.execute(() -> seen.add(n));
        }
        executor.execute(done::countDown);
        await(done);
        assertThat(seen).hasSize(1000).isSorted();
    }

    @Test
    void submitRunnableCompletesWithNullOrTheGivenResult() throws Exception {
        AtomicInteger ran = new AtomicInteger();
        Runnable increment = ran::incrementAndGet;
        Future<?> plain = executor.submit(increment);
        Future<String> withResult = executor.submit(increment, "result");
        assertThat(get(plain)).isNull();
        assertThat(get(withResult)).isEqualTo("result");
        assertThat(ran).hasValue(2);
        assertThat(plain.isDone()).isTrue();
        assertThat(plain.isCancelled()).isFalse();
    }

    @Test
    void submitCallableCompletesWithItsValueOrItsException() throws Exception {
        Future<Integer> value = executor.submit(() -> 42);
        Future<Integer> failure = executor.submit((Callable<Integer>) () -> {
            throw new IllegalStateException("callable failed");
        });
        assertThat(get(value)).isEqualTo(42);
        assertThatExceptionOfType(ExecutionException.class).isThrownBy(() -> get(failure))
                .withCauseInstanceOf(IllegalStateException.class)
                .havingCause().withMessage("callable failed");
        assertThat(failure.isDone()).isTrue();
    }

    // ------------------------------------------------------------------ invokeAll and invokeAny

    @Test
    void invokeAllReturnsEveryFutureDoneAndInOrder() throws Exception {
        List<Callable<String>> tasks = List.of(() -> "a", () -> {
            throw new IllegalArgumentException("b failed");
        }, () -> "c");
        List<Future<String>> futures = executor.invokeAll(tasks);
        assertThat(futures).hasSize(3).allMatch(Future::isDone);
        assertThat(futures.get(0).get()).isEqualTo("a");
        assertThatExceptionOfType(ExecutionException.class).isThrownBy(() -> futures.get(1).get())
                .withCauseInstanceOf(IllegalArgumentException.class);
        assertThat(futures.get(2).get()).isEqualTo("c");
    }

    @Test
    void invokeAllWithATimeoutCancelsWhatDidNotFinish() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch blocking = new CountDownLatch(1);
        AtomicBoolean thirdRan = new AtomicBoolean();
        List<Callable<String>> tasks = List.of(() -> "fast", () -> {
            blocking.countDown();
            block(release);
            return "slow";
        }, () -> {
            thirdRan.set(true);
            return "never";
        });
        List<Future<String>> futures;
        try {
            futures = executor.invokeAll(tasks, 300, TimeUnit.MILLISECONDS);
        } finally {
            release.countDown();
        }
        await(blocking);
        assertThat(futures).hasSize(3).allMatch(Future::isDone);
        if (!futures.get(0).isCancelled()) { // on a very slow machine even the fast one may miss the deadline
            assertThat(futures.get(0).get()).isEqualTo("fast");
        }
        assertThat(futures.get(1).isCancelled()).isTrue();
        assertThat(futures.get(2).isCancelled()).isTrue();
        assertThatExceptionOfType(CancellationException.class).isThrownBy(() -> futures.get(2).get());
        barrier(0);
        assertThat(thirdRan).isFalse();
    }

    @Test
    void invokeAnyReturnsTheValueOfATaskThatSucceeded() throws Exception {
        List<Callable<String>> tasks = List.of(() -> {
            throw new IllegalStateException("first fails");
        }, () -> "second", () -> "third");
        assertThat(executor.invokeAny(tasks)).isIn("second", "third");
        assertThat(executor.invokeAny(tasks, WAIT_MS, TimeUnit.MILLISECONDS)).isIn("second", "third");
    }

    @Test
    void invokeAnyThrowsExecutionExceptionWhenEveryTaskFails() {
        List<Callable<String>> tasks = List.of(() -> {
            throw new IllegalStateException("one");
        }, () -> {
            throw new IllegalStateException("two");
        });
        assertThatExceptionOfType(ExecutionException.class).isThrownBy(() -> executor.invokeAny(tasks))
                .withCauseInstanceOf(IllegalStateException.class);
    }

    @Test
    void invokeAnyWithATimeoutThrowsTimeoutExceptionWhenNothingFinishes() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        try {
            assertThatExceptionOfType(TimeoutException.class).isThrownBy(() -> executor.invokeAny(
                    List.of(() -> {
                        block(release);
                        return "late";
                    }), 100, TimeUnit.MILLISECONDS));
        } finally {
            release.countDown();
        }
        barrier(0); // the executor is usable afterwards
    }

    // ------------------------------------------------------------------ schedule

    @Test
    void scheduleRunnableRunsOnceAfterTheDelay() throws Exception {
        AtomicInteger ran = new AtomicInteger();
        long before = System.nanoTime();
        ScheduledFuture<?> future = executor.schedule(() -> {
            ran.incrementAndGet();
        }, 50, TimeUnit.MILLISECONDS);
        assertThat(get(future)).isNull();
        assertThat(System.nanoTime() - before).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(50));
        assertThat(future.isDone()).isTrue();
        assertThat(future.isCancelled()).isFalse();
        barrier(20);
        assertThat(ran).hasValue(1);
    }

    @Test
    void scheduleCallableCompletesWithItsValueOrItsException() throws Exception {
        ScheduledFuture<String> value = executor.schedule(() -> "later", 20, TimeUnit.MILLISECONDS);
        ScheduledFuture<String> failure = executor.schedule((Callable<String>) () -> {
            throw new UnsupportedOperationException("scheduled failure");
        }, 20, TimeUnit.MILLISECONDS);
        assertThat(get(value)).isEqualTo("later");
        assertThatExceptionOfType(ExecutionException.class).isThrownBy(() -> get(failure))
                .withCauseInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void scheduleWithAZeroOrNegativeDelayRunsSoon() throws Exception {
        assertThat(get(executor.schedule(() -> "zero", 0, TimeUnit.MILLISECONDS))).isEqualTo("zero");
        assertThat(get(executor.schedule(() -> "negative", -5, TimeUnit.SECONDS))).isEqualTo("negative");
    }

    @Test
    void tasksScheduledEarlierRunFirst() throws Exception {
        List<String> order = new CopyOnWriteArrayList<>();
        ScheduledFuture<?> late = executor.schedule(() -> order.add("late"), 500, TimeUnit.MILLISECONDS);
        ScheduledFuture<?> early = executor.schedule(() -> order.add("early"), 10, TimeUnit.MILLISECONDS);
        get(late);
        get(early);
        assertThat(order).containsExactly("early", "late");
    }

    @Test
    void getDelayDecreasesAsTimePasses() throws Exception {
        ScheduledFuture<?> future = executor.schedule(() -> { }, 1, TimeUnit.HOURS);
        long first = future.getDelay(TimeUnit.NANOSECONDS);
        assertThat(first).isPositive().isLessThanOrEqualTo(TimeUnit.HOURS.toNanos(1));
        assertThat(future.getDelay(TimeUnit.MINUTES)).isBetween(58L, 60L);
        long start = System.nanoTime();
        while (System.nanoTime() - start < TimeUnit.MILLISECONDS.toNanos(2)) {
            Thread.onSpinWait();
        }
        assertThat(future.getDelay(TimeUnit.NANOSECONDS)).isLessThan(first);
        ScheduledFuture<?> sooner = executor.schedule(() -> { }, 1, TimeUnit.MINUTES);
        assertThat(sooner.compareTo(future)).isNegative();
        assertThat(future.compareTo(sooner)).isPositive();
        assertThat(future.cancel(false)).isTrue();
        assertThat(sooner.cancel(false)).isTrue();
    }

    // ------------------------------------------------------------------ periodic tasks

    @Test
    void scheduleAtFixedRateRunsRepeatedlyAtLeastOnePeriodApart() throws Exception {
        List<Long> starts = new CopyOnWriteArrayList<>();
        CountDownLatch fiveRuns = new CountDownLatch(5);
        long period = TimeUnit.MILLISECONDS.toNanos(10);
        long before = System.nanoTime();
        ScheduledFuture<?> future = executor.scheduleAtFixedRate(() -> {
            starts.add(System.nanoTime());
            fiveRuns.countDown();
        }, 10, 10, TimeUnit.MILLISECONDS);
        await(fiveRuns);
        assertThat(future.cancel(false)).isTrue();
        // a rate, not a burst: run k starts no earlier than k periods after the first could
        for (int k = 0; k < 5; k++) {
            assertThat(starts.get(k) - before).isGreaterThanOrEqualTo((k + 1) * period);
        }
        assertThat(future.isCancelled()).isTrue();
        assertThat(future.isDone()).isTrue();
    }

    @Test
    void scheduleWithFixedDelayWaitsTheDelayAfterEachRunEnds() throws Exception {
        List<long[]> runs = new CopyOnWriteArrayList<>();
        CountDownLatch fourRuns = new CountDownLatch(4);
        long delay = TimeUnit.MILLISECONDS.toNanos(15);
        ScheduledFuture<?> future = executor.scheduleWithFixedDelay(() -> {
            long start = System.nanoTime();
            long spinUntil = start + TimeUnit.MILLISECONDS.toNanos(5);
            while (System.nanoTime() < spinUntil) {
                Thread.onSpinWait(); // a run that takes a while: the delay counts from its end
            }
            runs.add(new long[] {start, System.nanoTime()});
            fourRuns.countDown();
        }, 0, 15, TimeUnit.MILLISECONDS);
        await(fourRuns);
        future.cancel(false);
        for (int k = 1; k < 4; k++) {
            assertThat(runs.get(k)[0] - runs.get(k - 1)[1]).isGreaterThanOrEqualTo(delay);
        }
    }

    @Test
    void cancellingAPeriodicTaskStopsIt() throws Exception {
        AtomicInteger runs = new AtomicInteger();
        CountDownLatch threeRuns = new CountDownLatch(3);
        ScheduledFuture<?> future = executor.scheduleAtFixedRate(() -> {
            runs.incrementAndGet();
            threeRuns.countDown();
        }, 0, 5, TimeUnit.MILLISECONDS);
        await(threeRuns);
        assertThat(future.cancel(false)).isTrue();
        assertThat(future.isCancelled()).isTrue();
        assertThat(future.isDone()).isTrue();
        assertThat(future.cancel(false)).as("second cancel").isFalse();
        assertThatExceptionOfType(CancellationException.class).isThrownBy(() -> future.get());
        barrier(0); // a run that was already in progress has finished now
        int afterCancel = runs.get();
        barrier(50); // ten periods later
        assertThat(runs).hasValue(afterCancel);
    }

    @Test
    void anExceptionInAPeriodicTaskSuppressesLaterRuns() throws Exception {
        AtomicInteger runs = new AtomicInteger();
        ScheduledFuture<?> future = executor.scheduleAtFixedRate(() -> {
            if (runs.incrementAndGet() == 3) {
                throw new IllegalStateException("third run fails");
            }
        }, 0, 5, TimeUnit.MILLISECONDS);
        assertThatExceptionOfType(ExecutionException.class).isThrownBy(() -> get(future))
                .withCauseInstanceOf(IllegalStateException.class)
                .havingCause().withMessage("third run fails");
        assertThat(future.isDone()).isTrue();
        assertThat(future.isCancelled()).isFalse();
        barrier(50);
        assertThat(runs).hasValue(3);
    }

    @Test
    void anExceptionInAFixedDelayTaskSuppressesLaterRuns() throws Exception {
        AtomicInteger runs = new AtomicInteger();
        ScheduledFuture<?> future = executor.scheduleWithFixedDelay(() -> {
            runs.incrementAndGet();
            throw new IllegalStateException("fails at once");
        }, 0, 5, TimeUnit.MILLISECONDS);
        assertThatExceptionOfType(ExecutionException.class).isThrownBy(() -> get(future))
                .withCauseInstanceOf(IllegalStateException.class);
        barrier(50);
        assertThat(runs).hasValue(1);
    }

    @Test
    void nonPositivePeriodsAreRejected() {
        assertThatIllegalArgumentException().isThrownBy(
                () -> executor.scheduleAtFixedRate(() -> { }, 0, 0, TimeUnit.MILLISECONDS));
        assertThatIllegalArgumentException().isThrownBy(
                () -> executor.scheduleWithFixedDelay(() -> { }, 0, -1, TimeUnit.MILLISECONDS));
    }

    @Test
    void nullTasksAreRejected() {
        assertThatNullPointerException().isThrownBy(() -> executor.execute(null));
        assertThatNullPointerException().isThrownBy(() -> executor.submit((Runnable) null));
        assertThatNullPointerException().isThrownBy(() -> executor.schedule((Runnable) null, 1, TimeUnit.SECONDS));
        assertThatNullPointerException().isThrownBy(() -> executor.schedule(() -> "x", 1, null));
    }

    // ------------------------------------------------------------------ cancellation

    @Test
    void cancelBeforeRunMeansItNeverRuns() throws Exception {
        AtomicBoolean ran = new AtomicBoolean();
        ScheduledFuture<?> future = executor.schedule(() -> ran.set(true), 500, TimeUnit.MILLISECONDS);
        assertThat(future.isDone()).isFalse();
        assertThat(future.cancel(false)).isTrue();
        assertThat(future.isCancelled()).isTrue();
        assertThat(future.isDone()).isTrue();
        assertThatExceptionOfType(CancellationException.class).isThrownBy(() -> future.get());
        barrier(700);
        assertThat(ran).isFalse();
    }

    @Test
    void cancelAfterRunReturnsFalse() throws Exception {
        ScheduledFuture<String> future = executor.schedule(() -> "done", 0, TimeUnit.MILLISECONDS);
        assertThat(get(future)).isEqualTo("done");
        assertThat(future.cancel(false)).isFalse();
        assertThat(future.cancel(true)).isFalse();
        assertThat(future.isCancelled()).isFalse();
        assertThat(get(future)).isEqualTo("done");
    }

    // ------------------------------------------------------------------ shutdown

    @Test
    void shutdownRejectsNewTasks() {
        executor.shutdown();
        assertThat(executor.isShutdown()).isTrue();
        assertThatExceptionOfType(RejectedExecutionException.class).isThrownBy(() -> executor.execute(() -> { }));
        assertThatExceptionOfType(RejectedExecutionException.class).isThrownBy(() -> executor.submit(() -> "x"));
        assertThatExceptionOfType(RejectedExecutionException.class)
                .isThrownBy(() -> executor.schedule(() -> { }, 1, TimeUnit.MILLISECONDS));
        assertThatExceptionOfType(RejectedExecutionException.class)
                .isThrownBy(() -> executor.scheduleAtFixedRate(() -> { }, 1, 1, TimeUnit.MILLISECONDS));
        assertThatExceptionOfType(RejectedExecutionException.class)
                .isThrownBy(() -> executor.scheduleWithFixedDelay(() -> { }, 1, 1, TimeUnit.MILLISECONDS));
        assertThatThrownBy(() -> executor.invokeAll(List.of(() -> "x")))
                .isInstanceOf(RejectedExecutionException.class);
    }

    @Test
    void shutdownLetsDelayedOneShotTasksRunAndCancelsPeriodicOnes() throws Exception {
        CountDownLatch queued = new CountDownLatch(1);
        executor.execute(queued::countDown);
        ScheduledFuture<String> delayed = executor.schedule(() -> "still runs", 50, TimeUnit.MILLISECONDS);
        ScheduledFuture<?> rate = executor.scheduleAtFixedRate(() -> { }, 1, 1, TimeUnit.HOURS);
        ScheduledFuture<?> delay = executor.scheduleWithFixedDelay(() -> { }, 1, 1, TimeUnit.HOURS);
        executor.shutdown();
        assertThat(executor.isShutdown()).isTrue();
        assertThat(rate.isCancelled()).isTrue();
        assertThat(delay.isCancelled()).isTrue();
        await(queued);
        assertThat(get(delayed)).isEqualTo("still runs");
        assertThat(executor.awaitTermination(WAIT_MS, TimeUnit.MILLISECONDS)).isTrue();
        assertThat(executor.isTerminated()).isTrue();
    }

    @Test
    void shutdownNowReturnsTheTasksThatNeverRan() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch blocking = new CountDownLatch(1);
        AtomicInteger ran = new AtomicInteger();
        executor.execute(() -> {
            blocking.countDown();
            block(release);
        });
        await(blocking); // the single thread is busy: what follows waits in the queue
        for (int i = 0; i < 3; i++) {
            executor.execute(ran::incrementAndGet);
        }
        executor.schedule(ran::incrementAndGet, 1, TimeUnit.HOURS);
        List<Runnable> neverRun;
        try {
            neverRun = executor.shutdownNow();
        } finally {
            release.countDown();
        }
        assertThat(neverRun).hasSize(4);
        assertThat(executor.isShutdown()).isTrue();
        assertThat(executor.awaitTermination(WAIT_MS, TimeUnit.MILLISECONDS)).isTrue();
        assertThat(executor.isTerminated()).isTrue();
        assertThat(ran).hasValue(0);
    }

    @Test
    void periodicTasksAcceptedWhileShutdownRacesAreAllCancelled() throws Exception {
        for (int round = 0; round < 100; round++) {
            ScheduledExecutorService ex = anotherExecutor();
            List<ScheduledFuture<?>> accepted = new CopyOnWriteArrayList<>();
            CountDownLatch someAccepted = new CountDownLatch(20);
            List<Thread> submitters = new ArrayList<>();
            for (int t = 0; t < 2; t++) {
                Thread submitter = new Thread(() -> {
                    try {
                        while (true) {
                            accepted.add(ex.scheduleAtFixedRate(() -> { }, 1, 1, TimeUnit.HOURS));
                            someAccepted.countDown();
                        }
                    } catch (RejectedExecutionException e) {
                        // shut down: stop submitting
                    }
                }, "submitter-" + t);
                submitters.add(submitter);
                submitter.start();
            }
            await(someAccepted);
            ex.shutdown();
            for (Thread submitter : submitters) {
                submitter.join(WAIT_MS);
            }
            // no periodic task slipped past shutdown: each is cancelled, so nothing keeps the executor alive
            assertThat(ex.awaitTermination(WAIT_MS, TimeUnit.MILLISECONDS)).as("round %d terminated", round).isTrue();
            for (ScheduledFuture<?> future : accepted) {
                if (!future.isCancelled()) {
                    throw new AssertionError("round " + round + ": a periodic task accepted before shutdown"
                            + " is not cancelled");
                }
            }
        }
    }

    @Test
    void shutdownNowDoesNotReturnOrCancelAScheduledTaskThatIsRunning() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch running = new CountDownLatch(1);
        ScheduledFuture<String> future = executor.schedule(() -> {
            running.countDown();
            block(release);
            return "finished";
        }, 0, TimeUnit.MILLISECONDS);
        await(running);
        ScheduledFuture<?> waiting = executor.schedule(() -> { }, 1, TimeUnit.HOURS);
        List<Runnable> neverRun;
        try {
            neverRun = executor.shutdownNow();
        } finally {
            release.countDown();
        }
        // the running task commenced: only the waiting one is reported, and the running one finishes
        assertThat(neverRun).hasSize(1);
        assertThat(neverRun.get(0)).isNotSameAs(future);
        assertThat(get(future)).isEqualTo("finished");
        assertThat(future.isCancelled()).isFalse();
        assertThat(executor.awaitTermination(WAIT_MS, TimeUnit.MILLISECONDS)).isTrue();
        assertThat(waiting.isDone() || neverRun.get(0) == waiting).isTrue();
    }

    @Test
    void awaitTerminationTimesOutWhileNotShutDown() throws Exception {
        assertThat(executor.isTerminated()).isFalse();
        assertThat(executor.awaitTermination(20, TimeUnit.MILLISECONDS)).isFalse();
        assertThat(executor.isShutdown()).isFalse();
    }

    @Test
    void awaitTerminationWaitsForARunningTask() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch blocking = new CountDownLatch(1);
        executor.execute(() -> {
            blocking.countDown();
            block(release);
        });
        await(blocking);
        executor.shutdown();
        assertThat(executor.isTerminated()).isFalse();
        assertThat(executor.awaitTermination(20, TimeUnit.MILLISECONDS)).isFalse();
        CompletableFuture<Boolean> terminated = CompletableFuture.supplyAsync(() -> {
            try {
                return executor.awaitTermination(WAIT_MS, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        release.countDown();
        assertThat(get(terminated)).isTrue();
        assertThat(executor.isTerminated()).isTrue();
    }

    @Test
    void shutdownOfAnIdleExecutorTerminatesIt() throws Exception {
        barrier(0);
        executor.shutdown();
        assertThat(executor.awaitTermination(WAIT_MS, TimeUnit.MILLISECONDS)).isTrue();
        assertThat(executor.isTerminated()).isTrue();
        List<Runnable> none = executor.shutdownNow();
        assertThat(none).isEmpty();
    }

    /** Helper for subclasses: every submitted task's thread. */
    static List<Thread> threadsOf(ScheduledExecutorService executor, int tasks) throws Exception {
        List<Future<Thread>> futures = new ArrayList<>();
        for (int i = 0; i < tasks; i++) {
            futures.add(executor.submit(Thread::currentThread));
        }
        List<Thread> threads = new ArrayList<>();
        for (Future<Thread> f : futures) {
            threads.add(get(f));
        }
        return threads;
    }
}
