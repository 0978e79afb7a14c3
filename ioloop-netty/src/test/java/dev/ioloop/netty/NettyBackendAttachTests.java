package dev.ioloop.netty;

import java.nio.ByteBuffer;
import java.nio.channels.Pipe;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import dev.ioloop.IOLoop;
import dev.ioloop.test.IOLoopTest;
import io.netty.channel.DefaultEventLoop;
import io.netty.channel.EventLoop;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;
import static org.awaitility.Awaitility.await;

/** {@code NettyBackend.attach(eventLoop)} on a running NIO event loop (Tornado's {@code AsyncIOMainLoop}). */
@IOLoopTest(makeCurrent = false)
class NettyBackendAttachTests {

    private static final long WAIT_SECONDS = 30;

    private final MultiThreadIoEventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final EventLoop host = group.next();

    @AfterEach
    void shutDownHost() {
        group.shutdownGracefully(0, 0, TimeUnit.SECONDS).awaitUninterruptibly(WAIT_SECONDS, TimeUnit.SECONDS);
    }

    @Test
    void callbacksTimeoutsAndFuturesRunOnTheHostThreadWithTheLoopCurrent() throws Exception {
        Thread hostThread = host.submit(Thread::currentThread).get(WAIT_SECONDS, TimeUnit.SECONDS);
        IOLoop loop = NettyBackend.attach(host);
        assertThat(loop.isRunning()).isTrue();
        assertThat(NettyBackend.eventLoop(loop)).isSameAs(host);

        CompletableFuture<Object[]> callback = new CompletableFuture<>();
        loop.addCallback(() -> callback.complete(new Object[] {Thread.currentThread(), IOLoop.current(), loop.inLoopThread()}));
        assertThat(callback.get(WAIT_SECONDS, TimeUnit.SECONDS)).containsExactly(hostThread, loop, true);
        assertThat(loop.thread()).isSameAs(hostThread);

        CompletableFuture<Thread> timeout = new CompletableFuture<>();
        loop.callLater(Duration.ofMillis(20), () -> timeout.complete(Thread.currentThread()));
        assertThat(timeout.get(WAIT_SECONDS, TimeUnit.SECONDS)).isSameAs(hostThread);

        CompletableFuture<String> stage = new CompletableFuture<>();
        CompletableFuture<String> done = new CompletableFuture<>();
        loop.addFuture(stage, completed -> done.complete(completed.join() + " on " + Thread.currentThread().getName()));
        stage.complete("value");
        assertThat(done.get(WAIT_SECONDS, TimeUnit.SECONDS)).isEqualTo("value on " + hostThread.getName());
        assertThat(loop.stats().backend()).isEqualTo("netty-attached");
        loop.close();
    }

    @Test
    void aHostTaskThatBlocksTheHostIsReportedByTheWatchdogWithItsStack() throws Exception {
        BlockedHost.assertABlockingHostTaskIsReported(host);
    }

    @Test
    void startAndRunSyncSayTheLoopIsDrivenByItsEventLoopAndStopDoesNothing() throws Exception {
        IOLoop loop = NettyBackend.attach(host);
        assertThatIllegalStateException().isThrownBy(loop::start)
                .withMessageContaining("netty-attached").withMessageContaining("start()");
        assertThatIllegalStateException().isThrownBy(() -> loop.runSync(() -> null))
                .withMessageContaining("netty-attached").withMessageContaining("runSync()");
        loop.stop();
        assertThat(loop.isRunning()).isTrue();
        CompletableFuture<String> afterStop = new CompletableFuture<>();
        loop.addCallback(() -> afterStop.complete("still running"));
        assertThat(afterStop.get(WAIT_SECONDS, TimeUnit.SECONDS)).isEqualTo("still running");
        loop.close();
    }

