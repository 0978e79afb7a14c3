package dev.ioloop.benchmarks.loop;

import io.netty.channel.EventLoop;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/** Netty 4.2's NIO event loop, one thread, as a Java engineer would set it up. */
final class NettyLoopUnderTest implements LoopUnderTest {

    private final MultiThreadIoEventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final EventLoop loop = group.next();

    NettyLoopUnderTest() {
        // Netty starts its thread on the first task: start it now so no benchmark pays for it.
        loop.submit(() -> { }).syncUninterruptibly();
    }

    @Override
    public void execute(Runnable task) {
        loop.execute(task);
    }

    @Override
    public Runnable chainLink(Chain chain) {
        EventLoop eventLoop = loop;
        return new Runnable() {
            @Override
            public void run() {
                if (chain.linkRan()) {
                    eventLoop.execute(this);
                }
            }
        };
    }

    @Override
    public Object schedule(Runnable task, long delayNanos) {
        return loop.schedule(task, delayNanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public void cancel(Object handle) {
        ((Future<?>) handle).cancel(false);
    }

    @Override
    public void close() {
        group.shutdownGracefully(0, 0, TimeUnit.SECONDS).awaitUninterruptibly(10, TimeUnit.SECONDS);
    }
}
