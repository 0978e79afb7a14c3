package dev.ioloop.netty;

import java.net.InetSocketAddress;
import java.nio.channels.Pipe;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import org.slf4j.event.Level;
import dev.ioloop.IOLoop;
import dev.ioloop.IOLoopThread;
import dev.ioloop.test.LogCapture;
import dev.ioloop.test.IOLoopTest;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.ChannelFuture;
import io.netty.channel.EventLoop;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.uring.IoUring;
import io.netty.channel.uring.IoUringIoHandler;
import io.netty.channel.uring.IoUringServerSocketChannel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Both modes on Netty's native transports (epoll, io_uring): callbacks, timeouts and Netty channels work;
 * handlers on {@code java.nio} channels are refused with the reason. Each case skips, saying why, where
 * the transport's native library cannot load (not Linux x86_64, or a kernel without io_uring).
 */
@IOLoopTest(makeCurrent = false)
class NativeTransportTests {

    private static final long WAIT_SECONDS = 30;

    enum Transport {
        EPOLL("epoll", EpollServerSocketChannel.class, EpollIoHandler::newFactory) {
            @Override
            void assumeAvailable() {
                assumeTrue(Epoll.isAvailable(), () -> "epoll's native library cannot load here: " + Epoll.unavailabilityCause());
            }
        },
        IO_URING("io_uring", IoUringServerSocketChannel.class, IoUringIoHandler::newFactory) {
            @Override
            void assumeAvailable() {
                assumeTrue(IoUring.isAvailable(), () -> "io_uring cannot be used here: " + IoUring.unavailabilityCause());
            }
        };

        final String name;
        final Class<? extends ServerChannel> serverChannel;
        final Supplier<IoHandlerFactory> factory;

        Transport(String name, Class<? extends ServerChannel> serverChannel, Supplier<IoHandlerFactory> factory) {
            this.name = name;
            this.serverChannel = serverChannel;
            this.factory = factory;
        }

        abstract void assumeAvailable();
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void anOwnedLoopRunsCallbacksTimeoutsAndNettyChannelsOnItsThreadAcrossStopAndStart(Transport transport)
            throws Exception {
        transport.assumeAvailable();
        IOLoop loop = IOLoop.builder().name("native-" + transport.name).backend(NettyBackend.factory(transport.factory.get()))
                .makeCurrent(false).build();
        assertThat(loop.stats().backend()).isEqualTo("netty-" + transport.name);
        List<String> servedOn = new CopyOnWriteArrayList<>();
        ChannelFuture binding = new ServerBootstrap().group(NettyBackend.eventLoop(loop)).channel(transport.serverChannel)
                .childHandler(new Echo.Handler(servedOn)).bind(new InetSocketAddress("127.0.0.1", 0));
        // One thread starts, restarts and closes the loop: io_uring accepts nothing else (see below).
        ExecutorService runner = Executors.newSingleThreadExecutor(task -> new Thread(task, "native-runner"));
        try {
            Future<?> firstRun = startOn(runner, loop);
            assertThat(binding.await(WAIT_SECONDS, TimeUnit.SECONDS) && binding.isSuccess())
                    .as("bind %s", binding.cause()).isTrue();
            int port = ((InetSocketAddress) binding.channel().localAddress()).getPort();
            assertThat(Echo.roundTrip(port, "one")).isEqualTo("one");
            CompletableFuture<String> timeout = new CompletableFuture<>();
            loop.callLater(Duration.ofMillis(20), () -> timeout.complete(Thread.currentThread().getName()));
            assertThat(timeout.get(WAIT_SECONDS, TimeUnit.SECONDS)).isEqualTo("native-runner");
            loop.stop();
            firstRun.get(WAIT_SECONDS, TimeUnit.SECONDS);

            Future<?> secondRun = startOn(runner, loop);
            assertThat(Echo.roundTrip(port, "two")).isEqualTo("two");
            assertRefusesJavaNioHandlers(loop, transport.name);
            loop.stop();
            secondRun.get(WAIT_SECONDS, TimeUnit.SECONDS);
            runner.submit(() -> loop.close()).get(WAIT_SECONDS, TimeUnit.SECONDS);
        } finally {
            runner.shutdownNow();
        }
        assertThat(servedOn).containsExactly("native-runner", "native-runner");
        assertThat(binding.channel().isOpen()).isFalse(); // closed with the loop
    }

    @Test
    void anEpollLoopRestartsOnAnotherThread() throws Exception {
        Transport.EPOLL.assumeAvailable();
        IOLoop loop = IOLoop.builder().name("epoll-restart").backend(NettyBackend.factory(EpollIoHandler.newFactory()))
                .makeCurrent(false).build();
        List<String> servedOn = new CopyOnWriteArrayList<>();
        ChannelFuture binding = new ServerBootstrap().group(NettyBackend.eventLoop(loop)).channel(EpollServerSocketChannel.class)
                .childHandler(new Echo.Handler(servedOn)).bind(new InetSocketAddress("127.0.0.1", 0));
        IOLoopThread first = IOLoopThread.start(loop, "epoll-first", true);
        assertThat(binding.await(WAIT_SECONDS, TimeUnit.SECONDS) && binding.isSuccess())
                .as("bind %s", binding.cause()).isTrue();
        first.stop();
        int port = ((InetSocketAddress) binding.channel().localAddress()).getPort();
        try (IOLoopThread second = IOLoopThread.start(loop, "epoll-second", true)) {
            assertThat(Echo.roundTrip(port, "again")).isEqualTo("again");
        }
        assertThat(servedOn).containsExactly("epoll-second");
    }

