package dev.ioloop.netty;

import dev.ioloop.IOLoopBackend;
import org.junit.jupiter.api.Nested;

/**
 * ioloop-core's TCP server suites on {@link RingSockets#backend()}: the server listens and accepts through the
 * ring and its streams read and send there. Tests that need a {@code java.nio} server socket ({@code addSocket})
 * say so and are skipped.
 */
class RingServerContractTests {

    @Nested
    class TcpServers extends dev.ioloop.tcp.TCPServerTests {
        @Override
        protected IOLoopBackend.Factory backendFactory() {
            return RingPairs.serverBackend();
        }
    }

    @Nested
    class TcpServerStress extends dev.ioloop.tcp.TCPServerStressTests {
        @Override
        protected IOLoopBackend.Factory backendFactory() {
            return RingPairs.serverBackend();
        }

        /** TCPClient connects through java.nio channels: its loop is a selector loop. */
        @Override
        protected IOLoopBackend.Factory clientBackend() {
            return IOLoopBackend.selector();
        }
    }
}
