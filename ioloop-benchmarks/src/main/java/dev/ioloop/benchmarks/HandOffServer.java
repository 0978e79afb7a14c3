package dev.ioloop.benchmarks;

import dev.ioloop.IOLoop;
import dev.ioloop.IOLoopThread;
import dev.ioloop.netty.NettyBackend;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.FixedLengthFrameDecoder;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * B7's server: a Netty channel that hands each 8-byte request to IOLoop code (a running total that
 * lives on the IOLoop, as a store or a session table would) and writes back the answer that code
 * computes. The application code is the same in both layouts; only where the IOLoop runs differs:
 * <ul>
 *   <li>{@link Layout#ONE_THREAD}: the IOLoop runs on {@code NettyBackend.factory()} and the Netty server
 *   on {@code NettyBackend.eventLoop(loop)}: hand-off and answer stay on one thread;</li>
 *   <li>{@link Layout#TWO_THREADS}: a Netty event loop of its own
 *   ({@code MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory())}) plus a separate IOLoop: each
 *   request crosses to the IOLoop's thread and each answer back to Netty's.</li>
 * </ul>
 * Listens on 127.0.0.1, an ephemeral port. Threading: built and closed on a non-loop thread.
 */
final class HandOffServer implements AutoCloseable {

    /** Where the IOLoop runs relative to the Netty channel. */
    enum Layout {
        /** ioloop-netty: one thread. */
        ONE_THREAD,
        /** A Netty event loop and a separate IOLoop. */
        TWO_THREADS;

        /** @return the JMH parameter value: {@code one-thread} or {@code two-threads} */
        String paramValue() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }

        static Layout parse(String value) {
            for (Layout layout : values()) {
                if (layout.paramValue().equals(value)) {
                    return layout;
                }
            }
            throw new IllegalArgumentException("'layout' must be one-thread or two-threads (was '" + value + "')");
        }
    }

    private final IOLoopThread loop;
    private final @Nullable EventLoopGroup nettyGroup;
    private final Channel server;
    private long total; // IOLoop thread only: the state the IOLoop code owns

    HandOffServer(Layout layout) throws InterruptedException {
        IOLoop ioLoop = layout == Layout.ONE_THREAD
                ? IOLoop.builder().name("handoff").backend(NettyBackend.factory()).makeCurrent(false).build()
                : IOLoop.builder().name("handoff").makeCurrent(false).build();
        loop = IOLoopThread.start(ioLoop, "handoff-ioloop", true);
        nettyGroup = layout == Layout.ONE_THREAD ? null : new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        EventLoopGroup group = nettyGroup != null ? nettyGroup : NettyBackend.eventLoop(ioLoop);
        server = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel channel) {
                        channel.pipeline().addLast(new FixedLengthFrameDecoder(8), new HandOff(ioLoop));
                    }
                })
                .bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)).sync().channel();
    }

    /** @return the bound address */
    InetSocketAddress address() {
        return (InetSocketAddress) server.localAddress();
    }

    @Override
    public void close() {
        server.close().awaitUninterruptibly(10, TimeUnit.SECONDS);
        if (nettyGroup != null) {
            nettyGroup.shutdownGracefully(0, 0, TimeUnit.SECONDS).awaitUninterruptibly(10, TimeUnit.SECONDS);
        }
        loop.close();
    }

    /** The Netty handler: each request goes to the IOLoop, its answer comes back to the channel. */
    private final class HandOff extends SimpleChannelInboundHandler<ByteBuf> {
        private final IOLoop ioLoop;

        HandOff(IOLoop ioLoop) {
            this.ioLoop = ioLoop;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, ByteBuf request) {
            long value = request.readLong();
            ioLoop.addCallback(() -> {
                total += value; // IOLoop code, on the IOLoop's thread
                ctx.writeAndFlush(ctx.alloc().buffer(8).writeLong(total)); // a thread hop back in TWO_THREADS
            });
        }
    }
}
