package dev.ioloop.netty.examples;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import dev.ioloop.IOLoop;
import dev.ioloop.IOLoopThread;
import dev.ioloop.netty.NettyBackend;
import dev.ioloop.test.IOLoopTest;
import io.netty.channel.ChannelFuture;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

@IOLoopTest(makeCurrent = false)
class SharedThreadKeyValueServerTests {

    private static final long WAIT_SECONDS = 30;

    @Test
    void aValueSetThroughTheIOLoopServerIsReadThroughTheNettyServerOnTheSameThread() throws Exception {
        IOLoop loop = IOLoop.builder().name("shared").backend(NettyBackend.factory()).makeCurrent(false).build();
        SharedThreadKeyValueServer server = new SharedThreadKeyValueServer(loop);
        try (IOLoopThread running = IOLoopThread.start(loop, "shared", true)) {
            ChannelFuture netty = server.listen(0, 0);
            assertThat(netty.await(WAIT_SECONDS, TimeUnit.SECONDS) && netty.isSuccess()).isTrue();
            int nettyPort = ((InetSocketAddress) netty.channel().localAddress()).getPort();

            try (Client ioloopSide = new Client(server.ioloopPort()); Client nettySide = new Client(nettyPort)) {
                assertThat(ioloopSide.call("SET greeting hello world")).isEqualTo("OK");
                assertThat(nettySide.call("GET greeting")).isEqualTo("hello world");
                assertThat(nettySide.call("SET greeting bye")).isEqualTo("OK");
                assertThat(ioloopSide.call("GET greeting")).isEqualTo("bye");
                assertThat(ioloopSide.call("GET missing")).isEqualTo("(nil)");
                assertThat(nettySide.call("DEL greeting")).isEqualTo("ERR unknown command");
            }
            assertThat(server.threadsSeen()).containsExactly("shared");
            CompletableFuture<Void> closed = new CompletableFuture<>();
            loop.addCallback(() -> {
                server.close();
                closed.complete(null);
            });
            closed.get(WAIT_SECONDS, TimeUnit.SECONDS);
        }
    }

    /** A line client over a blocking socket. */
    private static final class Client implements AutoCloseable {
        private final Socket socket;
        private final BufferedReader in;
        private final OutputStream out;

        Client(int port) throws Exception {
            socket = new Socket("127.0.0.1", port);
            socket.setSoTimeout((int) TimeUnit.SECONDS.toMillis(WAIT_SECONDS));
            in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
            out = socket.getOutputStream();
        }

        String call(String command) throws Exception {
            out.write((command + "\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
            return in.readLine();
        }

        @Override
        public void close() throws Exception {
            socket.close();
        }
    }
}
