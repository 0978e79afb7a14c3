package dev.ioloop;

import java.util.concurrent.CopyOnWriteArrayList;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import dev.ioloop.testing.BackendSuite;
import dev.ioloop.test.IOLoopTest;
import dev.ioloop.test.Await;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

/** IOLoopGroup: named loops on their own threads, started and stopped together, handed out round-robin. */
@IOLoopTest(makeCurrent = false)
public abstract class IOLoopGroupTests extends BackendSuite {

    private static final long WAIT_MS = Await.timeout().toMillis();

    private static String threadNameOf(IOLoop loop) throws Exception {
        CompletableFuture<String> name = new CompletableFuture<>();
        loop.addCallback(() -> name.complete(Thread.currentThread().getName()));
        return Await.result(name);
    }

    @Test
    void defaultLoopsAndThreadsAreNamedIoloopOneToN() throws Exception {
        try (IOLoopGroup group = new IOLoopGroup(3)) {
            assertThat(group.loops()).extracting(IOLoop::name).containsExactly("ioloop-1", "ioloop-2", "ioloop-3");
            group.start();
            for (IOLoop loop : group.loops()) {
                assertThat(threadNameOf(loop)).isEqualTo(loop.name());
            }
        }
    }

    @Test
    void startReturnsOnceEveryLoopRunsOnItsOwnNamedThread() throws Exception {
        try (IOLoopGroup group = new IOLoopGroup("workers", 4)) {
            assertThat(group.isRunning()).isFalse();
            assertThat(group.loops()).noneMatch(IOLoop::isRunning);
            group.start();
            assertThat(group.isRunning()).isTrue();
            // no waiting here: start() promised that all of them run
            List<String> threadNames = new ArrayList<>();
            for (IOLoop loop : group.loops()) {
                assertThat(loop.isRunning()).as("%s running", loop.name()).isTrue();
                Thread thread = loop.thread();
                assertThat(thread).as("%s thread", loop.name()).isNotNull();
                threadNames.add(thread.getName());
            }
            assertThat(threadNames).containsExactly("workers-1", "workers-2", "workers-3", "workers-4");
            assertThat(group.loops()).extracting(IOLoop::thread).doesNotHaveDuplicates();
        }
    }

    @Test
    void aGroupGivenABackendBuildsEveryLoopOnIt() throws Exception {
        List<String> builtFor = new CopyOnWriteArrayList<>();
        IOLoopBackend.Factory suiteBackend = backendFactory();
        IOLoopBackend.Factory counting = context -> {
            builtFor.add(context.loopName());
            return suiteBackend.create(context);
        };
        try (IOLoopGroup group = new IOLoopGroup("own", 2, counting)) {
            assertThat(builtFor).containsExactly("own-1", "own-2");
            group.start();
            CompletableFuture<String> ran = new CompletableFuture<>();
            group.next().addCallback(() -> ran.complete(Thread.currentThread().getName()));
            assertThat(ran.get(30, TimeUnit.SECONDS)).isEqualTo("own-1");
        }
        assertThatNullPointerException().isThrownBy(() -> new IOLoopGroup("own", 1, null)).withMessage("backend");
    }

    @Test
    void nextIsRoundRobinInOrder() {
        try (IOLoopGroup group = new IOLoopGroup("rr", 3)) {
            List<IOLoop> loops = group.loops();
            List<IOLoop> handedOut = new ArrayList<>();
            for (int i = 0; i < 9; i++) {
                handedOut.add(group.next());
            }
            assertThat(handedOut).containsExactly(loops.get(0), loops.get(1), loops.get(2), loops.get(0),
                    loops.get(1), loops.get(2), loops.get(0), loops.get(1), loops.get(2));
        }
    }

    @Test
    void nextFromManyThreadsHandsOutEachLoopEquallyOften() throws Exception {
        int loops = 3;
        int threads = 8;
        int perThread = 30_000; // 240,000 calls: a multiple of 3
        try (IOLoopGroup group = new IOLoopGroup("rr-mt", loops)) {
            Map<IOLoop, AtomicLong> counts = new ConcurrentHashMap<>();
            for (IOLoop loop : group.loops()) {
                counts.put(loop, new AtomicLong());
            }
            CyclicBarrier go = new CyclicBarrier(threads);
            List<Thread> callers = new ArrayList<>();
            List<Throwable> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
            for (int t = 0; t < threads; t++) {
                Thread caller = new Thread(() -> {
                    try {
                        go.await(WAIT_MS, TimeUnit.MILLISECONDS);
                        long[] local = new long[loops];
                        for (int i = 0; i < perThread; i++) {
                            local[group.loops().indexOf(group.next())]++;
                        }
                        for (int i = 0; i < loops; i++) {
                            counts.get(group.loops().get(i)).addAndGet(local[i]);
                        }
                    } catch (Throwable e) {
                        failures.add(e);
                    }
                }, "next-caller-" + t);
                callers.add(caller);
                caller.start();
            }
            for (Thread caller : callers) {
                caller.join(WAIT_MS);
            }
            assertThat(failures).isEmpty();
            for (IOLoop loop : group.loops()) {
                assertThat(counts.get(loop)).as(loop.name()).hasValue((long) threads * perThread / loops);
            }
        }
    }

