package dev.ioloop;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;

import dev.ioloop.testing.BackendSuite;
import dev.ioloop.test.IOLoopTest;
import dev.ioloop.test.Await;
import dev.ioloop.test.RunningLoop;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@IOLoopTest(makeCurrent = false)
public abstract class IOLoopExecutorTests extends BackendSuite {

    @Test
    void theDefaultExecutorRunsTasksOnDaemonThreadsNamedAfterTheLoop(RunningLoop running) throws Exception {
        CompletableFuture<Thread> ranOn = running.loop().runInExecutor(null, Thread::currentThread);
        Thread worker = running.await(ranOn);
        assertThat(worker.getName()).startsWith("test-loop-executor-");
        assertThat(worker.isDaemon()).isTrue();
    }

    @Test
    void theFutureCompletesOnTheLoopThread(RunningLoop running) throws Exception {
        CompletableFuture<Thread> completedOn = new CompletableFuture<>();
        java.util.concurrent.CountDownLatch attached = new java.util.concurrent.CountDownLatch(1);
        running.loop().runInExecutor(null, () -> attached.await(30, java.util.concurrent.TimeUnit.SECONDS))
                .thenRun(() -> completedOn.complete(Thread.currentThread()));
        attached.countDown(); // only now may the task finish, so thenRun cannot run on this thread
        assertThat(running.await(completedOn)).isSameAs(running.thread());
    }

    @Test
    void aFailingTaskFailsTheFuture(RunningLoop running) {
        CompletableFuture<Object> future = running.loop().runInExecutor(null, () -> {
            throw new java.io.IOException("blocking call failed");
        });
        assertThatThrownBy(() -> running.await(future)).isInstanceOf(java.io.IOException.class)
                .hasMessage("blocking call failed");
    }

    @Test
    void aGivenExecutorIsUsedAndARejectionFailsTheFuture(RunningLoop running) throws Exception {
        ExecutorService pool = Executors.newSingleThreadExecutor(task -> new Thread(task, "given-pool"));
        try {
            CompletableFuture<String> name = running.loop().runInExecutor(pool, () -> Thread.currentThread().getName());
            assertThat(running.await(name)).isEqualTo("given-pool");
        } finally {
            pool.shutdown();
        }
        CompletableFuture<String> rejected = running.loop().runInExecutor(pool, () -> "never");
        assertThat(rejected).isCompletedExceptionally();
        assertThatThrownBy(rejected::join).hasCauseInstanceOf(RejectedExecutionException.class);
    }

    @Test
    void setDefaultExecutorReplacesTheDefault(RunningLoop running) throws Exception {
        ExecutorService pool = Executors.newSingleThreadExecutor(task -> new Thread(task, "my-default"));
        try {
            running.loop().setDefaultExecutor(pool);
            assertThat(running.await(running.loop().runInExecutor(null, () -> Thread.currentThread().getName())))
                    .isEqualTo("my-default");
        } finally {
            pool.shutdown();
        }
    }

    @Test
    void closeShutsDownTheDefaultExecutorItCreated() throws Exception {
        IOLoop loop = IOLoop.builder().name("closing").makeCurrent(false).build();
        RunningLoop running = RunningLoop.start(loop);
        Thread worker = running.await(loop.runInExecutor(null, Thread::currentThread));
        loop.stop();
        running.thread().join();
        loop.close();
        worker.join(Await.timeout().toMillis()); // an idle pool thread ends once its pool shuts down
        assertThat(worker.isAlive()).isFalse();
        assertThatThrownBy(() -> loop.runInExecutor(null, () -> "x").join())
                .hasCauseInstanceOf(RejectedExecutionException.class);
    }

    @Test
    void theDefaultExecutorIsBounded() {
        assertThat(DefaultExecutor.MAX_THREADS).isBetween(5, 32);
        java.util.concurrent.ThreadPoolExecutor pool = (java.util.concurrent.ThreadPoolExecutor) DefaultExecutor.create("x");
        try {
            assertThat(pool.getMaximumPoolSize()).isEqualTo(DefaultExecutor.MAX_THREADS);
            assertThat(pool.allowsCoreThreadTimeOut()).isTrue();
        } finally {
            pool.shutdown();
        }
    }

    @Test
    void aTaskThatFinishesAfterCloseStillCompletesItsFuture() throws Exception {
        IOLoop loop = IOLoop.builder().name("gone").makeCurrent(false).build();
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            CompletableFuture<String> future = loop.runInExecutor(pool, () -> {
                release.await();
                return "done";
            });
            loop.close();
            release.countDown();
            assertThat(Await.result(future)).isEqualTo("done");
        } finally {
            pool.shutdown();
        }
    }

    @Test
    void onALoopClosedBeforeAnyUseTheDefaultExecutorRejectsThroughTheFuture() {
        // as on a loop whose default executor existed and was shut down by close(): a failed
        // future, never an exception thrown at the caller (the javadoc promises the future)
        IOLoop loop = IOLoop.builder().name("closed-first").makeCurrent(false).build();
        loop.close();
        CompletableFuture<String> future = loop.runInExecutor(null, () -> "x");
        assertThatThrownBy(future::join).hasCauseInstanceOf(RejectedExecutionException.class)
                .hasMessageContaining("closed-first");
    }

    @Test
    void aResultQueuedForTheLoopCompletesItsFutureWhenTheLoopClosesBeforeRunningIt() throws Exception {
        // the task finishes while the loop is not running: its completion waits in the callback
        // queue, which close() drops; the future must still complete (directly), never hang
        IOLoop loop = IOLoop.builder().name("closed-queued").makeCurrent(false).build();
        CompletableFuture<String> value = loop.runInExecutor(Runnable::run, () -> "done");
        CompletableFuture<String> failure = loop.runInExecutor(Runnable::run, () -> {
            throw new IllegalStateException("task failed");
        });
        assertThat(value).isNotDone();
        loop.close();
        assertThat(value).isCompletedWithValue("done");
        assertThatThrownBy(failure::join).hasCauseInstanceOf(IllegalStateException.class);
    }
}