    @Test
    void attachingTwiceReturnsTheSameOpenLoopAndANewOneOnceItIsClosed() {
        IOLoop first = NettyBackend.attach(host);
        assertThat(NettyBackend.attach(host)).isSameAs(first);
        first.close();
        IOLoop second = NettyBackend.attach(host);
        assertThat(second).isNotSameAs(first);
        assertThat(second.isRunning()).isTrue();
        second.close();
    }

    @Test
    void aNamedAttachNamesANewLoopAndLeavesAnAttachedOneItsName() {
        IOLoop named = NettyBackend.attach(host, "reactor-http-epoll-1");
        assertThat(named.name()).isEqualTo("reactor-http-epoll-1");
        assertThat(named.toString()).contains("reactor-http-epoll-1");
        assertThat(NettyBackend.attach(host, "other")).isSameAs(named);
        assertThat(named.name()).isEqualTo("reactor-http-epoll-1");
        named.close();
        IOLoop unnamed = NettyBackend.attach(host);
        assertThat(unnamed.name()).isNotEqualTo("reactor-http-epoll-1");
        assertThat(NettyBackend.attach(host, "later")).isSameAs(unnamed);
        unnamed.close();
        assertThatIllegalArgumentException().isThrownBy(() -> NettyBackend.attach(host, " "))
                .withMessage("'name' must not be blank");
        assertThatNullPointerException().isThrownBy(() -> NettyBackend.attach(host, null));
    }

