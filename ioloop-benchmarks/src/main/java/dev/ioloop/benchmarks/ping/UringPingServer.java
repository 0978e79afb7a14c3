package dev.ioloop.benchmarks.ping;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.uring.IoUring;
import io.netty.channel.uring.IoUringIoHandler;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.uring.IoUringServerSocketChannel;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;

/**
 * The PING server on Netty 4.2's io_uring transport, through its channels: one {@link IoUringIoHandler}
 * event loop thread, reads and writes submitted to the ring, replies flushed once per read burst
 * ({@code channelReadComplete}). It shows what the kernel side of a request costs when reads and writes
 * go through io_uring instead of {@code epoll_wait}, {@code read} and {@code write}. Linux 5.14+ only
 * ({@link IoUring#ensureAvailability}). Bounded like the others: one connection buffers at most
 * {@link PingSession#INPUT_CAPACITY} bytes of an unfinished command, and stops reading while its unwritten
 * replies are over the channel's high water mark (Netty's default, 64 KiB), so it holds at most that plus
 * one read burst's replies. {@link #start} and {@link #close} from any thread but the server's.
 */
final class UringPingServer implements PingServer {

    private final MultiThreadIoEventLoopGroup group;
    private final Channel listener;
    /** Every open connection, closed by {@link #close} before the loop stops (a closed channel leaves the group). */
    private final ChannelGroup connections;

    private UringPingServer(MultiThreadIoEventLoopGroup group, Channel listener, ChannelGroup connections) {
        this.group = group;
        this.listener = listener;
        this.connections = connections;
    }

    /** Binds {@code address} (port 0: any free one) and starts serving on a new event loop thread. */
    static UringPingServer start(InetSocketAddress address) throws InterruptedException {
        IoUring.ensureAvailability();
        MultiThreadIoEventLoopGroup group = new MultiThreadIoEventLoopGroup(1, IoUringIoHandler.newFactory());
        ChannelGroup connections = new DefaultChannelGroup(group.next());
        try {
            Channel listener = new ServerBootstrap()
                    .group(group)
                    .channel(IoUringServerSocketChannel.class)
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childHandler(new ChannelInitializer<Channel>() {
                        @Override
                        protected void initChannel(Channel channel) {
                            connections.add(channel);
                            channel.pipeline().addLast(new Connection());
                        }
                    })
                    .bind(address).sync().channel();
            return new UringPingServer(group, listener, connections);
        } catch (InterruptedException | RuntimeException e) {
            group.shutdownGracefully(0, 0, TimeUnit.SECONDS);
            throw e;
        }
    }

    @Override
    public InetSocketAddress address() {
        return (InetSocketAddress) listener.localAddress();
    }

    /** One connection: answers the complete commands of each read, keeps an unfinished one. Loop thread only. */
    private static final class Connection extends ChannelInboundHandlerAdapter {

        /** The start of an unfinished command, carried to the next read; null when none. */
        private ByteBuf pending;

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf in = (ByteBuf) msg;
            if (pending != null) {
                pending.writeBytes(in);
                in.release();
                in = pending;
                pending = null;
            }
            try {
                answer(ctx, in);
            } finally {
                if (in.isReadable() && ctx.channel().isActive()) {
                    pending = in.readableBytes() > PingSession.INPUT_CAPACITY ? null : keep(ctx, in);
                    if (pending == null) {
                        ctx.writeAndFlush(Unpooled.wrappedBuffer(PingProtocol.errorReply(
                                new PingProtocolException("unfinished command over "
                                        + PingSession.INPUT_CAPACITY + " bytes"))))
                                .addListener(ChannelFutureListener.CLOSE);
                    }
                }
                in.release();
            }
        }

        private static ByteBuf keep(ChannelHandlerContext ctx, ByteBuf in) {
            ByteBuf kept = ctx.alloc().buffer(PingSession.INPUT_CAPACITY);
            kept.writeBytes(in);
            return kept;
        }

        private static void answer(ChannelHandlerContext ctx, ByteBuf in) {
            while (in.isReadable()) {
                ByteBuf out = ctx.alloc().directBuffer(PingSession.OUTPUT_CAPACITY);
                ByteBuffer view = out.nioBuffer(0, out.capacity());
                ByteBuffer source = in.nioBuffer(in.readerIndex(), in.readableBytes());
                int answered;
                try {
                    answered = PingProtocol.answer(source, 0, source.limit(), view);
                } catch (PingProtocolException e) { // the replies before the bad command, then the error
                    out.writerIndex(view.position());
                    ctx.write(out);
                    ctx.writeAndFlush(Unpooled.wrappedBuffer(PingProtocol.errorReply(e)))
                            .addListener(ChannelFutureListener.CLOSE);
                    in.skipBytes(in.readableBytes());
                    return;
                }
                out.writerIndex(view.position());
                in.skipBytes(answered);
                if (out.isReadable()) {
                    ctx.write(out);
                } else {
                    out.release();
                }
                if (answered == 0) {
                    return; // an unfinished command waits for more input
                }
            }
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            ctx.flush();
            if (!ctx.channel().isWritable()) {
                // back-pressure: replies over the channel's high water mark (64 KiB) stop the reads until they drain
                ctx.channel().config().setAutoRead(false);
            }
        }

        @Override
        public void channelWritabilityChanged(ChannelHandlerContext ctx) {
            if (ctx.channel().isWritable()) {
                ctx.channel().config().setAutoRead(true);
            }
            ctx.fireChannelWritabilityChanged();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close(); // a reset peer: that connection only
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            if (pending != null) {
                pending.release();
                pending = null;
            }
        }
    }

    @Override
    public void close() throws InterruptedException {
        // the connections are closed here, each with its FIN sent, rather than left to the loop's shutdown:
        // io_uring's event loop may stop before a close it was asked for at shutdown has run
        listener.close().sync();
        connections.close().sync();
        group.shutdownGracefully(0, 5, TimeUnit.SECONDS).sync();
    }
}
