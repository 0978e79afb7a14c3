package dev.ioloop.benchmarks;

import dev.ioloop.IOLoop;
import dev.ioloop.IOLoopThread;
import dev.ioloop.iostream.IOStream;
import dev.ioloop.iostream.TlsOptions;
import dev.ioloop.tcp.TCPServer;
import dev.ioloop.tcp.TCPServerOptions;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.JdkSslContext;
import io.netty.handler.ssl.SslContext;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;
import javax.net.ssl.SSLContext;

/**
 * Two TLS echo servers on one thread each, from the same JDK {@link SSLContext} (same key, same
 * provider, same cipher suites): ioloop's {@code TCPServer} with {@code TlsOptions}, and Netty 4.2's
 * {@code SslHandler} (JDK provider) in front of the echo handler a Netty user writes (write each
 * read, flush at the end of the read burst). Both listen on 127.0.0.1, ephemeral ports.
 *
 * <p>Threading: construct and close from a non-loop thread.
 */
final class TlsEchoServers implements AutoCloseable {

    private final IOLoop loop;
    private final IOLoopThread loopThread;
    private final TCPServer ioloopServer;
    private final EventLoopGroup netty;
    private final Channel nettyServer;

    TlsEchoServers(SSLContext context) throws InterruptedException {
        loop = IOLoop.builder().name("tls-ioloop").makeCurrent(false).build();
        loopThread = IOLoopThread.start(loop, "tls-ioloop", true);
        ioloopServer = CompletableFuture.supplyAsync(() -> new TCPServer((stream, address) -> {
            echo(stream);
            return null;
        }, loop, TCPServerOptions.defaults().withTls(TlsOptions.server(context))), loop).join();
        ioloopServer.listen(0, "127.0.0.1");

        netty = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        SslContext nettyContext = new JdkSslContext(context, false, ClientAuth.NONE);
        nettyServer = new ServerBootstrap().group(netty).channel(NioServerSocketChannel.class)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel channel) {
                        channel.pipeline().addLast(nettyContext.newHandler(channel.alloc()), new NettyEcho());
                    }
                })
                .bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)).sync().channel();
    }

    /** ioloop's echo: read what is there (up to 64 KiB), write it back, then read again. */
    private static void echo(IOStream stream) {
        stream.readBytes(64 * 1024, true).thenCompose(stream::write).whenComplete((written, error) -> {
            if (error == null) {
                echo(stream);
            }
        });
    }

    /** Netty's echo, as a Netty user writes it. */
    private static final class NettyEcho extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ctx.write(msg);
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            ctx.flush();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }

    int ioloopPort() {
        return ioloopServer.boundAddresses().get(0).getPort();
    }

    int nettyPort() {
        return ((InetSocketAddress) nettyServer.localAddress()).getPort();
    }

    @Override
    public void close() throws InterruptedException {
        ioloopServer.close();
        if (loopThread.stop(java.time.Duration.ofSeconds(10))) {
            loop.close(true);
        }
        nettyServer.close().sync();
        netty.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS).sync();
    }
}
