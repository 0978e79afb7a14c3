package dev.ioloop.netty;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import org.slf4j.event.Level;
import dev.ioloop.IOLoop;
import dev.ioloop.IOLoopThread;
import dev.ioloop.test.FakeClock;
import dev.ioloop.test.LogCapture;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoop;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.concurrent.ScheduledFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.awaitility.Awaitility.await;

/** {@code NettyBackend.factory()}: the Netty event loop an IOLoop drives on the thread that runs {@code start()}. */
class OwnedEventLoopTests {

    private static final long WAIT_SECONDS = 30;

    private final IOLoop loop = IOLoop.builder().name("owned").backend(NettyBackend.factory()).makeCurrent(false).build();

    @AfterEach
    void closeLoop() {
        if (!loop.isRunning()) {
            loop.close(true);
        }
    }

    @Test
    void theEventLoopIsTheThreadRunningStartAndNoThreadWhileStopped() throws Exception {
        EventLoop eventLoop = NettyBackend.eventLoop(loop);
        assertThat(eventLoop.inEventLoop()).isFalse();
        try (IOLoopThread running = IOLoopThread.start(loop)) {
            CompletableFuture<Boolean> inCallback = new CompletableFuture<>();
            loop.addCallback(() -> inCallback.complete(eventLoop.inEventLoop()));
            assertThat(inCallback.get(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
            CompletableFuture<Thread> nettyTask = new CompletableFuture<>();
            eventLoop.execute(() -> nettyTask.complete(Thread.currentThread()));
            assertThat(nettyTask.get(WAIT_SECONDS, TimeUnit.SECONDS)).isSameAs(running.thread());
            assertThat(eventLoop.inEventLoop()).isFalse();
            assertThat(eventLoop.inEventLoop(running.thread())).isTrue();
        }
        assertThat(eventLoop.inEventLoop()).isFalse();
        assertThat(loop.stats().backend()).isEqualTo("netty-nio");
    }

    @Test
    void nettyWorkQueuedWhileStoppedWaitsForTheNextStartOnAnyThread() throws Exception {
        EventLoop eventLoop = NettyBackend.eventLoop(loop);
        CompletableFuture<Thread> first = new CompletableFuture<>();
        eventLoop.execute(() -> first.complete(Thread.currentThread()));
        ScheduledFuture<Thread> scheduled = eventLoop.schedule(Thread::currentThread, 0, TimeUnit.SECONDS);
        assertThat(first).isNotDone();
        assertThat(scheduled.isDone()).isFalse();
        IOLoopThread firstRun = IOLoopThread.start(loop, "first-start", true);
        assertThat(first.get(WAIT_SECONDS, TimeUnit.SECONDS)).isSameAs(firstRun.thread());
        assertThat(scheduled.get(WAIT_SECONDS, TimeUnit.SECONDS)).isSameAs(firstRun.thread());
        firstRun.stop();

        CompletableFuture<Thread> second = new CompletableFuture<>();
        eventLoop.execute(() -> second.complete(Thread.currentThread()));
        assertThat(second).isNotDone();
        try (IOLoopThread secondRun = IOLoopThread.start(loop, "second-start", true)) {
            assertThat(second.get(WAIT_SECONDS, TimeUnit.SECONDS)).isSameAs(secondRun.thread());
            assertThat(eventLoop.inEventLoop(secondRun.thread())).isTrue();
            assertThat(eventLoop.inEventLoop(firstRun.thread())).isFalse();
        }
    }

    @Test
    void aNettyTaskFromAnotherThreadEndsARunOfTheLoopsOwnCallbacks() throws Exception {
        EventLoop eventLoop = NettyBackend.eventLoop(loop);
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong spins = new AtomicLong();
        CompletableFuture<Long> ended = new CompletableFuture<>();
        try (IOLoopThread running = IOLoopThread.start(loop, "spinning", true)) {
            Runnable[] spin = new Runnable[1];
            spin[0] = () -> { // re-adds itself on the loop thread: the loop runs these back to back
                if (stop.get()) {
                    ended.complete(spins.get());
                } else {
                    spins.incrementAndGet();
                    loop.addCallback(spin[0]);
                }
            };
            loop.addCallback(spin[0]);
            await().atMost(Duration.ofSeconds(WAIT_SECONDS)).until(() -> spins.get() > 10_000);
            eventLoop.execute(() -> stop.set(true)); // reaches the loop only if the run checks Netty's queue
            assertThat(ended.get(WAIT_SECONDS, TimeUnit.SECONDS)).isGreaterThan(10_000);
        }
    }

    @Test
    void aNettyServerOnTheEventLoopKeepsServingAcrossStopAndStartOnAnotherThread() throws Exception {
        List<String> servedOn = new CopyOnWriteArrayList<>();
        ChannelFuture binding = new ServerBootstrap().group(NettyBackend.eventLoop(loop))
                .channel(NioServerSocketChannel.class)
                .childHandler(new Echo.Handler(servedOn))
                .bind(new InetSocketAddress("127.0.0.1", 0));
        IOLoopThread firstRun = IOLoopThread.start(loop, "serve-first", true);
        int port = ((InetSocketAddress) bound(binding).channel().localAddress()).getPort();
        assertThat(Echo.roundTrip(port, "one")).isEqualTo("one");
        firstRun.stop();
        try (IOLoopThread secondRun = IOLoopThread.start(loop, "serve-second", true)) {
            assertThat(Echo.roundTrip(port, "two")).isEqualTo("two");
        }
        assertThat(servedOn).containsExactly("serve-first", "serve-second");
    }

    @Test
    void closingTheLoopShutsNettyDownClosesItsChannelsAndRefusesNewWork() throws Exception {
        EventLoop eventLoop = NettyBackend.eventLoop(loop);
        Channel server;
        try (IOLoopThread running = IOLoopThread.start(loop, "closing", true)) {
            server = bound(new ServerBootstrap().group(eventLoop).channel(NioServerSocketChannel.class)
                    .childHandler(new ChannelInboundHandlerAdapter()).bind(new InetSocketAddress("127.0.0.1", 0)))
                    .channel();
            assertThat(server.isOpen()).isTrue();
        } // stops and closes the loop
        assertThat(loop.isClosed()).isTrue();
        assertThat(server.isOpen()).isFalse();
        assertThat(eventLoop.isTerminated()).isTrue();
        assertThat(eventLoop.terminationFuture().isSuccess()).isTrue();
        assertThatExceptionOfType(RejectedExecutionException.class).isThrownBy(() -> eventLoop.execute(() -> { }))
                .withMessageContaining("IOLoop 'owned'").withMessageContaining("closed");
    }

    @Test
    void theEventLoopCannotBeShutDownDirectly() {
        EventLoop eventLoop = NettyBackend.eventLoop(loop);
        assertThatExceptionOfType(UnsupportedOperationException.class).isThrownBy(eventLoop::shutdownGracefully)
                .withMessageContaining("IOLoop 'owned'").withMessageContaining("IOLoop.close()");
        assertThat(eventLoop.isShuttingDown()).isFalse();
    }

    @Test
    void nettyScheduledTasksFollowTheLoopsClock() throws Exception {
        FakeClock clock = new FakeClock();
        IOLoop fakeTime = IOLoop.builder().name("fake-time").clock(clock).backend(NettyBackend.factory())
                .makeCurrent(false).build();
        EventLoop eventLoop = NettyBackend.eventLoop(fakeTime);
        try (IOLoopThread running = IOLoopThread.start(fakeTime, "fake-time", true)) {
            ScheduledFuture<String> inAnHour = eventLoop.schedule(() -> "ran", 1, TimeUnit.HOURS);
            drain(fakeTime);
            assertThat(inAnHour.isDone()).isFalse();
            clock.advance(Duration.ofMinutes(59));
            drain(fakeTime);
            assertThat(inAnHour.isDone()).isFalse();
            clock.advance(Duration.ofMinutes(1));
            fakeTime.addCallback(() -> { }); // wake the loop: its wait does not watch the fake clock
            assertThat(inAnHour.get(WAIT_SECONDS, TimeUnit.SECONDS)).isEqualTo("ran");
        }
    }

    @Test
    void aFailingNettyTaskIsLoggedAtErrorAndTheLoopGoesOn() throws Exception {
        EventLoop eventLoop = NettyBackend.eventLoop(loop);
        try (IOLoopThread running = IOLoopThread.start(loop, "failing-task", true);
             LogCapture logs = LogCapture.start()) {
            eventLoop.execute(() -> {
                throw new IllegalStateException("task bug");
            });
            CompletableFuture<String> after = new CompletableFuture<>();
            eventLoop.execute(() -> after.complete("next task ran"));
            assertThat(after.get(WAIT_SECONDS, TimeUnit.SECONDS)).isEqualTo("next task ran");
            assertThat(logs.count(Level.ERROR, "Exception in Netty task")).isEqualTo(1);
            assertThat(logs.records().get(0).message()).contains("IOLoop 'owned'");
        }
    }

    @Test
    void eventLoopOfALoopNotOnNettyNamesItsBackend() {
        try (IOLoop selectorLoop = IOLoop.builder().name("plain").makeCurrent(false).build()) {
            assertThatIllegalArgumentException().isThrownBy(() -> NettyBackend.eventLoop(selectorLoop))
                    .withMessageContaining("IOLoop 'plain'").withMessageContaining("selector")
                    .withMessageContaining("NettyBackend.factory()");
        }
    }

    @Test
    void configureMakesEveryNewLoopRunOnNettyUntilReset() {
        IOLoop.configure(NettyBackend.factory());
        try (IOLoop configured = new IOLoop(false)) {
            assertThat(configured.stats().backend()).isEqualTo("netty-nio");
            assertThat(NettyBackend.eventLoop(configured)).isNotNull();
        } finally {
            IOLoop.configure(null);
        }
        try (IOLoop plain = new IOLoop(false)) {
            assertThat(plain.stats().backend()).isEqualTo("selector");
        }
    }

    /** Waits until the loop ran two iterations after this call (its Netty tasks run between them). */
    private static void drain(IOLoop loop) throws Exception {
        CompletableFuture<Void> ran = new CompletableFuture<>();
        loop.addCallback(() -> loop.addCallback(() -> ran.complete(null)));
        ran.get(WAIT_SECONDS, TimeUnit.SECONDS);
    }

    private static ChannelFuture bound(ChannelFuture future) throws InterruptedException {
        assertThat(future.await(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
        assertThat(future.isSuccess()).as("bind: %s", future.cause()).isTrue();
        return future;
    }
}
