package dev.ioloop.spring.boot.lifecycle;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import dev.ioloop.IOLoop;
import dev.ioloop.IOLoopGroup;
import org.junit.jupiter.api.Test;

import org.springframework.context.SmartLifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class IOLoopLifecycleTests {

    private static final Duration WAIT = Duration.ofSeconds(30);

    private static IOLoopLifecycle.Settings settings(Duration shutdownTimeout) {
        return new IOLoopLifecycle.Settings(shutdownTimeout, Duration.ZERO, Duration.ofMillis(100), 10);
    }

    @Test
    void runsInThePhaseBelowTheWebServersAndCannotBePaused() {
        IOLoopLifecycle lifecycle = new IOLoopLifecycle(IOLoop.builder().name("main").makeCurrent(false).build(), null,
                settings(Duration.ofSeconds(1)));
        assertThat(lifecycle.getPhase()).isEqualTo(SmartLifecycle.DEFAULT_PHASE - 4096);
        assertThat(lifecycle.isPauseable()).isFalse();
        assertThat(lifecycle.isAutoStartup()).isTrue();
        assertThat(lifecycle.state()).isEqualTo(IOLoopLifecycle.State.NEW);
        lifecycle.destroy();
    }

    @Test
    void stopRunsEveryQueuedCallbackOnEveryLoopThenCloses() throws Exception {
        IOLoop main = IOLoop.builder().name("main").makeCurrent(false).build();
        IOLoopGroup group = new IOLoopGroup("stress", 2);
        IOLoopLifecycle lifecycle = new IOLoopLifecycle(main, group, settings(Duration.ofSeconds(30)));
        lifecycle.start();
        assertThat(lifecycle.state()).isEqualTo(IOLoopLifecycle.State.RUNNING);
        CountDownLatch ran = new CountDownLatch(3 * 10_000);
        Thread[] producers = new Thread[3];
        IOLoop[] targets = { main, group.loops().get(0), group.loops().get(1) };
        for (int p = 0; p < producers.length; p++) {
            IOLoop target = targets[p];
            producers[p] = new Thread(() -> {
                for (int i = 0; i < 10_000; i++) {
                    target.addCallback(ran::countDown);
                }
            });
            producers[p].start();
        }
        for (Thread producer : producers) {
            producer.join();
        }
        lifecycle.stop(); // every callback was queued before: each must run before its loop stops
        assertThat(ran.getCount()).isZero();
        assertThat(lifecycle.state()).isEqualTo(IOLoopLifecycle.State.STOPPED);
        assertThat(main.isRunning()).isFalse();
        assertThat(group.loops()).noneMatch(IOLoop::isRunning);
        lifecycle.destroy();
        assertThat(main.isClosed()).isTrue();
        assertThat(group.loops()).allMatch(IOLoop::isClosed);
    }

    @Test
    void stopWithACallbackReturnsAtOnceAndCallsBackOnlyOnceTheBusyLoopHasStopped() throws Exception {
        IOLoop main = IOLoop.builder().name("main").makeCurrent(false).build();
        IOLoopLifecycle lifecycle = new IOLoopLifecycle(main, null, settings(Duration.ofSeconds(60)));
        lifecycle.start();
        CountDownLatch busy = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        main.addCallback(() -> {
            busy.countDown();
            awaitQuietly(release);
        });
        assertThat(busy.await(30, TimeUnit.SECONDS)).isTrue();
        CountDownLatch calledBack = new CountDownLatch(1);
        lifecycle.stop(calledBack::countDown); // on this thread, while the loop is held by the latch
        assertThat(calledBack.getCount()).as("not called back while the loop is busy").isOne();
        assertThat(lifecycle.state()).isEqualTo(IOLoopLifecycle.State.STOPPING);
        assertThat(lifecycle.isRunning()).isFalse();
        release.countDown();
        assertThat(calledBack.await(30, TimeUnit.SECONDS)).isTrue();
        assertThat(main.isRunning()).isFalse();
        assertThat(lifecycle.state()).isEqualTo(IOLoopLifecycle.State.STOPPED);
        lifecycle.destroy();
        assertThat(main.isClosed()).isTrue();
    }

    @Test
    void stopWithACallbackCallsBackAtOnceWhenNotRunning() {
        IOLoopLifecycle lifecycle = new IOLoopLifecycle(IOLoop.builder().name("main").makeCurrent(false).build(), null,
                settings(Duration.ofSeconds(1)));
        CountDownLatch calledBack = new CountDownLatch(1);
        lifecycle.stop(calledBack::countDown);
        assertThat(calledBack.getCount()).isZero();
        lifecycle.destroy();
    }

    @Test
    void stopGivesUpOnABlockedMainLoopAfterTheShutdownTimeoutAndLeavesItOpen() throws Exception {
        IOLoop main = IOLoop.builder().name("main").makeCurrent(false).build();
        IOLoopLifecycle lifecycle = new IOLoopLifecycle(main, null, settings(Duration.ofMillis(200)));
        lifecycle.start();
        CountDownLatch release = new CountDownLatch(1);
        main.addCallback(() -> awaitQuietly(release));
        CompletableFuture.runAsync(lifecycle::stop).get(30, TimeUnit.SECONDS); // returns although the loop is stuck
        assertThat(lifecycle.state()).isEqualTo(IOLoopLifecycle.State.STOPPED);
        assertThat(main.isRunning()).isTrue();
        lifecycle.destroy(); // must not throw, and must not close a running loop
        assertThat(main.isClosed()).isFalse();
        release.countDown(); // the loop was asked to stop: it ends after the blocking callback, and is then closed
        await().atMost(WAIT).until(main::isClosed);
    }

    @Test
    void stopGivesUpOnABlockedGroupLoopAfterTheShutdownTimeout() throws Exception {
        IOLoop main = IOLoop.builder().name("main").makeCurrent(false).build();
        IOLoopGroup group = new IOLoopGroup("blocked", 1);
        IOLoopLifecycle lifecycle = new IOLoopLifecycle(main, group, settings(Duration.ofMillis(200)));
        lifecycle.start();
        CountDownLatch release = new CountDownLatch(1);
        group.loops().get(0).addCallback(() -> awaitQuietly(release));
        CompletableFuture.runAsync(lifecycle::stop).get(30, TimeUnit.SECONDS); // returns although a loop is stuck
        assertThat(lifecycle.state()).isEqualTo(IOLoopLifecycle.State.STOPPED);
        assertThat(group.loops().get(0).isRunning()).isTrue();
        // The main loop was asked to stop too, but need not have ended within the 200ms on a loaded machine (that
        // stop waits for every loop that can end is stopRunsEveryQueuedCallbackOnEveryLoopThenCloses's job).
        await().atMost(WAIT).until(() -> !main.isRunning());
        lifecycle.destroy(); // closes the stopped main loop, leaves the busy group loop open
        assertThat(group.loops().get(0).isClosed()).isFalse();
        assertThat(main.isClosed()).isTrue();
        release.countDown();
        await().atMost(WAIT).until(() -> group.loops().get(0).isClosed());
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(30, TimeUnit.SECONDS);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }
}
