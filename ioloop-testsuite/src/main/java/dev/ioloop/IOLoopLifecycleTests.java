package dev.ioloop;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import org.slf4j.event.Level;
import dev.ioloop.testing.BackendSuite;
import dev.ioloop.test.LogCapture;
import dev.ioloop.test.IOLoopTest;
import dev.ioloop.test.Await;
import dev.ioloop.test.RunningLoop;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@IOLoopTest(makeCurrent = false)
public abstract class IOLoopLifecycleTests extends BackendSuite {

    private final IOLoop loop = IOLoop.builder().name("life").makeCurrent(false).build();

    @AfterEach
    void close() {
        if (!loop.isRunning()) {
            loop.close();
        }
    }

    @Test
    void stopBeforeStartMakesTheNextStartReturnAtOnce() {
        AtomicInteger ran = new AtomicInteger();
        loop.addCallback(ran::incrementAndGet);
        loop.stop();
        loop.start(); // returns at once
        assertThat(ran).hasValue(0);
        assertThat(loop.isRunning()).isFalse();
        loop.addCallback(loop::stop);
        loop.start(); // the earlier stop was consumed: this one runs until the callback stops it
        assertThat(ran).hasValue(1);
    }

    @Test
    void startWhileRunningIsRejected(RunningLoop running) {
        assertThat(running.loop().isRunning()).isTrue();
        assertThatIllegalStateException().isThrownBy(() -> running.loop().start())
                .withMessageContaining("already running on thread test-loop").withMessageContaining("stop()");
        assertThat(running.loop().isRunning()).isTrue();
    }

    @Test
    void closeWhileRunningIsRejectedAndChangesNothing(RunningLoop running) throws Exception {
        assertThatIllegalStateException().isThrownBy(() -> running.loop().close())
                .withMessage("IOLoop 'test-loop' is running: call stop() and let start() return before close()");
        assertThat(running.loop().isClosed()).isFalse();
        CompletableFuture<String> still = new CompletableFuture<>();
        running.loop().addCallback(() -> still.complete("running"));
        assertThat(running.await(still)).isEqualTo("running");
    }

    @Test
    void stopAndCloseClosesARunningLoopOnTheThreadThatRanIt() throws Exception {
        List<ClosingThreadBackend> made = new CopyOnWriteArrayList<>();
        IOLoop running = IOLoop.builder().name("stop-and-close").makeCurrent(false)
                .backend(ClosingThreadBackend.wrapping(backendFactory(), made::add)).build();
        IOLoopThread thread = IOLoopThread.start(running, "stop-and-close", true);
        running.stopAndClose(false); // from this thread, while the loop runs on its own
        assertThat(thread.join(Await.timeout())).isTrue();
        assertThat(running.isClosed()).isTrue();
        assertThat(made.get(0).closedOn()).isSameAs(thread.thread());
    }

    @Test
    void stopAndCloseClosesAnIdleLoopAtOnce() {
        loop.stopAndClose(true);
        assertThat(loop.isClosed()).isTrue();
        assertThatIllegalStateException().isThrownBy(loop::start).withMessageContaining("is closed");
    }

    @Test
    void ioLoopThreadClosesItsLoopOnTheLoopsOwnThread() {
        List<ClosingThreadBackend> made = new CopyOnWriteArrayList<>();
        IOLoop running = IOLoop.builder().name("thread-close").makeCurrent(false)
                .backend(ClosingThreadBackend.wrapping(backendFactory(), made::add)).build();
        IOLoopThread thread = IOLoopThread.start(running, "thread-close", true);
        thread.close();
        assertThat(running.isClosed()).isTrue();
        assertThat(made.get(0).closedOn()).isSameAs(thread.thread());
    }

    @Test
    void startOnAClosedLoopIsRejected() {
        loop.close();
        assertThatIllegalStateException().isThrownBy(loop::start).withMessageContaining("is closed");
        loop.close(); // idempotent
        assertThat(loop.isClosed()).isTrue();
    }

    @Test
    void addHandlerOnAClosedLoopIsRejected() throws Exception {
        loop.close();
        java.nio.channels.Pipe pipe = java.nio.channels.Pipe.open();
        pipe.source().configureBlocking(false);
        assertThatIllegalStateException().isThrownBy(() -> loop.addHandler(pipe.source(), (c, e) -> { }, IOLoop.READ))
                .withMessageContaining("closed");
        pipe.source().close();
        pipe.sink().close();
    }

    @Test
    void closeDropsPendingCallbacksAndTimeouts() {
        AtomicInteger ran = new AtomicInteger();
        loop.addCallback(ran::incrementAndGet);
        Timeout timeout = loop.runSync(() -> CompletableFuture.completedFuture(loop.callLater(60.0, ran::incrementAndGet)));
        loop.addCallback(ran::incrementAndGet);
        assertThat(loop.stats().pendingTimeouts()).isEqualTo(1);
        loop.close();
        assertThat(timeout.isCancelled()).isTrue();
        assertThat(loop.stats().pendingCallbacks()).isZero();
        assertThat(loop.stats().pendingTimeouts()).isZero();
        assertThat(ran).hasValue(1); // only the callback that ran inside runSync
    }

    @Test
    void anAssertionErrorIsReportedAndTheLoopKeepsRunning(RunningLoop running) throws Exception {
        try (LogCapture logs = LogCapture.start()) {
            running.loop().addCallback(() -> {
                throw new AssertionError("not fatal");
            });
            running.loop().addCallback(() -> {
                throw new StackOverflowError("not fatal either");
            });
            running.drain();
            assertThat(logs.count(Level.ERROR, "Exception in callback")).isEqualTo(2);
        }
        assertThat(running.loop().isRunning()).isTrue();
    }