    @Test
    void loopsIsUnmodifiableAndInOrder() {
        try (IOLoopGroup group = new IOLoopGroup("list", 2)) {
            List<IOLoop> loops = group.loops();
            assertThat(loops).extracting(IOLoop::name).containsExactly("list-1", "list-2");
            assertThat(group.loops()).isEqualTo(loops);
            assertThatExceptionOfType(UnsupportedOperationException.class).isThrownBy(() -> loops.remove(0));
            assertThatExceptionOfType(UnsupportedOperationException.class)
                    .isThrownBy(() -> loops.add(IOLoop.builder().makeCurrent(false).build()));
            assertThatExceptionOfType(UnsupportedOperationException.class).isThrownBy(() -> loops.set(0, loops.get(1)));
            assertThat(loops).hasSize(2);
        }
    }

    @Test
    void stopReturnsOnceEveryThreadHasEndedAndTheGroupCanStartAgain() throws Exception {
        try (IOLoopGroup group = new IOLoopGroup("stop", 3)) {
            group.start();
            List<Thread> threads = new ArrayList<>();
            for (IOLoop loop : group.loops()) {
                threads.add(loop.thread());
            }
            group.stop();
            assertThat(group.isRunning()).isFalse();
            assertThat(threads).noneMatch(Thread::isAlive);
            assertThat(group.loops()).noneMatch(IOLoop::isRunning).noneMatch(IOLoop::isClosed);
            group.stop(); // stopping a stopped group does nothing

            // callbacks queued while stopped run after the restart
            CountDownLatch ran = new CountDownLatch(3);
            for (IOLoop loop : group.loops()) {
                loop.addCallback(ran::countDown);
            }
            group.start();
            assertThat(ran.await(WAIT_MS, TimeUnit.MILLISECONDS)).isTrue();
            assertThat(group.loops()).allMatch(IOLoop::isRunning);
        }
    }

    @Test
    void startTwiceOrAfterCloseIsRejected() {
        IOLoopGroup group = new IOLoopGroup("twice", 1);
        try {
            group.start();
            assertThatIllegalStateException().isThrownBy(group::start)
                    .withMessageContaining("already running").withMessageContaining("stop()");
            assertThat(group.loops().get(0).isRunning()).isTrue(); // the rejected call changed nothing
        } finally {
            group.close();
        }
        assertThatIllegalStateException().isThrownBy(group::start).withMessageContaining("closed");
    }

    @Test
    void closeStopsAndClosesEveryLoop() throws Exception {
        IOLoopGroup group = new IOLoopGroup("close", 3);
        group.start();
        List<Thread> threads = new ArrayList<>();
        for (IOLoop loop : group.loops()) {
            threads.add(loop.thread());
        }
        group.close();
        assertThat(threads).noneMatch(Thread::isAlive);
        assertThat(group.loops()).allMatch(IOLoop::isClosed);
        assertThat(group.isRunning()).isFalse();
        group.close(); // idempotent
    }

    @Test
    void closeOfAGroupThatNeverStartedClosesEveryLoop() {
        IOLoopGroup group = new IOLoopGroup("never-started", 2);
        group.close();
        assertThat(group.loops()).allMatch(IOLoop::isClosed);
    }

    @Test
    void awaitStoppedWaitsForStopsQueuedBehindEachLoopsCallbacksAndGivesUpAtItsTimeout() throws Exception {
        try (IOLoopGroup group = new IOLoopGroup("await", 2)) {
            group.start();
            assertThat(group.awaitStopped(Duration.ofMillis(20))).as("nobody asked them to stop").isFalse();
            assertThat(group.isRunning()).isTrue();
            CountDownLatch release = new CountDownLatch(1);
            List<String> ran = new CopyOnWriteArrayList<>();
            for (IOLoop loop : group.loops()) {
                loop.addCallback(() -> await(release));
                loop.addCallback(() -> ran.add(loop.name()));
                loop.addCallback(loop::stop); // behind the callbacks already queued
            }
            assertThat(group.awaitStopped(Duration.ofMillis(20))).as("first loop still blocked").isFalse();
            release.countDown();
            assertThat(group.awaitStopped(Await.timeout())).isTrue();
            assertThat(ran).containsExactlyInAnyOrder("await-1", "await-2");
            assertThat(group.isRunning()).isFalse();
            assertThat(group.loops()).noneMatch(IOLoop::isRunning);
            group.start(); // stopped cleanly: it starts again
            assertThat(group.loops()).allMatch(IOLoop::isRunning);
        }
    }

