package dev.ioloop.benchmarks;

import java.io.IOException;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * B7: why ioloop-netty exists. A client sends an 8-byte request over loopback TCP to a Netty channel,
 * whose handler hands it to IOLoop code and writes back that code's answer; the score is round trips
 * per second. {@code layout=one-thread}: the IOLoop and the Netty channel share one thread
 * (ioloop-netty); {@code two-threads}: a Netty event loop plus a separate IOLoop (see {@link HandOffServer}).
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class HandOffRoundTripBenchmark {

    /** The server and one client connection (blocking, TCP_NODELAY). */
    @State(Scope.Benchmark)
    public static class Connection {

        /** {@code one-thread} (ioloop-netty) or {@code two-threads} (Netty plus a separate IOLoop). */
        @Param({"one-thread", "two-threads"})
        public String layout = "one-thread";

        HandOffServer server;
        RoundTripClient client;

        /**
         * Starts the server and connects.
         *
         * @throws Exception if the server cannot start or the connection fails
         */
        @Setup(Level.Trial)
        public void open() throws Exception {
            server = new HandOffServer(HandOffServer.Layout.parse(layout));
            client = new RoundTripClient(server);
        }

        /**
         * Disconnects and stops the server.
         *
         * @throws IOException if closing the connection fails
         */
        @TearDown(Level.Trial)
        public void close() throws IOException {
            client.close();
            server.close();
        }
    }

    /**
     * One round trip: a request out, its answer back.
     *
     * @param connection the server and client
     * @return the answer (the IOLoop's running total)
     * @throws IOException if the connection fails
     */
    @Benchmark
    public long roundTrip(Connection connection) throws IOException {
        return connection.client.roundTrip(1);
    }

    /** A blocking loopback client of {@link HandOffServer}: one request in flight. Not thread-safe. */
    static final class RoundTripClient implements AutoCloseable {
        private final SocketChannel channel;
        private final ByteBuffer out = ByteBuffer.allocateDirect(8);
        private final ByteBuffer in = ByteBuffer.allocateDirect(8);

        RoundTripClient(HandOffServer server) throws IOException {
            channel = SocketChannel.open(server.address());
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
        }

        long roundTrip(long value) throws IOException {
            out.clear();
            out.putLong(value).flip();
            while (out.hasRemaining()) {
                channel.write(out);
            }
            in.clear();
            while (in.hasRemaining()) {
                if (channel.read(in) < 0) {
                    throw new IOException("the hand-off server closed the connection");
                }
            }
            return in.getLong(0);
        }

        @Override
        public void close() throws IOException {
            channel.close();
        }
    }
}
