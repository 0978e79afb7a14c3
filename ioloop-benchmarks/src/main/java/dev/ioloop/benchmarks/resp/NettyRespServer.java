package dev.ioloop.benchmarks.resp;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The Netty 4.2 RESP baseline: one {@code MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory())}
 * thread accepts and serves every connection and owns the map, as Redis's single thread does.
 *
 * <p>Run: {@code java -cp ... dev.ioloop.benchmarks.resp.NettyRespServer [port [bindAddress]]}
 * (defaults 6381, 127.0.0.1); it prints {@code listening on host:port} and runs until killed.
 * {@link #start} and {@link #close} are safe from any thread but the server's own.
 */
public final class NettyRespServer implements AutoCloseable {

    private final MultiThreadIoEventLoopGroup group;
    private final Channel channel;

    private NettyRespServer(MultiThreadIoEventLoopGroup group, Channel channel) {
        this.group = group;
        this.channel = channel;
    }

    /**
     * Binds and starts serving.
     *
     * @param address where to listen; port 0 picks a free one
     * @return the running server
     * @throws InterruptedException if interrupted while binding
     */
    public static NettyRespServer start(InetSocketAddress address) throws InterruptedException {
        MultiThreadIoEventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        Map<BytesKey, byte[]> store = new HashMap<>(); // confined to the group's one thread
        try {
            Channel channel = new ServerBootstrap()
                    .group(group)
                    .channel(NioServerSocketChannel.class)
                    .option(ChannelOption.SO_BACKLOG, 4096)
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            ch.pipeline().addLast(new RespDecoder(), new RespCommandHandler(store));
                        }
                    })
                    .bind(address).sync().channel();
            return new NettyRespServer(group, channel);
        } catch (InterruptedException | RuntimeException e) {
            group.shutdownGracefully(0, 0, TimeUnit.SECONDS);
            throw e;
        }
    }

    /** @return the bound address; safe from any thread */
    public InetSocketAddress address() {
        return (InetSocketAddress) channel.localAddress();
    }

    /** Closes the listening socket and every connection, and waits (up to 10 s) for the thread to end. */
    @Override
    public void close() {
        channel.close().awaitUninterruptibly(10, TimeUnit.SECONDS);
        group.shutdownGracefully(0, 0, TimeUnit.SECONDS).awaitUninterruptibly(10, TimeUnit.SECONDS);
    }

    /**
     * Runs the server until the JVM is stopped.
     *
     * @param args {@code [port [bindAddress]]}
     * @throws InterruptedException if interrupted
     */
    public static void main(String[] args) throws InterruptedException {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 6381;
        String host = args.length > 1 ? args[1] : "127.0.0.1";
        NettyRespServer server = start(new InetSocketAddress(host, port));
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            stopped.countDown();
        }, "netty-resp-shutdown"));
        InetSocketAddress bound = server.address();
        System.out.println("listening on " + bound.getHostString() + ":" + bound.getPort());
        stopped.await();
    }
}
