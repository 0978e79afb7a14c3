package dev.ioloop.netty;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import dev.ioloop.IOLoop;
import dev.ioloop.IOLoopThread;
import dev.ioloop.iostream.IOStream;
import dev.ioloop.tcp.TCPClient;
import dev.ioloop.tcp.TCPServer;
import dev.ioloop.tcp.TCPServerOptions;
import dev.ioloop.test.IOLoopTest;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoop;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.LineBasedFrameDecoder;
import io.netty.handler.codec.string.StringDecoder;
import io.netty.handler.codec.string.StringEncoder;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Netty channels and the IOLoop's own streams on one event loop exchange data in both directions: a
 * Netty client talks to an IOLoop {@link TCPServer}, an IOLoop {@link TCPClient} talks to a Netty
 * {@link ServerBootstrap} server. Every handler runs on the loop's thread and nothing crosses threads.
 */
@IOLoopTest(makeCurrent = false)
class SharedThreadTests {

    private static final long WAIT_SECONDS = 30;
    private static final int ROUND_TRIPS = 200;

    private final Set<Thread> threads = ConcurrentHashMap.newKeySet();

    @Test
    void nettyChannelsAndIOStreamsOnOneEventLoopTalkWithoutAThreadHop() throws Exception {
        IOLoop loop = IOLoop.builder().name("shared").backend(NettyBackend.factory()).makeCurrent(false).build();
        NettyBackend backend = (NettyBackend) loop.backend();
        EventLoop eventLoop = NettyBackend.eventLoop(loop);
        try (IOLoopThread running = IOLoopThread.start(loop, "shared", true)) {
            TCPServer ioloopServer = new TCPServer((stream, address) -> pong(stream), loop, TCPServerOptions.defaults());
            ioloopServer.listen(0, "127.0.0.1");
            int ioloopPort = ioloopServer.boundAddresses().get(0).getPort();
            ChannelFuture nettyServer = new ServerBootstrap().group(eventLoop).channel(NioServerSocketChannel.class)
                    .childHandler(lines(new SimpleChannelInboundHandler<String>() {
                        @Override
                        protected void channelRead0(ChannelHandlerContext ctx, String line) {
                            threads.add(Thread.currentThread());
                            ctx.writeAndFlush("echo " + line + "\n");
                        }
                    })).bind(new InetSocketAddress("127.0.0.1", 0)).sync();
            int nettyPort = ((InetSocketAddress) nettyServer.channel().localAddress()).getPort();

            CompletableFuture<long[]> exchanged = new CompletableFuture<>();
            loop.addCallback(() -> {
                long[] before = {backend.wakeups(), backend.tasksFromOtherThreads()};
                CompletableFuture<Integer> fromNetty = nettyClientPings(eventLoop, ioloopPort);
                CompletableFuture<Integer> fromIOLoop = new TCPClient(loop).connect("127.0.0.1", nettyPort)
                        .thenCompose(stream -> echoes(stream, 0));
                fromNetty.thenCombine(fromIOLoop, Integer::sum).whenComplete((total, failure) -> {
                    if (failure != null) {
                        exchanged.completeExceptionally(failure);
                    } else {
                        threads.add(Thread.currentThread());
                        exchanged.complete(new long[] {total, backend.wakeups() - before[0],
                                backend.tasksFromOtherThreads() - before[1]});
                    }
                });
            });
            long[] result = exchanged.get(WAIT_SECONDS, TimeUnit.SECONDS);
            assertThat(result[0]).as("round trips").isEqualTo(2 * ROUND_TRIPS);
            assertThat(result[1]).as("wake-ups by other threads during the exchange").isZero();
            assertThat(result[2]).as("Netty tasks queued by other threads during the exchange").isZero();
            assertThat(threads).containsExactly(running.thread());
            ioloopServer.close();
        }
    }

    /** The IOLoop side of the Netty client: answers each "ping" line with "pong". */
    private CompletableFuture<Void> pong(IOStream stream) {
        return stream.readUntil(new byte[] {'\n'}).thenCompose(line -> {
            threads.add(Thread.currentThread());
            return stream.write("pong\n".getBytes(StandardCharsets.US_ASCII));
        }).thenCompose(written -> pong(stream));
    }

    /** The IOLoop client of the Netty server: one line at a time, {@value #ROUND_TRIPS} times. */
    private CompletableFuture<Integer> echoes(IOStream stream, int done) {
        if (done == ROUND_TRIPS) {
            stream.close();
            return CompletableFuture.completedFuture(done);
        }
        threads.add(Thread.currentThread());
        return stream.write(("line " + done + "\n").getBytes(StandardCharsets.US_ASCII))
                .thenCompose(written -> stream.readUntil(new byte[] {'\n'}))
                .thenCompose(reply -> {
                    assertThat(new String(reply, StandardCharsets.US_ASCII)).isEqualTo("echo line " + done + "\n");
                    return echoes(stream, done + 1);
                });
    }

    /** A Netty client on the loop's event loop, pinging the IOLoop server {@value #ROUND_TRIPS} times. */
    private CompletableFuture<Integer> nettyClientPings(EventLoop eventLoop, int port) {
        CompletableFuture<Integer> done = new CompletableFuture<>();
        new Bootstrap().group(eventLoop).channel(NioSocketChannel.class)
                .handler(lines(new SimpleChannelInboundHandler<String>() {
                    private int pongs;

                    @Override
                    public void channelActive(ChannelHandlerContext ctx) {
                        threads.add(Thread.currentThread());
                        ctx.writeAndFlush("ping\n");
                    }

                    @Override
                    protected void channelRead0(ChannelHandlerContext ctx, String line) {
                        threads.add(Thread.currentThread());
                        if (++pongs == ROUND_TRIPS) {
                            ctx.close();
                            done.complete(pongs);
                        } else {
                            ctx.writeAndFlush("ping\n");
                        }
                    }

                    @Override
                    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                        done.completeExceptionally(cause);
                    }
                })).connect(new InetSocketAddress("127.0.0.1", port));
        return done;
    }

    private static ChannelInitializer<Channel> lines(SimpleChannelInboundHandler<String> handler) {
        return new ChannelInitializer<>() {
            @Override
            protected void initChannel(Channel channel) {
                channel.pipeline().addLast(new LineBasedFrameDecoder(256), new StringDecoder(StandardCharsets.US_ASCII),
                        new StringEncoder(StandardCharsets.US_ASCII), handler);
            }
        };
    }
}
