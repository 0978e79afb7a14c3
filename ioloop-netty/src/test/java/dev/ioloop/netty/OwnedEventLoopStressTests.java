package dev.ioloop.netty;

import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import dev.ioloop.IOLoop;
import dev.ioloop.IOLoopThread;
import dev.ioloop.test.IOLoopTest;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoop;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Many threads, many iterations, nothing lost: callbacks and Netty tasks on a Netty-backed loop, and restarts. */
@IOLoopTest(makeCurrent = false)
class OwnedEventLoopStressTests {

    private static final long WAIT_SECONDS = 120;

    @Test
    void eightThreadsAddAMillionCallbacksEachAndEveryOneRunsInItsThreadsOrder() throws Exception {
        int threads = 8;
        int perThread = 1_000_000;
        IOLoop loop = IOLoop.builder().name("stress").backend(NettyBackend.factory()).makeCurrent(false).build();
        int[] next = new int[threads]; // loop thread only
        AtomicInteger outOfOrder = new AtomicInteger();
        CountDownLatch allRan = new CountDownLatch(threads);
        try (IOLoopThread running = IOLoopThread.start(loop, "stress", true)) {
            CyclicBarrier go = new CyclicBarrier(threads);
            List<Thread> producers = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int producer = t;
                Thread thread = new Thread(() -> {
                    awaitBarrier(go);
                    for (int i = 0; i < perThread; i++) {
                        int sequence = i;
                        loop.addCallback(() -> {
                            if (next[producer] != sequence) {
                                outOfOrder.incrementAndGet();
                            }
                            if (++next[producer] == perThread) {
                                allRan.countDown();
                            }
                        });
                    }
                }, "producer-" + t);
                producers.add(thread);
                thread.start();
            }
            for (Thread thread : producers) {
                thread.join(TimeUnit.SECONDS.toMillis(WAIT_SECONDS));
            }
            assertThat(allRan.await(WAIT_SECONDS, TimeUnit.SECONDS)).as("every callback ran").isTrue();
            int[] counted = loopCall(loop, next::clone);
            assertThat(counted).containsOnly(perThread);
            assertThat(outOfOrder).hasValue(0);
        }
    }

    @Test
    void fourThreadsQueueNettyTasksAndEveryOneRunsInItsThreadsOrder() throws Exception {
        int threads = 4;
        int perThread = 250_000;
        IOLoop loop = IOLoop.builder().name("netty-tasks").backend(NettyBackend.factory()).makeCurrent(false).build();
        EventLoop eventLoop = NettyBackend.eventLoop(loop);
        int[] next = new int[threads];
        AtomicInteger outOfOrder = new AtomicInteger();
        CountDownLatch allRan = new CountDownLatch(threads);
        try (IOLoopThread running = IOLoopThread.start(loop, "netty-tasks", true)) {
            ExecutorService producers = Executors.newFixedThreadPool(threads);
            try {
                for (int t = 0; t < threads; t++) {
                    int producer = t;
                    producers.execute(() -> {
                        for (int i = 0; i < perThread; i++) {
                            int sequence = i;
                            eventLoop.execute(() -> {
                                if (next[producer] != sequence) {
                                    outOfOrder.incrementAndGet();
                                }
                                if (++next[producer] == perThread) {
                                    allRan.countDown();
                                }
                            });
                        }
                    });
                }
                assertThat(allRan.await(WAIT_SECONDS, TimeUnit.SECONDS)).as("every task ran").isTrue();
            } finally {
                producers.shutdownNow();
            }
            assertThat(outOfOrder).hasValue(0);
        }
    }

    @Test
    void tenThousandStopStartCyclesOnAlternatingThreadsLoseNothing() throws Exception {
        int cycles = 10_000;
        IOLoop loop = IOLoop.builder().name("restarts").backend(NettyBackend.factory()).makeCurrent(false).build();
        EventLoop eventLoop = NettyBackend.eventLoop(loop);
        ChannelFuture server = new ServerBootstrap().group(eventLoop).channel(NioServerSocketChannel.class)
                .childHandler(new Greeter()).bind(new InetSocketAddress("127.0.0.1", 0));
        ExecutorService[] runners = {
            Executors.newSingleThreadExecutor(task -> new Thread(task, "runner-a")),
            Executors.newSingleThreadExecutor(task -> new Thread(task, "runner-b")),
        };
        AtomicInteger callbacksOnTheirRunner = new AtomicInteger();
        AtomicInteger nettyTasksOnTheirRunner = new AtomicInteger();
        try {
            for (int cycle = 0; cycle < cycles; cycle++) {
                String runner = cycle % 2 == 0 ? "runner-a" : "runner-b";
                // queued while the loop is stopped: both run in this cycle, on this cycle's thread
                eventLoop.execute(() -> {
                    if (Thread.currentThread().getName().equals(runner) && eventLoop.inEventLoop()) {
                        nettyTasksOnTheirRunner.incrementAndGet();
                    }
                });
                loop.addCallback(() -> {
                    if (Thread.currentThread().getName().equals(runner)) {
                        callbacksOnTheirRunner.incrementAndGet();
                    }
                    eventLoop.execute(loop::stop); // stop after the Netty task above ran
                });
                Future<?> run = runners[cycle % 2].submit(loop::start);
                run.get(WAIT_SECONDS, TimeUnit.SECONDS);
            }
            assertThat(callbacksOnTheirRunner).hasValue(cycles);
            assertThat(nettyTasksOnTheirRunner).hasValue(cycles);
            Future<?> serving = runners[0].submit(loop::start);
            assertThat(server.await(WAIT_SECONDS, TimeUnit.SECONDS) && server.isSuccess()).isTrue();
            int port = ((InetSocketAddress) server.channel().localAddress()).getPort();
            try (Socket socket = new Socket("127.0.0.1", port)) {
                socket.setSoTimeout((int) TimeUnit.SECONDS.toMillis(WAIT_SECONDS));
                InputStream in = socket.getInputStream();
                assertThat(new String(in.readNBytes(5), StandardCharsets.US_ASCII)).isEqualTo("hello");
            }
            loop.stop();
            serving.get(WAIT_SECONDS, TimeUnit.SECONDS);
        } finally {
            for (ExecutorService runner : runners) {
                runner.shutdownNow();
            }
            if (!loop.isRunning()) {
                loop.close();
            }
        }
    }

    private static <T> T loopCall(IOLoop loop, java.util.function.Supplier<T> supplier) throws Exception {
        CompletableFuture<T> result = new CompletableFuture<>();
        loop.addCallback(() -> result.complete(supplier.get()));
        return result.get(WAIT_SECONDS, TimeUnit.SECONDS);
    }

    private static void awaitBarrier(CyclicBarrier barrier) {
        try {
            barrier.await(WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Writes "hello" to each connection. */
    @ChannelHandler.Sharable
    private static final class Greeter extends ChannelInboundHandlerAdapter {
        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            ctx.writeAndFlush(Unpooled.copiedBuffer("hello", StandardCharsets.US_ASCII));
        }
    }
}
