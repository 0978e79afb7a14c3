package dev.ioloop.netty.examples;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

import dev.ioloop.IOLoop;
import dev.ioloop.iostream.IOStream;
import dev.ioloop.netty.NettyBackend;
import dev.ioloop.tcp.TCPServer;
import dev.ioloop.tcp.TCPServerOptions;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.LineBasedFrameDecoder;
import io.netty.handler.codec.string.StringDecoder;
import io.netty.handler.codec.string.StringEncoder;

/**
 * One key-value store, two servers, one thread: a Netty {@link ServerBootstrap} pipeline and an IOLoop
 * {@link TCPServer} with {@link IOStream}s, both on an IOLoop built with {@link NettyBackend#factory()}.
 * The store is a plain {@link HashMap}: every handler of both servers runs on the loop's thread, so
 * nothing is locked and no request hops between threads.
 *
 * <p>Protocol, one command per line on either port: {@code SET key value} answers {@code OK},
 * {@code GET key} answers the value or {@code (nil)}, anything else {@code ERR unknown command}.
 *
 * <p>Run it with {@code ./mvnw -q -pl ioloop-netty -am test-compile} then
 * {@code ./mvnw -q -pl ioloop-netty exec:java -Dexec.mainClass=dev.ioloop.netty.examples.SharedThreadKeyValueServer
 * -Dexec.classpathScope=test}, and talk to it with {@code printf 'SET a 1\n' | nc 127.0.0.1 7001}
 * (IOLoop side) and {@code printf 'GET a\n' | nc 127.0.0.1 7000} (Netty side).
 */
public final class SharedThreadKeyValueServer {

    private static final int MAX_LINE = 1024;

    private final IOLoop loop;
    private final Map<String, String> store = new HashMap<>(); // loop thread only
    private final Set<String> threadsSeen = ConcurrentHashMap.newKeySet();
    private final TCPServer ioloopServer;

    /**
     * Creates the servers' logic on a loop.
     *
     * @param loop an IOLoop on {@link NettyBackend#factory()}
     */
    public SharedThreadKeyValueServer(IOLoop loop) {
        this.loop = loop;
        this.ioloopServer = new TCPServer((stream, address) -> serve(stream), loop, TCPServerOptions.defaults());
    }

    /**
     * Serves the Netty side on {@code nettyPort} and the IOLoop side on {@code ioloopPort} (0: any free
     * port). Safe from any thread; the ports serve once the loop runs.
     *
     * @param nettyPort the Netty server's port
     * @param ioloopPort the TCPServer's port
     * @return the Netty server's bind
     */
    public ChannelFuture listen(int nettyPort, int ioloopPort) {
        ChannelFuture netty = new ServerBootstrap()
                .group(NettyBackend.eventLoop(loop))                       // the loop's own event loop
                .channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel channel) {
                        channel.pipeline().addLast(new LineBasedFrameDecoder(MAX_LINE),
                                new StringDecoder(StandardCharsets.UTF_8), new StringEncoder(StandardCharsets.UTF_8),
                                new SimpleChannelInboundHandler<String>() {
                                    @Override
                                    protected void channelRead0(ChannelHandlerContext ctx, String line) {
                                        ctx.writeAndFlush(execute(line) + "\n"); // on the IOLoop's thread
                                    }
                                });
                    }
                })
                .bind(new InetSocketAddress("127.0.0.1", nettyPort));
        ioloopServer.listen(ioloopPort, "127.0.0.1");
        return netty;
    }

    /**
     * Returns the port the IOLoop side listens on.
     *
     * @return the TCPServer's port, once {@link #listen} ran
     */
    public int ioloopPort() {
        return ioloopServer.boundAddresses().get(0).getPort();
    }

    /**
     * Returns the names of the threads that ran the servers' commands (for tests: one, the loop's).
     *
     * @return a live view; safe from any thread
     */
    public Set<String> threadsSeen() {
        return threadsSeen;
    }

    /** Stops accepting and closes the IOLoop side's connections; the Netty side closes with the loop. */
    public void close() {
        ioloopServer.close();
    }

    /** The IOLoop side: one command per line until the peer closes. Loop thread. */
    private CompletableFuture<Void> serve(IOStream stream) {
        return stream.readUntil(new byte[] {'\n'}, MAX_LINE)
                .thenCompose(line -> stream.write(reply(line)))
                .thenCompose(written -> serve(stream));
    }

    private byte[] reply(byte[] line) {
        String command = new String(line, 0, line.length - 1, StandardCharsets.UTF_8).strip();
        return (execute(command) + "\n").getBytes(StandardCharsets.UTF_8);
    }

    /** Both sides' commands, on the loop thread: a HashMap needs no lock here. */
    private String execute(String line) {
        threadsSeen.add(Thread.currentThread().getName());
        String[] words = line.strip().split(" ", 3);
        if (words.length == 3 && words[0].equals("SET")) {
            store.put(words[1], words[2]);
            return "OK";
        }
        if (words.length == 2 && words[0].equals("GET")) {
            return store.getOrDefault(words[1], "(nil)");
        }
        return "ERR unknown command";
    }

    /**
     * Runs the example on this thread: Netty on port 7000, the IOLoop's TCPServer on 7001.
     *
     * @param args ignored
     */
    public static void main(String[] args) {
        IOLoop loop = IOLoop.builder().name("shared").backend(NettyBackend.factory()).build();
        new SharedThreadKeyValueServer(loop).listen(7000, 7001);
        loop.start();
    }
}
