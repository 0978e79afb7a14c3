package dev.ioloop;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import dev.ioloop.testing.BackendSuite;
import dev.ioloop.test.IOLoopTest;
import dev.ioloop.test.Await;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

@IOLoopTest(makeCurrent = false)
public abstract class IOLoopThreadTests extends BackendSuite {

    private static final long WAIT_MS = Await.timeout().toMillis();

    @Test
    void startReturnsOnceTheLoopRunsOnANamedThreadOfItsOwn() throws Exception {
        IOLoop loop = IOLoop.builder().name("own-thread").makeCurrent(false).build();
        try (IOLoopThread running = IOLoopThread.start(loop)) {
            assertThat(loop.isRunning()).isTrue();
            assertThat(loop.thread()).isSameAs(running.thread());
            assertThat(running.thread().getName()).isEqualTo("own-thread");
            assertThat(running.thread().isDaemon()).isFalse();
            CompletableFuture<String> on = new CompletableFuture<>();
            loop.addCallback(() -> on.complete(Thread.currentThread().getName()));
            assertThat(on.get(WAIT_MS, TimeUnit.MILLISECONDS)).isEqualTo("own-thread");
        }
        assertThat(loop.isClosed()).isTrue();
    }

    @Test
    void aDaemonThreadWithAnotherName() throws Exception {
        IOLoop loop = IOLoop.builder().name("loop-name").makeCurrent(false).build();
        IOLoopThread running = IOLoopThread.start(loop, "thread-name", true);
        try {
            assertThat(running.thread().getName()).isEqualTo("thread-name");
            assertThat(running.thread().isDaemon()).isTrue();
            assertThat(running.toString()).contains("loop-name").contains("thread-name");
        } finally {
            running.close();
        }
    }

    @Test
    void stopWaitsUntilTheThreadEndedAndTheLoopCanStartAgain() throws Exception {
        IOLoop loop = IOLoop.builder().name("restart").makeCurrent(false).build();
        try {
            IOLoopThread first = IOLoopThread.start(loop);
            assertThat(first.stop(Await.timeout())).isTrue();
            assertThat(first.thread().isAlive()).isFalse();
            assertThat(loop.isRunning()).isFalse();
            IOLoopThread second = IOLoopThread.start(loop, "restart-2", true); // no stop left pending
            assertThat(loop.thread()).isSameAs(second.thread());
            second.stop();
            assertThat(second.thread().isAlive()).isFalse();
        } finally {
            loop.close();
        }
    }

    @Test
    void joinWaitsForAStopQueuedBehindTheCallbacksWithoutAskingForOne() throws Exception {
        IOLoop loop = IOLoop.builder().name("join").makeCurrent(false).build();
        IOLoopThread running = IOLoopThread.start(loop);
        try {
            CountDownLatch release = new CountDownLatch(1);
            loop.addCallback(() -> await(release));
            assertThat(running.join(Duration.ofMillis(20))).as("still running").isFalse();
            boolean[] ranBeforeStop = new boolean[1];
            loop.addCallback(() -> ranBeforeStop[0] = true);
            loop.addCallback(loop::stop);
            release.countDown();
            assertThat(running.join(Await.timeout())).isTrue();
            assertThat(ranBeforeStop[0]).isTrue(); // the thread ended: its writes are visible
        } finally {
            running.close();
        }
    }

    @Test
    void aLoopThatCannotStartIsReportedWithTheReason() {
        IOLoop closed = IOLoop.builder().name("closed-loop").makeCurrent(false).build();
        closed.close();
        assertThatIllegalStateException().isThrownBy(() -> IOLoopThread.start(closed))
                .withMessageContaining("IOLoop 'closed-loop' did not start on thread closed-loop")
                .withMessageContaining("is closed")
                .withCauseInstanceOf(IllegalStateException.class);
        IOLoop stopped = IOLoop.builder().name("stopped-loop").makeCurrent(false).build();
        try {
            stopped.stop(); // kept for the next start(), which returns at once
            assertThatIllegalStateException().isThrownBy(() -> IOLoopThread.start(stopped))
                    .withMessageContaining("start() returned at once (a stop() was pending)");
            IOLoopThread running = IOLoopThread.start(stopped); // the pending stop was used up
            running.stop();
        } finally {
            stopped.close();
        }
    }

    @Test
    void stopOnTheLoopsOwnThreadIsRejectedInsteadOfWaitingForItself() throws Exception {
        IOLoop loop = IOLoop.builder().name("self-stop").makeCurrent(false).build();
        IOLoopThread running = IOLoopThread.start(loop);
        try {
            CompletableFuture<Throwable> failure = new CompletableFuture<>();
            loop.addCallback(() -> {
                try {
                    running.stop();
                    failure.complete(null);
                } catch (IllegalStateException e) {
                    failure.complete(e);
                }
            });
            assertThat(failure.get(WAIT_MS, TimeUnit.MILLISECONDS)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("on the loop's own thread 'self-stop'");
        } finally {
            running.close();
        }
    }

    @Test
    void anInterruptWhileStoppingIsKeptForTheCaller() throws Exception {
        IOLoop loop = IOLoop.builder().name("interrupted-stop").makeCurrent(false).build();
        IOLoopThread running = IOLoopThread.start(loop);
        try {
            Thread.currentThread().interrupt();
            running.stop(); // still waits for the thread to end
            assertThat(Thread.interrupted()).as("interrupt kept").isTrue();
            assertThat(running.thread().isAlive()).isFalse();
        } finally {
            Thread.interrupted();
            running.close();
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