    private static Future<?> startOn(ExecutorService runner, IOLoop loop) throws Exception {
        CountDownLatch running = new CountDownLatch(1);
        loop.addCallback(running::countDown);
        Future<?> run = runner.submit(loop::start);
        assertThat(running.await(WAIT_SECONDS, TimeUnit.SECONDS)).as("the loop started").isTrue();
        return run;
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void anAttachedLoopRunsCallbacksAndTimeoutsAndCloseLeavesTheHostServing(Transport transport) throws Exception {
        transport.assumeAvailable();
        MultiThreadIoEventLoopGroup group = new MultiThreadIoEventLoopGroup(1, transport.factory.get());
        try {
            EventLoop host = group.next();
            List<String> servedOn = new CopyOnWriteArrayList<>();
            ChannelFuture binding = new ServerBootstrap().group(host).channel(transport.serverChannel)
                    .childHandler(new Echo.Handler(servedOn)).bind(new InetSocketAddress("127.0.0.1", 0)).sync();
            int port = ((InetSocketAddress) binding.channel().localAddress()).getPort();
            Thread hostThread = host.submit(Thread::currentThread).get(WAIT_SECONDS, TimeUnit.SECONDS);

            IOLoop loop = NettyBackend.attach(host);
            CompletableFuture<Thread> callback = new CompletableFuture<>();
            loop.addCallback(() -> callback.complete(Thread.currentThread()));
            assertThat(callback.get(WAIT_SECONDS, TimeUnit.SECONDS)).isSameAs(hostThread);
            CompletableFuture<Thread> timeout = new CompletableFuture<>();
            loop.callLater(Duration.ofMillis(20), () -> timeout.complete(Thread.currentThread()));
            assertThat(timeout.get(WAIT_SECONDS, TimeUnit.SECONDS)).isSameAs(hostThread);
            assertRefusesJavaNioHandlers(loop, "native");

            loop.close();
            assertThat(Echo.roundTrip(port, "after close")).isEqualTo("after close");
            assertThat(servedOn).containsOnly(hostThread.getName());

            IOLoop again = NettyBackend.attach(host);
            group.shutdownGracefully(0, 0, TimeUnit.SECONDS).sync();
            await().atMost(Duration.ofSeconds(WAIT_SECONDS)).until(again::isClosed);
        } finally {
            group.shutdownGracefully(0, 0, TimeUnit.SECONDS).awaitUninterruptibly(WAIT_SECONDS, TimeUnit.SECONDS);
        }
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void aHostTaskThatBlocksANativeHostIsReportedByTheWatchdogWithItsStack(Transport transport) throws Exception {
        transport.assumeAvailable();
        MultiThreadIoEventLoopGroup group = new MultiThreadIoEventLoopGroup(1, transport.factory.get());
        try {
            BlockedHost.assertABlockingHostTaskIsReported(group.next());
        } finally {
            group.shutdownGracefully(0, 0, TimeUnit.SECONDS).awaitUninterruptibly(WAIT_SECONDS, TimeUnit.SECONDS);
        }
    }

    @Test
    void anIoUringLoopStaysOnItsFirstThreadAndTheErrorSaysSo() throws Exception {
        Transport.IO_URING.assumeAvailable();
        IOLoop loop = IOLoop.builder().name("single-issuer").backend(NettyBackend.factory(IoUringIoHandler.newFactory()))
                .makeCurrent(false).build();
        IOLoopThread ringOwner = IOLoopThread.start(loop, "ring-owner", true);
        CompletableFuture<Void> waitedOnTheRing = new CompletableFuture<>();
        loop.callLater(Duration.ofMillis(10), () -> waitedOnTheRing.complete(null));
        waitedOnTheRing.get(WAIT_SECONDS, TimeUnit.SECONDS);
        ringOwner.stop();
        CompletableFuture<Throwable> failure = new CompletableFuture<>();
        Thread other = new Thread(() -> {
            try {
                loop.start();
                failure.complete(null);
            } catch (Throwable t) {
                failure.complete(t);
            }
        }, "another-thread");
        // The stop is armed by the other thread's first iteration, far ahead, so that the loop waits on its ring
        // first: a stop armed here, 50 ms ahead, fell due before a slow thread's first wait under load, the
        // loop only polled (which leaves the ring alone while nothing is registered) and start() returned.
        // If the ring ever accepted the other thread, the loop would stop after 5 s and the assertion fails.
        loop.addCallback(() -> loop.callLater(Duration.ofSeconds(5), loop::stop));
        other.start();
        Throwable thrown = failure.get(WAIT_SECONDS, TimeUnit.SECONDS);
        assertThat(thrown).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("'another-thread'").hasMessageContaining("'ring-owner'")
                .hasMessageContaining("io_uring").hasMessageContaining("on one thread");
        assertThat(loop.isRunning()).isFalse();
        try (LogCapture logs = LogCapture.start()) {
            loop.close(); // on the test thread: the ring refuses that too, which is logged, and the loop is closed
            assertThat(loop.isClosed()).isTrue();
            assertThat(logs.count(Level.WARN, "failed to shut down on thread")).isEqualTo(1);
        }
    }

    private static void assertRefusesJavaNioHandlers(IOLoop loop, String transportName) throws Exception {
        Pipe pipe = Pipe.open();
        try {
            pipe.source().configureBlocking(false);
            assertThatExceptionOfType(UnsupportedOperationException.class)
                    .isThrownBy(() -> loop.addHandler(pipe.source(), (c, e) -> { }, IOLoop.READ))
                    .withMessageContaining(transportName).withMessageContaining("cannot watch java.nio channels")
                    .withMessageContaining("NettyBackend.factory()");
            assertThat(loop.stats().handlers()).isZero();
        } finally {
            pipe.source().close();
            pipe.sink().close();
        }
    }
}
