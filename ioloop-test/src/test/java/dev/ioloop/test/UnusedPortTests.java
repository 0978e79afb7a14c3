package dev.ioloop.test;

import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.channels.SocketChannel;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class UnusedPortTests {

    @Test
    void bindsAListeningSocketOnIpv4LoopbackThatAcceptsAtOnce() throws Exception {
        UnusedPort port = UnusedPort.bind();
        try (var listening = port.channel(); Socket client = new Socket()) {
            InetSocketAddress local = (InetSocketAddress) port.channel().getLocalAddress();
            assertThat(local.getAddress().getHostAddress()).isEqualTo("127.0.0.1");
            assertThat(local.getPort()).isEqualTo(port.port()).isBetween(1, 65535);
            assertThat(port.address()).isEqualTo(local);

            client.connect(port.address(), 10_000);
            try (SocketChannel accepted = port.channel().accept()) {
                assertThat(accepted.getRemoteAddress()).isEqualTo(client.getLocalSocketAddress());
            }
        }
    }

    @Test
    void socketsBoundAtTheSameTimeGetDifferentPorts() throws Exception {
        UnusedPort first = UnusedPort.bind();
        UnusedPort second = UnusedPort.bind();
        try (var a = first.channel(); var b = second.channel()) {
            assertThat(first.port()).isNotEqualTo(second.port());
        }
    }
}
