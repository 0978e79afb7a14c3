package dev.ioloop;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.RejectedExecutionException;
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
import static org.assertj.core.api.Assertions.assertThatNullPointerException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@IOLoopTest(makeCurrent = false)
public abstract class IOLoopCallbackTests extends BackendSuite {

    @Test
    void addCallbackRunsOnTheLoopThread(RunningLoop running) throws Exception {
        CompletableFuture<Thread> ranOn = new CompletableFuture<>();
        running.loop().addCallback(() -> ranOn.complete(Thread.currentThread()));
        assertThat(running.await(ranOn)).isSameAs(running.thread());
    }

    @Test
    void addCallbackFromAnotherThreadWakesSelect(RunningLoop running) throws Exception {
        running.drain(); // the loop is now idle in select with nothing to wake it but us
        CompletableFuture<String> result = new CompletableFuture<>();
        running.loop().addCallback(() -> result.complete("woken"));
        assertThat(running.await(result)).isEqualTo("woken");
    }

    @Test
    void callbacksAddedDuringAnIterationWaitForTheNext(RunningLoop running) throws Exception {
        IOLoop loop = running.loop();
        List<String> order = new ArrayList<>();
        CompletableFuture<List<String>> done = new CompletableFuture<>();
        long[] iterations = new long[2];
        loop.addCallback(() -> {
            iterations[0] = loop.stats().iterations();
            order.add("first");
            loop.addCallback(() -> {
                iterations[1] = loop.stats().iterations();
                order.add("added by first");
                done.complete(order);
            });
        });
        running.await(done);
        assertThat(order).containsExactly("first", "added by first");
        assertThat(iterations[1]).isGreaterThan(iterations[0]);
    }

    @Test
    void aCallbackThatReaddsItselfDoesNotStarveTimeouts(RunningLoop running) throws Exception {
        IOLoop loop = running.loop();
        AtomicInteger spins = new AtomicInteger();
        CompletableFuture<Integer> timeoutRan = new CompletableFuture<>();
        running.run(() -> {
            Runnable spin = new Runnable() {
                @Override
                public void run() {
                    spins.incrementAndGet();
                    if (!timeoutRan.isDone()) {
                        loop.addCallback(this);
                    }
                }
            };
            loop.addCallback(spin);
            loop.callLater(0.01, () -> timeoutRan.complete(spins.get()));
        });
        assertThat(running.await(timeoutRan)).isPositive();
    }

    @Test
    void aTimeoutFromAnotherThreadFiresWhileTheLoopRunsAChainOfItsOwnCallbacks(RunningLoop running)
            throws Exception {
        // A self-re-adding callback with no timeout pending runs as a burst of iterations; the
        // timeout scheduled from this thread must end the burst and fire.
        IOLoop loop = running.loop();
        CompletableFuture<Void> timeoutRan = new CompletableFuture<>();
        CompletableFuture<Void> spinning = new CompletableFuture<>();
        AtomicInteger spins = spin(loop, () -> !timeoutRan.isDone(), spinning);
        running.await(spinning);
        loop.callLater(0.001, () -> timeoutRan.complete(null));
        running.await(timeoutRan);
        int atTimeout = spins.get();
        running.drain();
        assertThat(spins.get()).isLessThanOrEqualTo(atTimeout + 1); // the chain ended after the timeout
    }

    @Test
    void aTimeoutALinkOfAChainOfOwnCallbacksSchedulesRunsInTheNextIteration(RunningLoop running) throws Exception {
        // The chain runs as a burst of iterations (nothing registered, no timeout pending); the timeout
        // one of its links schedules must end the burst, so that it runs in the next iteration (after
        // one more link), not when the burst would have ended anyway.
        IOLoop loop = running.loop();
        CompletableFuture<Integer> timeoutRan = new CompletableFuture<>();
        AtomicInteger spins = new AtomicInteger();
        loop.addCallback(new Runnable() {
            @Override
            public void run() {
                if (spins.incrementAndGet() == 1000) {
                    loop.callLater(0, () -> timeoutRan.complete(spins.get()));
                }
                if (!timeoutRan.isDone()) {
                    loop.addCallback(this);
                }
            }
        });
        assertThat(running.await(timeoutRan)).as("links run when the timeout ran").isEqualTo(1001);
    }