    @Test
    void badArgumentsAreRejectedNamingTheParameter() {
        for (int bad : new int[] {0, -1, Integer.MIN_VALUE}) {
            assertThatIllegalArgumentException().isThrownBy(() -> new IOLoopGroup(bad))
                    .withMessageContaining("'threads'").withMessageContaining(String.valueOf(bad));
            assertThatIllegalArgumentException().isThrownBy(() -> new IOLoopGroup("named", bad))
                    .withMessageContaining("'threads'");
        }
        assertThatNullPointerException().isThrownBy(() -> new IOLoopGroup(null, 1)).withMessage("name");
        assertThatIllegalArgumentException().isThrownBy(() -> new IOLoopGroup(" ", 1)).withMessageContaining("'name'");
    }

    @Test
    void aLoopThreadAskingWhetherTheGroupRunsDoesNotDeadlockStop() throws Exception {
        IOLoopGroup group = new IOLoopGroup("ask", 2);
        group.start();
        CountDownLatch entered = new CountDownLatch(1);
        CompletableFuture<Thread> stopper = new CompletableFuture<>();
        CompletableFuture<Boolean> answer = new CompletableFuture<>();
        group.loops().get(0).addCallback(() -> {
            entered.countDown();
            try {
                Thread stopping = stopper.get(WAIT_MS, TimeUnit.MILLISECONDS);
                // wait until stop() is waiting for this very thread to end, then ask
                long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(WAIT_MS);
                while (stopping.getState() != Thread.State.WAITING && System.nanoTime() < deadline) {
                    Thread.onSpinWait();
                }
                answer.complete(group.isRunning());
            } catch (Throwable e) {
                answer.completeExceptionally(e);
            }
        });
        assertThat(entered.await(WAIT_MS, TimeUnit.MILLISECONDS)).isTrue();
        Thread stopping = new Thread(group::close, "group-closer");
        stopper.complete(stopping);
        stopping.start();
        stopping.join(WAIT_MS);
        assertThat(stopping.isAlive()).as("close() deadlocked with a loop thread calling isRunning()").isFalse();
        assertThat(answer).isDone();
        assertThat(group.loops()).allMatch(IOLoop::isClosed);
    }

    @Test
    void stopFromOneOfTheGroupsOwnLoopThreadsIsRejectedInsteadOfWaitingForItself() throws Exception {
        // no try-with-resources: if stop() waited for itself, close() would wait for ever behind it
        IOLoopGroup group = new IOLoopGroup("self-stop", 2);
        group.start();
        CompletableFuture<Throwable> outcome = new CompletableFuture<>();
        group.loops().get(1).addCallback(() -> {
            try {
                group.stop();
                outcome.complete(null);
            } catch (Throwable e) {
                outcome.complete(e);
            }
        });
        Throwable thrown = Await.result(outcome);
        assertThat(thrown).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("self-stop-2").hasMessageContaining("another thread");
        // the rejected call changed nothing
        assertThat(group.isRunning()).isTrue();
        assertThat(group.loops()).allMatch(IOLoop::isRunning);
        group.close();
    }

    @Test
    void theGroupsLoopsAreNotCurrentOnTheCreatingThread() {
        IOLoop before = IOLoop.current(false);
        try (IOLoopGroup group = new IOLoopGroup("not-current", 2)) {
            assertThat(IOLoop.current(false)).isSameAs(before);
        }
    }

    @Test
    void aGroupCanBeStartedAgainAfterItsLoopsWereStoppedTwice() throws Exception {
        try (IOLoopGroup group = new IOLoopGroup("again", 2)) {
            group.start();
            for (IOLoop loop : group.loops()) {
                loop.addCallback(loop::stop); // the loop returns before the group's own stop() reaches it
            }
            for (IOLoop loop : group.loops()) {
                while (loop.isRunning()) {
                    Thread.onSpinWait();
                }
            }
            group.stop();
            group.start();
            for (IOLoop loop : group.loops()) {
                assertThat(loop.isRunning()).isTrue();
            }
            java.util.concurrent.CompletableFuture<String> ran = new java.util.concurrent.CompletableFuture<>();
            group.next().addCallback(() -> ran.complete(Thread.currentThread().getName()));
            assertThat(ran.get(30, java.util.concurrent.TimeUnit.SECONDS)).startsWith("again-");
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(WAIT_MS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
