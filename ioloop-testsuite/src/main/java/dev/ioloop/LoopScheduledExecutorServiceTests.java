package dev.ioloop;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.slf4j.event.Level;
import dev.ioloop.testing.BackendSuite;
import dev.ioloop.test.LogCapture;
import dev.ioloop.test.IOLoopTest;
import dev.ioloop.test.Await;
import dev.ioloop.test.RunningLoop;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

/**
 * What the loop's ScheduledExecutorService view promises beyond the common contract
 * ({@link ScheduledExecutorServiceContractTests}): the loop thread, the loop's lifetime, the
 * PeriodicCallback grid on a fake clock, and never interrupting the loop thread.
 */
@IOLoopTest(makeCurrent = false)
public abstract class LoopScheduledExecutorServiceTests extends BackendSuite {

    private static final long WAIT_MS = Await.timeout().toMillis();
    private static final long SECOND = 1_000_000_000L;

    private static <T> T get(Future<T> future) throws Exception {
        return future.get(WAIT_MS, TimeUnit.MILLISECONDS);
    }

    @Test
    void everyKindOfTaskRunsOnTheLoopThread(RunningLoop running) throws Exception {
        ScheduledExecutorService view = running.loop().asScheduledExecutorService();
        List<Thread> threads = new CopyOnWriteArrayList<>();
        CompletableFuture<Void> executed = new CompletableFuture<>();
        view.execute(() -> {
            threads.add(Thread.currentThread());
            executed.complete(null);
        });
        running.await(executed);
        threads.add(get(view.submit(Thread::currentThread)));
        threads.add(get(view.schedule(Thread::currentThread, 5, TimeUnit.MILLISECONDS)));
        Callable<Thread> whichThread = Thread::currentThread;
        for (Future<Thread> f : view.invokeAll(List.of(whichThread, whichThread))) {
            threads.add(f.get());
        }
        threads.add(view.invokeAny(List.of(whichThread)));
        CountDownLatch periodic = new CountDownLatch(4);
        ScheduledFuture<?> rate = view.scheduleAtFixedRate(() -> {
            threads.add(Thread.currentThread());
            periodic.countDown();
        }, 0, 1, TimeUnit.MILLISECONDS);
        ScheduledFuture<?> delay = view.scheduleWithFixedDelay(() -> {
            threads.add(Thread.currentThread());
            periodic.countDown();
        }, 0, 1, TimeUnit.MILLISECONDS);
        assertThat(periodic.await(WAIT_MS, TimeUnit.MILLISECONDS)).isTrue();
        rate.cancel(false);
        delay.cancel(false);
        assertThat(threads).hasSizeGreaterThanOrEqualTo(10).containsOnly(running.thread());
    }

    @Test
    void shuttingTheViewDownDoesNotStopOrCloseTheLoop(RunningLoop running) throws Exception {
        IOLoop loop = running.loop();
        ScheduledExecutorService view = loop.asScheduledExecutorService();
        ScheduledExecutorService other = loop.asScheduledExecutorService();
        view.scheduleAtFixedRate(() -> { }, 1, 1, TimeUnit.HOURS);
        view.shutdown();
        assertThat(view.awaitTermination(WAIT_MS, TimeUnit.MILLISECONDS)).isTrue();
        view.shutdownNow();
        assertThat(loop.isRunning()).isTrue();
        assertThat(loop.isClosed()).isFalse();
        assertThat(running.call(() -> "loop still runs callbacks")).isEqualTo("loop still runs callbacks");
        // other views of the same loop are independent
        assertThat(other.isShutdown()).isFalse();
        assertThat(get(other.submit(() -> "other view works"))).isEqualTo("other view works");
        assertThat(get(loop.asScheduledExecutorService().submit(() -> "new view works"))).isEqualTo("new view works");
    }