    @Test
    void statsCountTheCallbacksOfAnEndlessChainOfOwnCallbacksWhileItRuns(RunningLoop running) throws Exception {
        // A burst adds up the callbacks it ran at its end; an endless chain must still show them.
        IOLoop loop = running.loop();
        CompletableFuture<Void> spinning = new CompletableFuture<>();
        AtomicBoolean keepGoing = new AtomicBoolean(true);
        try {
            AtomicInteger spins = spin(loop, keepGoing::get, spinning);
            running.await(spinning);
            long seen = loop.stats().callbacksRun();
            int target = spins.get() + 10_000;
            long deadline = System.nanoTime() + Await.timeout().toNanos();
            while (spins.get() < target || loop.stats().callbacksRun() < seen + 10_000) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("callbacksRun stayed at " + loop.stats().callbacksRun() + " after "
                            + spins.get() + " links (was " + seen + ")");
                }
                Thread.onSpinWait();
            }
        } finally {
            keepGoing.set(false);
        }
        running.drain();
    }

    @Test
    void stopFromAnotherThreadEndsStartWhileTheLoopRunsAChainOfItsOwnCallbacks() throws Exception {
        IOLoop loop = IOLoop.builder().name("chain-stop").makeCurrent(false).build();
        try {
            CompletableFuture<Void> spinning = new CompletableFuture<>();
            AtomicInteger spins = spin(loop, () -> true, spinning); // for ever, until the loop stops
            IOLoopThread thread = IOLoopThread.start(loop);
            spinning.get(Await.timeout().toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
            assertThat(thread.stop(Await.timeout())).as("start() returned").isTrue();
            int atStop = spins.get();
            assertThat(loop.stats().pendingCallbacks()).isEqualTo(1); // the next link waits for a next start
            assertThat(spins.get()).isEqualTo(atStop);
        } finally {
            loop.close();
        }
    }

    @Test
    void aThreadThatRanTheLoopEarlierQueuesAndWakesLikeAnyOtherOnceAnotherThreadRunsIt() throws Exception {
        // offerCallback reads the iterating thread plainly: this thread's own old value must never make
        // it take the loop's thread-only queue (no wake-up: the callback would wait for ever)
        IOLoop loop = IOLoop.builder().name("hop").makeCurrent(false).build();
        try {
            loop.addCallback(loop::stop);
            loop.start(); // this thread ran the loop's iterations, then stop() ended them
            IOLoopThread thread = IOLoopThread.start(loop);
            try {
                LoopWaits.awaitWaiting(loop); // nothing queued or due: only a wake-up runs what we add now
                CompletableFuture<Thread> ranOn = new CompletableFuture<>();
                loop.addCallback(() -> ranOn.complete(Thread.currentThread()));
                assertThat(ranOn.get(Await.timeout().toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS))
                        .isSameAs(thread.thread());
            } finally {
                assertThat(thread.stop(Await.timeout())).as("start() returned").isTrue();
            }
        } finally {
            loop.close();
        }
    }

    /**
     * Queues a callback that re-adds itself from the loop thread while {@code keepGoing} holds (a chain
     * of the loop's own callbacks: bursts of iterations), completing {@code spinning} at its 1000th run.
     */
    private static AtomicInteger spin(IOLoop loop, java.util.function.BooleanSupplier keepGoing,
            CompletableFuture<Void> spinning) {
        AtomicInteger spins = new AtomicInteger();
        loop.addCallback(new Runnable() {
            @Override
            public void run() {
                if (spins.incrementAndGet() == 1000) {
                    spinning.complete(null);
                }
                if (keepGoing.getAsBoolean()) {
                    loop.addCallback(this);
                }
            }
        });
        return spins;
    }

    @Test
    void callbacksFromOneThreadRunInOrder(RunningLoop running) throws Exception {
        List<Integer> seen = new CopyOnWriteArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            int n = i;
            running.loop().addCallback(() -> seen.add(n));
        }
        running.drain();
        assertThat(seen).hasSize(10_000).isSorted();
    }

    @Test
    void aThrowingCallbackIsReportedAndTheLoopKeepsRunning(RunningLoop running) throws Exception {
        try (LogCapture logs = LogCapture.start()) {
            running.loop().addCallback(() -> {
                throw new IllegalStateException("boom");
            });
            CompletableFuture<String> after = new CompletableFuture<>();
            running.loop().addCallback(() -> after.complete("still running"));
            assertThat(running.await(after)).isEqualTo("still running");
            assertThat(logs.count(Level.ERROR, "Exception in callback")).isEqualTo(1);
            assertThat(logs.records().get(0).throwable().getMessage()).isEqualTo("boom");
        }
        assertThat(running.loop().stats().callbackErrors()).isEqualTo(1);
    }

    @Test
    void spawnCallbackAndAddCallbackFromSignalRunLikeAddCallback(RunningLoop running) throws Exception {
        CompletableFuture<Thread> spawned = new CompletableFuture<>();
        CompletableFuture<Thread> signalled = new CompletableFuture<>();
        running.loop().spawnCallback(() -> spawned.complete(Thread.currentThread()));
        running.loop().addCallbackFromSignal(() -> signalled.complete(Thread.currentThread()));
        assertThat(running.await(spawned)).isSameAs(running.thread());
        assertThat(running.await(signalled)).isSameAs(running.thread());
    }

    @Test
    void addFutureRunsTheCallbackOnTheLoopWithTheCompletedFuture(RunningLoop running) throws Exception {
        CompletableFuture<String> future = new CompletableFuture<>();
        CompletableFuture<String> seen = new CompletableFuture<>();
        running.loop().addFuture(future, f -> {
            assertThat(running.loop().inLoopThread()).isTrue();
            seen.complete(f.join());
        });
        new Thread(() -> future.complete("value")).start();
        assertThat(running.await(seen)).isEqualTo("value");
    }

    @Test
    void addFutureSeesAFailure(RunningLoop running) throws Exception {
        CompletableFuture<String> future = CompletableFuture.failedFuture(new IllegalArgumentException("bad"));
        CompletableFuture<Throwable> seen = new CompletableFuture<>();
        running.loop().addFuture(future, f -> seen.complete(f.handle((v, e) -> e).join()));
        assertThat(running.await(seen)).isInstanceOf(IllegalArgumentException.class).hasMessage("bad");
    }

    @Test
    void callbacksAreDroppedSilentlyAndExecuteIsRejectedOnceClosed() {
        IOLoop loop = IOLoop.builder().makeCurrent(false).build();
        loop.close();
        AtomicInteger ran = new AtomicInteger();
        loop.addCallback(ran::incrementAndGet);
        assertThatThrownBy(() -> loop.execute(ran::incrementAndGet))
                .isInstanceOf(RejectedExecutionException.class).hasMessageContaining("closed");
        assertThat(ran).hasValue(0);
        assertThat(loop.stats().pendingCallbacks()).isZero();
    }

    @Test
    void executeRunsOnTheLoopLikeAddCallback(RunningLoop running) throws Exception {
        CompletableFuture<String> viaAsync = CompletableFuture.supplyAsync(
                () -> Thread.currentThread().getName(), running.loop());
        assertThat(running.await(viaAsync)).isEqualTo(running.thread().getName());
    }

    @Test
    void nullArgumentsNameTheParameter() {
        IOLoop loop = IOLoop.builder().makeCurrent(false).build();
        try {
            assertThatNullPointerException().isThrownBy(() -> loop.addCallback(null)).withMessage("callback");
            assertThatNullPointerException().isThrownBy(() -> loop.execute(null)).withMessage("command");
            assertThatNullPointerException().isThrownBy(() -> loop.addFuture(null, f -> { })).withMessage("future");
            assertThatNullPointerException().isThrownBy(() -> loop.callLater(1.0, null)).withMessage("callback");
            assertThatNullPointerException().isThrownBy(() -> loop.removeTimeout(null)).withMessage("timeout");
            assertThatNullPointerException().isThrownBy(() -> loop.runInExecutor(null, null)).withMessage("task");
        } finally {
            loop.close();
        }
    }
}
