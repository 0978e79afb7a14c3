package dev.ioloop;

import java.nio.channels.Pipe;
import java.nio.channels.SelectableChannel;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import dev.ioloop.test.IOLoopTest;
import dev.ioloop.test.Await;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A loop whose backend does not own its thread (what {@code NettyBackend.attach(eventLoop)} is): a host
 * event loop, here a JDK single-thread scheduler, runs each iteration through
 * {@link IOLoopBackend.Context#runOnce()}. The loop runs from creation until close(); start(),
 * runSync() and stop() are not the way to drive it.
 */
@IOLoopTest(makeCurrent = false)
class DrivenBackendTests {

    private static final long WAIT_MS = Await.timeout().toMillis();

    /**
     * A backend driven by a scheduled executor: poll and wakeup queue a runOnce, await schedules one
     * after its timeout. It watches no java.nio channels, as a host without NIO support.
     */
    static final class HostedBackend implements IOLoopBackend {
        final ScheduledExecutorService host;
        final IOLoopBackend.Context context;
        final AtomicInteger closed = new AtomicInteger();
        private @Nullable ScheduledFuture<?> timer; // host thread only

        HostedBackend(ScheduledExecutorService host, IOLoopBackend.Context context) {
            this.host = host;
            this.context = context;
        }

        @Override
        public String name() {
            return "test host";
        }

        @Override
        public boolean ownsThread() {
            return false;
        }

        /** The host runs its own tasks on the thread too. */
        @Override
        public boolean sharesThread() {
            return true;
        }

        @Override
        public ChannelKey register(SelectableChannel channel, int events, Object attachment) {
            throw new UnsupportedOperationException("the test host cannot watch java.nio channels");
        }

        @Override
        public void update(ChannelKey key, int events) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void cancel(ChannelKey key) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void poll() {
            host.execute(context::runOnce);
        }

        @Override
        public void await(long timeoutNanos) {
            if (timeoutNanos != FOREVER) {
                timer = host.schedule(context::runOnce, timeoutNanos, TimeUnit.NANOSECONDS);
            }
        }

        @Override
        public void wakeup() {
            try {
                host.execute(context::runOnce);
            } catch (RejectedExecutionException terminated) {
                // the host is gone: nothing left to wake (whoever saw it end releases the loop)
            }
        }

        @Override
        public void close() {
            closed.incrementAndGet();
            ScheduledFuture<?> pending = timer;
            if (pending != null) {
                pending.cancel(false);
            }
        }
    }

    private final ScheduledExecutorService host = newHost();
    private final List<HostedBackend> backends = new CopyOnWriteArrayList<>();

    @AfterEach
    void stopHost() throws InterruptedException {
        host.shutdownNow();
        assertThat(host.awaitTermination(WAIT_MS, TimeUnit.MILLISECONDS)).isTrue();
    }

    /** One thread, as an event loop; delayed tasks end with it (the loop's timers die with the host). */
    private static ScheduledExecutorService newHost() {
        ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, task -> new Thread(task, "test-host"));
        executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        return executor;
    }

    /** Builds a loop on the host and lets the host run its first iteration. */
    private IOLoop attach() throws Exception {
        IOLoop loop = IOLoop.builder().name("hosted").makeCurrent(false).backend(context -> {
            HostedBackend backend = new HostedBackend(host, context);
            backends.add(backend);
            return backend;
        }).build();
        host.submit(backends.get(0).context::runOnce).get(WAIT_MS, TimeUnit.MILLISECONDS);
        return loop;
    }

    private <T> T onHost(java.util.concurrent.Callable<T> task) throws Exception {
        return host.submit(task).get(WAIT_MS, TimeUnit.MILLISECONDS);
    }

    @Test
    void theLoopRunsFromCreationOnTheHostsThreadAndIsCurrentInItsCallbacks() throws Exception {
        IOLoop loop = attach();
        try {
            assertThat(loop.isRunning()).isTrue();
            Thread hostThread = onHost(Thread::currentThread);
            assertThat(loop.thread()).isSameAs(hostThread);
            CompletableFuture<List<Object>> seen = new CompletableFuture<>();
            loop.addCallback(() -> seen.complete(List.of(Thread.currentThread(), IOLoop.current(), loop.inLoopThread())));
            assertThat(seen.get(WAIT_MS, TimeUnit.MILLISECONDS)).containsExactly(hostThread, loop, true);
            assertThat(onHost(() -> IOLoop.current(false))).as("current only inside its iterations").isNull();
            assertThat(loop.toString()).contains("running").contains("test host");
            assertThat(loop.stats().backend()).isEqualTo("test host");
        } finally {
            loop.close();
        }
    }

    @Test
    void aHostTaskThatBlocksTheThreadIsReportedWithItsStackThoughNoIterationRuns() throws Exception {
        IOLoop loop = attach();
        try {
            Thread hostThread = onHost(Thread::currentThread);
            List<StackTraceElement[]> stacks = new CopyOnWriteArrayList<>();
            CountDownLatch reported = new CountDownLatch(2);
            CountDownLatch started = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            host.execute(() -> {
                started.countDown();
                hostTaskThatBlocks(release);
            });
            // The watchdog starts once the host task runs: on a loaded machine a host thread that is only
            // slow to be scheduled is (rightly) reported too, with a stack that is not the task's.
            assertThat(started.await(WAIT_MS, TimeUnit.MILLISECONDS)).isTrue();
            loop.setBlockingSignalThreshold(Duration.ofMillis(40), thread -> {
                stacks.add(thread.getStackTrace());
                reported.countDown();
            });
            // once past the threshold, then again when the blocked time doubled: one episode, two reports
            assertThat(reported.await(WAIT_MS, TimeUnit.MILLISECONDS)).isTrue();
            assertThat(loop.stats().blockedForNanos()).isGreaterThanOrEqualTo(Duration.ofMillis(80).toNanos());
            assertThat(loop.thread()).isSameAs(hostThread);
            List<StackTraceElement[]> whileBlocked = List.copyOf(stacks); // all taken inside the task
            release.countDown();
            CompletableFuture<String> after = new CompletableFuture<>();
            loop.addCallback(() -> after.complete("ran"));
            assertThat(after.get(WAIT_MS, TimeUnit.MILLISECONDS)).isEqualTo("ran");
            loop.setBlockingSignalThreshold(null, null);
            assertThat(whileBlocked).hasSizeGreaterThanOrEqualTo(2).allSatisfy(stack ->
                    assertThat(stack).anyMatch(frame -> frame.getMethodName().equals("hostTaskThatBlocks")));
            assertThat(loop.stats().blockedEvents()).isEqualTo(stacks.size());
        } finally {
            loop.close();
        }
    }

    private static void hostTaskThatBlocks(CountDownLatch release) {
        try {
            release.await(WAIT_MS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void startAndRunSyncSayWhoDrivesTheLoopAndStopDoesNothing() throws Exception {
        IOLoop loop = attach();
        try {
            assertThatIllegalStateException().isThrownBy(loop::start)
                    .withMessage("IOLoop 'hosted' is driven by its backend (test host) on that backend's own thread,"
                            + " from creation until close(): start() is not available");
            assertThatIllegalStateException().isThrownBy(() -> loop.runSync(() -> null))
                    .withMessageContaining("driven by its backend (test host)").withMessageContaining("runSync()");
            loop.stop();
            assertThat(loop.isRunning()).isTrue();
            CompletableFuture<String> after = new CompletableFuture<>();
            loop.addCallback(() -> after.complete("still running"));
            assertThat(after.get(WAIT_MS, TimeUnit.MILLISECONDS)).isEqualTo("still running");
        } finally {
            loop.close();
        }
    }

    @Test
    void callbacksOfAnotherThreadTimeoutsAndChainsRunOnTheHost() throws Exception {
        IOLoop loop = attach();
        try {
            Thread hostThread = onHost(Thread::currentThread);
            CompletableFuture<Thread> timeout = new CompletableFuture<>();
            loop.callLater(0.02, () -> timeout.complete(Thread.currentThread()));
            CompletableFuture<Thread> chain = new CompletableFuture<>();
            int[] links = new int[1];
            long before = loop.stats().iterations();
            loop.addCallback(new Runnable() {
                @Override
                public void run() {
                    if (++links[0] < 100) {
                        loop.addCallback(this); // each link waits for the next iteration (next runOnce)
                    } else {
                        chain.complete(Thread.currentThread());
                    }
                }
            });
            assertThat(chain.get(WAIT_MS, TimeUnit.MILLISECONDS)).isSameAs(hostThread);
            assertThat(timeout.get(WAIT_MS, TimeUnit.MILLISECONDS)).isSameAs(hostThread);
            assertThat(loop.stats().iterations() - before).isGreaterThanOrEqualTo(100);
        } finally {
            loop.close();
        }
    }

    @Test
    void closeFromAnotherThreadDropsEverythingOnTheHostAndLeavesTheHostRunning() throws Exception {
        IOLoop loop = attach();
        HostedBackend backend = backends.get(0);
        CountDownLatch busy = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        loop.addCallback(() -> {
            busy.countDown();
            await(release);
        });
        assertThat(busy.await(WAIT_MS, TimeUnit.MILLISECONDS)).isTrue();
        AtomicInteger ran = new AtomicInteger();
        Timeout far = loop.callLater(3600.0, ran::incrementAndGet);
        loop.addCallback(ran::incrementAndGet);
        loop.close(); // while the host is inside an iteration
        assertThat(loop.isClosed()).isTrue();
        assertThat(loop.isRunning()).isFalse();
        assertThat(backend.closed).as("released only when the host's iteration ends").hasValue(0);
        release.countDown();
        assertThat(onHost(() -> "host still serves its own tasks")).isEqualTo("host still serves its own tasks");
        assertThat(backend.closed).hasValue(1);
        assertThat(ran).hasValue(0);
        assertThat(far.isCancelled() || !far.hasFired()).isTrue();
        assertThat(loop.thread()).isNull();
        loop.addCallback(ran::incrementAndGet); // dropped silently, as after any close
        assertThatThrownBy(() -> loop.execute(ran::incrementAndGet)).isInstanceOf(RejectedExecutionException.class);
        loop.close(); // idempotent
        assertThat(onHost(ran::get)).isZero();
        assertThat(backend.closed).hasValue(1);
    }

    @Test
    void closeInsideACallbackReleasesWhenTheIterationEnds() throws Exception {
        IOLoop loop = attach();
        HostedBackend backend = backends.get(0);
        CompletableFuture<Integer> closedDuringIteration = new CompletableFuture<>();
        loop.addCallback(() -> {
            loop.close();
            closedDuringIteration.complete(backend.closed.get());
        });
        assertThat(closedDuringIteration.get(WAIT_MS, TimeUnit.MILLISECONDS)).isZero();
        assertThat(onHost(backend.closed::get)).isEqualTo(1);
        assertThat(loop.isClosed()).isTrue();
    }

    @Test
    void closeOnTheHostBetweenIterationsAndOfALoopThatNeverRanReleaseAtOnce() throws Exception {
        IOLoop loop = attach();
        onHost(() -> {
            loop.close();
            return null;
        });
        assertThat(backends.get(0).closed).hasValue(1);
        IOLoop neverRan = IOLoop.builder().name("never-ran").makeCurrent(false)
                .backend(context -> new HostedBackend(host, context)).build();
        assertThat(neverRan.isRunning()).isTrue();
        assertThat(neverRan.thread()).isNull();
        neverRan.close();
        assertThat(neverRan.isClosed()).isTrue();
    }

    @Test
    void afterTheHostTerminatedTheThreadThatSawItCanReleaseTheLoop() throws Exception {
        IOLoop loop = attach();
        HostedBackend backend = backends.get(0);
        loop.callLater(3600.0, () -> { });
        host.shutdown();
        assertThat(host.awaitTermination(WAIT_MS, TimeUnit.MILLISECONDS)).isTrue();
        loop.close(); // the host can no longer run the release...
        assertThat(backend.closed).hasValue(0);
        backend.context.runOnce(); // ...so the backend runs it here, after the host's termination
        assertThat(backend.closed).hasValue(1);
        assertThat(loop.stats().pendingTimeouts()).isZero();
    }

    @Test
    void aBackendThatCannotWatchChannelsRefusesAddHandlerAndKeepsNoHandler() throws Exception {
        IOLoop loop = attach();
        Pipe pipe = Pipe.open();
        try {
            pipe.source().configureBlocking(false);
            assertThatThrownBy(() -> loop.addHandler(pipe.source(), (channel, events) -> { }, IOLoop.READ))
                    .isInstanceOf(UnsupportedOperationException.class)
                    .hasMessage("the test host cannot watch java.nio channels");
            assertThat(loop.stats().handlers()).isZero();
            loop.removeHandler(pipe.source()); // no handler: nothing to do
        } finally {
            pipe.source().close();
            pipe.sink().close();
            loop.close();
        }
    }

    @Test
    void runOnceIsForDrivenBackendsOnly() {
        IOLoopBackend.Context[] context = new IOLoopBackend.Context[1];
        try (IOLoop owning = IOLoop.builder().name("owning").makeCurrent(false).backend(c -> {
            context[0] = c;
            return IOLoopBackend.selector().create(c);
        }).build()) {
            assertThatIllegalStateException().isThrownBy(context[0]::runOnce)
                    .withMessage("IOLoop 'owning' runs in start() on its backend's thread (selector): runOnce() is for"
                            + " backends that do not own their thread");
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(Duration.ofMillis(WAIT_MS).toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
