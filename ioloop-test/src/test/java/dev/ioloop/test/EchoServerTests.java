package dev.ioloop.test;

import java.nio.charset.StandardCharsets;

import dev.ioloop.tcp.TCPClient;
import dev.ioloop.tcp.TCPServer;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The README's quick start, as it is printed there: a TCP echo server tested in ten lines. */
@IOLoopTest
class EchoServerTests {

    static final byte[] NEWLINE = {'\n'};

    @Test
    void echoesALine(RunningLoop loop) throws Exception {
        UnusedPort port = UnusedPort.bind();
        new TCPServer((stream, address) -> stream.readUntil(NEWLINE).thenCompose(stream::write))
                .addSocket(port.channel());
        byte[] echoed = loop.runSync(() -> new TCPClient().connect("127.0.0.1", port.port())
                .thenCompose(client -> client.write("hello\n".getBytes(StandardCharsets.UTF_8))
                        .thenCompose(written -> client.readUntil(NEWLINE))));
        assertThat(echoed).asString(StandardCharsets.UTF_8).isEqualTo("hello\n");
    }
}