    @Test
    void invokeAllAndInvokeAnyFromTheLoopThreadAreRejected(RunningLoop running) throws Exception {
        ScheduledExecutorService view = running.loop().asScheduledExecutorService();
        List<Callable<String>> tasks = List.of(() -> "x");
        running.run(() -> {
            assertThatIllegalStateException().isThrownBy(() -> view.invokeAll(tasks))
                    .withMessageContaining("invokeAll").withMessageContaining("another thread");
            assertThatIllegalStateException().isThrownBy(() -> view.invokeAll(tasks, 1, TimeUnit.SECONDS))
                    .withMessageContaining("invokeAll");
            assertThatIllegalStateException().isThrownBy(() -> view.invokeAny(tasks))
                    .withMessageContaining("invokeAny");
            assertThatIllegalStateException().isThrownBy(() -> view.invokeAny(tasks, 1, TimeUnit.SECONDS))
                    .withMessageContaining("invokeAny");
        });
        // the rejected calls submitted nothing, and the view still works from other threads
        assertThat(view.invokeAll(tasks).get(0).get()).isEqualTo("x");
        view.shutdown();
        assertThat(view.awaitTermination(WAIT_MS, TimeUnit.MILLISECONDS)).isTrue();
    }

    @Test
    void fixedRateSkipsMissedRunsAndStaysOnTheGrid() throws Exception {
        try (FakeTimeLoop fake = FakeTimeLoop.start("ses-fixed-rate")) {
            ScheduledExecutorService view = fake.loop.asScheduledExecutorService();
            List<Long> runs = new CopyOnWriteArrayList<>();
            long start = fake.now();
            ScheduledFuture<?> future = view.scheduleAtFixedRate(() -> {
                runs.add(fake.clock.nanoTime());
                if (runs.size() == 1) {
                    fake.clock.advanceNanos(25 * SECOND); // this run "takes" 2.5 periods
                }
            }, 10, 10, TimeUnit.SECONDS);
            fake.expectRunAt(runs, start + 10 * SECOND);
            // the run ended at +35 s: the next is the next grid point (+40 s), with no catch-up
            // runs for +20 s and +30 s (the JDK's executor would run those back to back)
            fake.expectRunAt(runs, start + 40 * SECOND);
            fake.expectRunAt(runs, start + 50 * SECOND);
            assertThat(future.cancel(false)).isTrue();
            fake.advance(Duration.ofSeconds(100));
            assertThat(runs).hasSize(3);
        }
    }

    @Test
    void fixedDelayCountsFromTheEndOfEachRun() throws Exception {
        try (FakeTimeLoop fake = FakeTimeLoop.start("ses-fixed-delay")) {
            ScheduledExecutorService view = fake.loop.asScheduledExecutorService();
            List<Long> runs = new CopyOnWriteArrayList<>();
            long start = fake.now();
            ScheduledFuture<?> future = view.scheduleWithFixedDelay(() -> {
                runs.add(fake.clock.nanoTime());
                fake.clock.advanceNanos(3 * SECOND); // each run "takes" 3 s
            }, 10, 10, TimeUnit.SECONDS);
            fake.expectRunAt(runs, start + 10 * SECOND);
            fake.expectRunAt(runs, start + 23 * SECOND);
            fake.expectRunAt(runs, start + 36 * SECOND);
            future.cancel(false);
        }
    }

    @Test
    void oneShotDelaysFollowTheLoopClock() throws Exception {
        try (FakeTimeLoop fake = FakeTimeLoop.start("ses-delay")) {
            ScheduledExecutorService view = fake.loop.asScheduledExecutorService();
            List<Long> runs = new CopyOnWriteArrayList<>();
            long start = fake.now();
            ScheduledFuture<?> future = view.schedule(() -> {
                runs.add(fake.clock.nanoTime());
            }, 10, TimeUnit.SECONDS);
            assertThat(future.getDelay(TimeUnit.NANOSECONDS)).isEqualTo(10 * SECOND);
            fake.advance(Duration.ofSeconds(4));
            assertThat(future.getDelay(TimeUnit.NANOSECONDS)).isEqualTo(6 * SECOND);
            assertThat(future.getDelay(TimeUnit.MILLISECONDS)).isEqualTo(6000);
            fake.expectRunAt(runs, start + 10 * SECOND);
            assertThat(future.isDone()).isTrue();
            assertThat(future.getDelay(TimeUnit.NANOSECONDS)).isLessThanOrEqualTo(0);
        }
    }

