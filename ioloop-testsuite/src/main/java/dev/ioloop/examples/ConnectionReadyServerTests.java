package dev.ioloop.examples;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.channels.ServerSocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.ioloop.testing.BackendSuite;
import dev.ioloop.test.IOLoopTest;
import dev.ioloop.test.RunningLoop;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

@IOLoopTest(makeCurrent = false)
public abstract class ConnectionReadyServerTests extends BackendSuite {

    @Test
    void printsWhatEachOfManyConcurrentClientsSent(RunningLoop running) throws Exception {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(printed, true, StandardCharsets.UTF_8);
        ServerSocketChannel sock = new ConnectionReadyServer(running.loop(), out)
                .listen(new InetSocketAddress("127.0.0.1", 0));
        int port = ((InetSocketAddress) sock.getLocalAddress()).getPort();

        List<Socket> clients = new ArrayList<>();
        for (int i = 0; i < 50; i++) { // all connect before any sends: the handler must accept them all
            clients.add(new Socket("127.0.0.1", port));
        }
        for (int i = 0; i < clients.size(); i++) {
            OutputStream stream = clients.get(i).getOutputStream();
            stream.write(("hello from client " + i + "\n").getBytes(StandardCharsets.UTF_8));
            clients.get(i).close();
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (printed.toString(StandardCharsets.UTF_8).lines().count() < clients.size()
                && System.nanoTime() < deadline) {
            running.drain();
        }
        List<String> lines = printed.toString(StandardCharsets.UTF_8).lines().sorted().toList();
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < clients.size(); i++) {
            expected.add("message from client: hello from client " + i);
        }
        assertThat(lines).containsExactlyInAnyOrderElementsOf(expected);
        running.run(() -> running.loop().removeHandler(sock));
        sock.close();
    }
}