    @Test
    void closeFromAnotherThreadDropsQueuedWorkAndLeavesTheHostRunning() throws Exception {
        IOLoop loop = NettyBackend.attach(host);
        CountDownLatch hostBusy = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        host.execute(() -> {
            hostBusy.countDown();
            awaitLatch(release);
        });
        assertThat(hostBusy.await(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
        AtomicInteger ran = new AtomicInteger();
        loop.addCallback(ran::incrementAndGet);
        loop.callLater(Duration.ZERO, ran::incrementAndGet);
        loop.close(); // from the test thread, while the host is busy: released by the host's next task
        assertThat(loop.isClosed()).isTrue();
        release.countDown();
        for (int i = 0; i < 3; i++) { // the host runs what was queued before these
            assertThat(host.submit(() -> "host alive").get(WAIT_SECONDS, TimeUnit.SECONDS)).isEqualTo("host alive");
        }
        assertThat(ran).hasValue(0);
        assertThat(loop.stats().pendingCallbacks()).isZero();
        assertThat(loop.stats().pendingTimeouts()).isZero();
        assertThat(host.isShuttingDown()).isFalse();
    }

    @Test
    void handlersOnJavaNioChannelsRunOnANioHostAndAreRemovedByClose() throws Exception {
        IOLoop loop = NettyBackend.attach(host);
        Thread hostThread = host.submit(Thread::currentThread).get(WAIT_SECONDS, TimeUnit.SECONDS);
        Pipe pipe = Pipe.open();
        pipe.source().configureBlocking(false);
        CompletableFuture<Thread> readable = new CompletableFuture<>();
        loop.addHandler(pipe.source(), (channel, events) -> {
            ((Pipe.SourceChannel) channel).read(ByteBuffer.allocate(8));
            readable.complete(Thread.currentThread());
        }, IOLoop.READ);
        pipe.sink().write(ByteBuffer.wrap(new byte[] {1}));
        assertThat(readable.get(WAIT_SECONDS, TimeUnit.SECONDS)).isSameAs(hostThread);
        assertThat(loop.stats().handlers()).isEqualTo(1);
        loop.close();
        await().atMost(Duration.ofSeconds(WAIT_SECONDS)).until(() -> loop.stats().handlers() == 0);
        assertThat(pipe.source().isOpen()).isTrue(); // close() without allFds leaves the channel to its owner
        pipe.source().close();
        pipe.sink().close();
    }

    @RepeatedTest(5) // the host's select and the close race differently each time
    void aChannelClosedUnderAnAttachedLoopIsReportedAsErrorOnce() throws Exception {
        IOLoop loop = NettyBackend.attach(host);
        Pipe pipe = Pipe.open();
        pipe.source().configureBlocking(false);
        CompletableFuture<Integer> error = new CompletableFuture<>();
        AtomicInteger calls = new AtomicInteger();
        loop.addHandler(pipe.source(), (channel, events) -> {
            calls.incrementAndGet();
            error.complete(events);
        }, IOLoop.READ);
        host.submit(() -> { }).get(WAIT_SECONDS, TimeUnit.SECONDS); // registered on the host
        pipe.source().close();
        loop.addCallback(() -> { }); // an iteration after the host's next select
        host.submit(() -> { }).get(WAIT_SECONDS, TimeUnit.SECONDS);
        loop.addCallback(() -> { });
        assertThat(error.get(WAIT_SECONDS, TimeUnit.SECONDS)).isEqualTo(IOLoop.ERROR);
        assertThat(calls).hasValue(1);
        pipe.sink().close();
        loop.close();
    }

    @Test
    void theHostShuttingDownClosesTheLoop() {
        IOLoop loop = NettyBackend.attach(host);
        group.shutdownGracefully(0, 0, TimeUnit.SECONDS).awaitUninterruptibly(WAIT_SECONDS, TimeUnit.SECONDS);
        await().atMost(Duration.ofSeconds(WAIT_SECONDS)).until(loop::isClosed);
        assertThat(loop.isRunning()).isFalse();
        assertThat(AttachedLoops.INSTANCE.contains(host)).isFalse();
    }

    @Test
    void badCallsGetErrorsThatNameTheProblem() {
        assertThatNullPointerException().isThrownBy(() -> NettyBackend.attach(null)).withMessage("running");
        try (IOLoop owning = IOLoop.builder().backend(NettyBackend.factory()).makeCurrent(false).build()) {
            assertThatIllegalArgumentException().isThrownBy(() -> NettyBackend.attach(NettyBackend.eventLoop(owning)))
                    .withMessageContaining("NettyBackend.factory()").withMessageContaining("use that IOLoop");
        }
        MultiThreadIoEventLoopGroup stopped = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        EventLoop stoppedLoop = stopped.next();
        stopped.shutdownGracefully(0, 0, TimeUnit.SECONDS).awaitUninterruptibly(WAIT_SECONDS, TimeUnit.SECONDS);
        assertThatIllegalArgumentException().isThrownBy(() -> NettyBackend.attach(stoppedLoop))
                .withMessageContaining("shutting down");
        assertThatNullPointerException().isThrownBy(() -> NettyBackend.eventLoop(null)).withMessage("loop");
    }

    @Test
    void anEventLoopWithoutIoRunsCallbacksAndRefusesHandlersNamingWhy() throws Exception {
        DefaultEventLoop plain = new DefaultEventLoop();
        try {
            IOLoop loop = NettyBackend.attach(plain);
            CompletableFuture<Boolean> ran = new CompletableFuture<>();
            loop.addCallback(() -> ran.complete(plain.inEventLoop()));
            assertThat(ran.get(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
            Pipe pipe = Pipe.open();
            pipe.source().configureBlocking(false);
            assertThatExceptionOfType(UnsupportedOperationException.class)
                    .isThrownBy(() -> loop.addHandler(pipe.source(), (c, e) -> { }, IOLoop.READ))
                    .withMessageContaining("non-I/O").withMessageContaining("java.nio channels");
            assertThat(loop.stats().handlers()).isZero();
            pipe.source().close();
            pipe.sink().close();
            loop.close();
        } finally {
            plain.shutdownGracefully(0, 0, TimeUnit.SECONDS).awaitUninterruptibly(WAIT_SECONDS, TimeUnit.SECONDS);
        }
    }

    private static void awaitLatch(CountDownLatch latch) {
        try {
            latch.await(WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