    @Test
    void cancellingARunningTaskNeverInterruptsTheLoopThread(RunningLoop running) throws Exception {
        ScheduledExecutorService view = running.loop().asScheduledExecutorService();
        for (int variant = 0; variant < 3; variant++) {
            CountDownLatch started = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            AtomicBoolean interrupted = new AtomicBoolean();
            Runnable blockingRun = () -> {
                started.countDown();
                try {
                    release.await(WAIT_MS, TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                    interrupted.set(true); // and the flag is now clear again
                }
            };
            Callable<String> blocking = () -> {
                blockingRun.run();
                return "finished";
            };
            Future<String> future = switch (variant) {
                case 0 -> view.submit(blocking);
                case 1 -> view.schedule(blocking, 0, TimeUnit.MILLISECONDS);
                default -> view.submit(blockingRun, "finished");
            };
            assertThat(started.await(WAIT_MS, TimeUnit.MILLISECONDS)).isTrue();
            assertThat(future.cancel(true)).isTrue();
            release.countDown();
            assertThat(running.call(() -> Thread.currentThread().isInterrupted()))
                    .as("loop thread interrupted (variant %d)", variant).isFalse();
            assertThat(interrupted).as("task interrupted (variant %d)", variant).isFalse();
        }
    }

    @Test
    void invokeAllWithATimeoutNeverInterruptsTheLoopThread(RunningLoop running) throws Exception {
        ScheduledExecutorService view = running.loop().asScheduledExecutorService();
        CountDownLatch release = new CountDownLatch(1);
        AtomicBoolean interrupted = new AtomicBoolean();
        List<Future<String>> futures;
        try {
            futures = view.invokeAll(List.of(() -> {
                try {
                    release.await(WAIT_MS, TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                    interrupted.set(true);
                }
                return "slow";
            }), 50, TimeUnit.MILLISECONDS);
        } finally {
            release.countDown();
        }
        assertThat(futures.get(0).isCancelled()).isTrue();
        assertThat(running.call(() -> Thread.currentThread().isInterrupted())).isFalse();
        assertThat(interrupted).isFalse();
    }

    @Test
    void anExceptionFromExecuteGoesToHandleCallbackException(RunningLoop running) throws Exception {
        ScheduledExecutorService view = running.loop().asScheduledExecutorService();
        try (LogCapture logs = LogCapture.start()) {
            view.execute(() -> {
                throw new IllegalStateException("executed and failed");
            });
            running.drain();
            assertThat(running.loop().stats().callbackErrors()).isEqualTo(1);
            assertThat(logs.count(Level.ERROR, "Exception in callback")).isEqualTo(1);
        }
        // submit keeps the exception in its future instead
        Future<?> submitted = view.submit(() -> {
            throw new IllegalStateException("kept in the future");
        });
        assertThatExceptionOfType(java.util.concurrent.ExecutionException.class).isThrownBy(() -> get(submitted));
        assertThat(running.loop().stats().callbackErrors()).isEqualTo(1);
        // the executed task is finished: the view terminates
        view.shutdown();
        assertThat(view.awaitTermination(WAIT_MS, TimeUnit.MILLISECONDS)).isTrue();
    }

    @Test
    void aClosedLoopRejectsTasks() {
        IOLoop loop = IOLoop.builder().name("ses-closed").makeCurrent(false).build();
        ScheduledExecutorService view = loop.asScheduledExecutorService();
        loop.close();
        assertThatExceptionOfType(RejectedExecutionException.class).isThrownBy(() -> view.execute(() -> { }))
                .withMessageContaining("closed");
        assertThatExceptionOfType(RejectedExecutionException.class)
                .isThrownBy(() -> view.schedule(() -> { }, 1, TimeUnit.SECONDS)).withMessageContaining("closed");
        assertThatExceptionOfType(RejectedExecutionException.class)
                .isThrownBy(() -> view.scheduleAtFixedRate(() -> { }, 1, 1, TimeUnit.SECONDS));
        // a rejected task is not left behind: the view terminates at once
        view.shutdown();
        assertThat(view.isTerminated()).isTrue();
    }

    @Test
    void badArgumentsNameTheParameter() {
        IOLoop loop = IOLoop.builder().name("ses-args").makeCurrent(false).build();
        try {
            ScheduledExecutorService view = loop.asScheduledExecutorService();
            assertThatNullPointerException().isThrownBy(() -> view.execute(null)).withMessage("command");
            assertThatNullPointerException().isThrownBy(() -> view.schedule((Runnable) null, 1, TimeUnit.SECONDS))
                    .withMessage("command");
            assertThatNullPointerException()
                    .isThrownBy(() -> view.schedule((Callable<String>) null, 1, TimeUnit.SECONDS))
                    .withMessage("callable");
            assertThatNullPointerException().isThrownBy(() -> view.schedule(() -> { }, 1, null)).withMessage("unit");
            assertThatIllegalArgumentException()
                    .isThrownBy(() -> view.scheduleAtFixedRate(() -> { }, 0, 0, TimeUnit.MILLISECONDS))
                    .withMessage("'period' must be positive (was 0 MILLISECONDS)");
            assertThatIllegalArgumentException()
                    .isThrownBy(() -> view.scheduleWithFixedDelay(() -> { }, 0, -3, TimeUnit.SECONDS))
                    .withMessage("'delay' must be positive (was -3 SECONDS)");
        } finally {
            loop.close();
        }
    }

    @Test
    void manyThreadsSchedulingAtOnceLoseNothing(RunningLoop running) throws Exception {
        ScheduledExecutorService view = running.loop().asScheduledExecutorService();
        int threads = 4;
        int perThread = 2_000;
        AtomicInteger ran = new AtomicInteger();
        CountDownLatch all = new CountDownLatch(threads * perThread);
        List<Thread> producers = new CopyOnWriteArrayList<>();
        for (int t = 0; t < threads; t++) {
            Thread producer = new Thread(() -> {
                for (int i = 0; i < perThread; i++) {
                    Runnable task = () -> {
                        ran.incrementAndGet();
                        all.countDown();
                    };
                    switch (i % 3) {
                        case 0 -> view.execute(task);
                        case 1 -> view.submit(task);
                        default -> view.schedule(task, i % 5, TimeUnit.MILLISECONDS);
                    }
                }
            }, "producer-" + t);
            producers.add(producer);
            producer.start();
        }
        for (Thread producer : producers) {
            producer.join(WAIT_MS);
        }
        assertThat(all.await(WAIT_MS, TimeUnit.MILLISECONDS)).isTrue();
        assertThat(ran).hasValue(threads * perThread);
        view.shutdown();
        assertThat(view.awaitTermination(WAIT_MS, TimeUnit.MILLISECONDS)).isTrue();
    }

    @Test
    void closingTheLoopCancelsTheViewsPendingTasksSoNobodyWaitsForEver() throws Exception {
        IOLoop loop = IOLoop.builder().name("closing-view").makeCurrent(false).build();
        java.util.concurrent.ScheduledExecutorService view = loop.asScheduledExecutorService();
        java.util.concurrent.ScheduledFuture<?> delayed = view.schedule(() -> { }, 1, java.util.concurrent.TimeUnit.HOURS);
        java.util.concurrent.ScheduledFuture<?> periodic =
                view.scheduleAtFixedRate(() -> { }, 1, 1, java.util.concurrent.TimeUnit.HOURS);
        loop.close();
        assertThat(delayed.isCancelled()).isTrue();
        assertThat(periodic.isCancelled()).isTrue();
        assertThat(view.isShutdown()).isTrue();
        assertThat(view.awaitTermination(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
    }
}