    @Test
    void aVirtualMachineErrorIsReportedThenLeavesStartAndTheLoopStoppedNotClosed() {
        List<Throwable> reported = new CopyOnWriteArrayList<>();
        IOLoop custom = new IOLoop(false) {
            @Override
            protected void handleCallbackException(Object callback, Throwable error) {
                reported.add(error);
            }
        };
        try {
            custom.addCallback(() -> {
                throw new OutOfMemoryError("simulated");
            });
            AtomicInteger later = new AtomicInteger();
            custom.addCallback(later::incrementAndGet);
            assertThatThrownBy(custom::start).isInstanceOf(OutOfMemoryError.class).hasMessage("simulated");
            assertThat(reported).hasSize(1).first().isInstanceOf(OutOfMemoryError.class);
            assertThat(custom.isRunning()).isFalse();
            assertThat(custom.isClosed()).isFalse();
            custom.addCallback(custom::stop);
            custom.start(); // restartable: the rest of the callbacks run
            assertThat(later).hasValue(1);
        } finally {
            custom.close();
        }
    }

    @Test
    void handleCallbackExceptionSeesTheCallbackThatThrew() {
        List<Object> culprits = new CopyOnWriteArrayList<>();
        IOLoop custom = new IOLoop(false) {
            @Override
            protected void handleCallbackException(Object callback, Throwable error) {
                culprits.add(callback);
            }
        };
        try {
            Runnable throwing = () -> {
                throw new IllegalStateException("x");
            };
            custom.runSync(() -> {
                custom.addCallback(throwing);
                custom.callLater(0.0, throwing);
                CompletableFuture<Void> done = new CompletableFuture<>();
                custom.callLater(0.001, () -> done.complete(null));
                return done;
            });
            assertThat(culprits).containsExactly(throwing, throwing);
            assertThat(custom.stats().callbackErrors()).isEqualTo(2);
        } finally {
            custom.close();
        }
    }

    @Test
    void anExceptionFromHandleCallbackExceptionItselfIsLoggedAndTheLoopContinues() {
        IOLoop custom = new IOLoop(false) {
            @Override
            protected void handleCallbackException(Object callback, Throwable error) {
                throw new IllegalStateException("handler of handlers failed");
            }
        };
        try (LogCapture logs = LogCapture.start()) {
            custom.addCallback(() -> {
                throw new IllegalArgumentException("first");
            });
            assertThat(custom.runSync(() -> CompletableFuture.completedFuture("after"))).isEqualTo("after");
            assertThat(logs.count(Level.ERROR, "handleCallbackException of IOLoop")).isEqualTo(1);
        } finally {
            custom.close();
        }
    }

    @Test
    void stopFromAnotherThreadEndsStart(RunningLoop running) throws Exception {
        running.drain();
        running.loop().stop();
        running.thread().join(Await.timeout().toMillis());
        assertThat(running.thread().isAlive()).isFalse();
        assertThat(running.loop().isRunning()).isFalse();
        assertThat(running.loop().thread()).isNull();
    }

    @Test
    void threadAndInLoopThreadDescribeTheRunningThread(RunningLoop running) throws Exception {
        assertThat(running.loop().thread()).isSameAs(running.thread());
        assertThat(running.loop().inLoopThread()).isFalse();
        assertThat(running.call(() -> running.loop().inLoopThread())).isTrue();
    }

    @Test
    void closeFdClosesQuietlyAndRejectsWhatCannotBeClosed() {
        AtomicInteger closed = new AtomicInteger();
        IOLoop.closeFd((AutoCloseable) closed::incrementAndGet);
        assertThat(closed).hasValue(1);
        try (LogCapture logs = LogCapture.start()) {
            IOLoop.closeFd((AutoCloseable) () -> {
                throw new java.io.IOException("close failed");
            });
            assertThat(logs.count(Level.WARN, "Error closing")).isEqualTo(1);
        }
        assertThatIllegalArgumentException().isThrownBy(() -> IOLoop.closeFd("not a channel"))
                .withMessage("'fd' must be AutoCloseable (was java.lang.String)");
    }

    @Test
    void namesAreGivenOrGenerated() {
        assertThat(loop.name()).isEqualTo("life");
        try (IOLoop unnamed = new IOLoop(false)) {
            assertThat(unnamed.name()).startsWith("loop-");
            assertThat(unnamed.toString()).contains(unnamed.name()).contains("idle");
        }
        assertThatIllegalArgumentException().isThrownBy(() -> IOLoop.builder().name(" "))
                .withMessage("'name' must not be blank");
    }

    @Test
    void anInterruptOfTheLoopThreadIsClearedBeforeItWaitsSoTheLoopDoesNotSpin(RunningLoop running) throws Exception {
        IOLoop loop = running.loop();
        running.run(() -> Thread.currentThread().interrupt());
        // The loop clears an interrupt before it blocks (as Netty does around select): once it is
        // seen waiting, the flag is gone, and the next callback runs without it.
        LoopWaits.awaitWaiting(loop);
        assertThat(running.call(() -> Thread.currentThread().isInterrupted())).isFalse();
        running.run(() -> Thread.currentThread().interrupt());
        LoopWaits.awaitWaiting(loop);
        long before = loop.stats().iterations();
        new java.util.concurrent.CountDownLatch(1).await(100, java.util.concurrent.TimeUnit.MILLISECONDS);
        // idle: blocked in its wait, not spinning through iterations
        assertThat(loop.stats().iterations() - before).isLessThan(10);
        assertThat(running.call(() -> Thread.currentThread().isInterrupted())).isFalse();
    }
}
