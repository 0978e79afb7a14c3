package dev.ioloop.tcp;

import static dev.ioloop.iostream.LoopThread.await;
import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestReporter;

import dev.ioloop.IOLoop;
import dev.ioloop.IOLoopBackend;
import dev.ioloop.IOLoopGroup;
import dev.ioloop.iostream.IOStream;
import dev.ioloop.iostream.LoopThread;
import dev.ioloop.testing.BackendSuite;
import dev.ioloop.test.IOLoopTest;

/**
 * 5,000 concurrent connections to an echo server on one loop: all are open at once, each sends its
 * own lines and gets exactly them back, and every byte is accounted for on both sides.
 *
 * <p>Each connection costs two file descriptors in this JVM (client and server side). If the
 * process limit ({@code ulimit -n}) cannot hold them, the test scales the count down to what fits
 * and reports why (via the TestReporter), rather than failing on EMFILE.
 */
@IOLoopTest(makeCurrent = false)
public abstract class TCPServerStressTests extends BackendSuite {

    private static final int CONNECTIONS = 5_000;
    private static final int CONNECTS_IN_FLIGHT = 200;
    private static final int LINES_PER_CONNECTION = 3;

    /**
     * The backend of the clients' loop: the suite's own, unless its {@code TCPClient} cannot run there (a
     * backend with sockets of its own serves, and is tested, on the server side only).
     *
     * @return the factory
     */
    protected IOLoopBackend.Factory clientBackend() {
        return backendFactory();
    }

    @Test
    void fiveThousandConcurrentConnectionsToOneLoopEchoEveryByte(TestReporter reporter) throws Exception {
        int connections = connectionsThatFit(reporter);
        try (LoopThread serverLoop = new LoopThread("stress-server");
             LoopThread clientLoop = new LoopThread(IOLoop.builder().name("stress-clients").makeCurrent(false)
                     .backend(clientBackend()).build())) {
            AtomicLong serverBytes = new AtomicLong();
            TCPServer server = new TCPServer((stream, address) -> echoCounting(stream, serverBytes),
                    serverLoop.loop(), TCPServerOptions.defaults().withBacklog(4096));
            server.listen(0, "127.0.0.1");
            int port = server.boundAddresses().get(0).getPort();
            try {
                TCPClient client = new TCPClient(clientLoop.loop());
                IOStream[] streams = new IOStream[connections];
                CompletableFuture<Void> allConnected = new CompletableFuture<>();
                clientLoop.run(() -> connectAll(client, port, streams, new AtomicInteger(), new AtomicInteger(), allConnected));
                await(allConnected);
                serverLoop.awaitOnLoop("the server holds every connection", () -> server.openStreams() == connections);

                // every connection now talks at once
                List<CompletableFuture<Long>> echoed = clientLoop.call(() -> {
                    List<CompletableFuture<Long>> all = new ArrayList<>(connections);
                    for (int i = 0; i < connections; i++) {
                        all.add(talk(streams[i], i));
                    }
                    return all;
                });
                long clientBytes = 0;
                for (CompletableFuture<Long> one : echoed) {
                    clientBytes += await(one);
                }
                long expected = expectedBytes(connections);
                assertThat(clientBytes).isEqualTo(expected);
                serverLoop.awaitOnLoop("the server echoed every byte", () -> serverBytes.get() == expected);
                assertThat(server.openStreams()).isEqualTo(connections);

                clientLoop.run(() -> Arrays.stream(streams).forEach(IOStream::close));
                serverLoop.awaitOnLoop("the server saw every close", () -> server.openStreams() == 0);
            } finally {
                server.close();
            }
        }
    }

    /** How many connections the file descriptor limit allows, at most {@link #CONNECTIONS}. */
    private static int connectionsThatFit(TestReporter reporter) {
        OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        if (!(os instanceof com.sun.management.UnixOperatingSystemMXBean)) {
            return CONNECTIONS;
        }
        com.sun.management.UnixOperatingSystemMXBean unix = (com.sun.management.UnixOperatingSystemMXBean) os;
        long spare = unix.getMaxFileDescriptorCount() - unix.getOpenFileDescriptorCount() - 256;
        int fit = (int) Math.min(CONNECTIONS, spare / 2);
        if (fit < CONNECTIONS) {
            reporter.publishEntry("scaled down", "ulimit -n is " + unix.getMaxFileDescriptorCount()
                    + ": room for " + fit + " connections (2 descriptors each), not " + CONNECTIONS);
        }
        assertThat(fit).as("file descriptors for at least 100 connections").isGreaterThanOrEqualTo(100);
        return fit;
    }

    /** Server side: echo lines, counting bytes, until the client closes. */
    private static java.util.concurrent.CompletionStage<Void> echoCounting(IOStream stream, AtomicLong bytes) {
        return stream.readUntil(new byte[] {'\n'}).thenCompose(line -> {
            bytes.addAndGet(line.length);
            return stream.write(line);
        }).thenCompose(written -> echoCounting(stream, bytes));
    }

    /** Client loop: opens every connection, at most CONNECTS_IN_FLIGHT at a time. */
    private static void connectAll(TCPClient client, int port, IOStream[] streams, AtomicInteger started,
            AtomicInteger connected, CompletableFuture<Void> done) {
        while (started.get() < streams.length && started.get() - connected.get() < CONNECTS_IN_FLIGHT) {
            int index = started.getAndIncrement();
            client.connect("127.0.0.1", port).whenComplete((stream, error) -> {
                if (error != null) {
                    done.completeExceptionally(error);
                    return;
                }
                streams[index] = stream;
                if (connected.incrementAndGet() == streams.length) {
                    done.complete(null);
                } else {
                    connectAll(client, port, streams, started, connected, done);
                }
            });
        }
    }

    private static long expectedBytes(int connections) {
        long expected = 0;
        for (int i = 0; i < connections; i++) {
            for (int line = 0; line < LINES_PER_CONNECTION; line++) {
                expected += line(i, line).length;
            }
        }
        return expected;
    }

    private static byte[] line(int connection, int line) {
        return ("connection " + connection + " line " + line + "\n").getBytes(ISO_8859_1);
    }

    /** Client side: pipeline this connection's lines, then check each echo; returns the bytes received. */
    private static CompletableFuture<Long> talk(IOStream stream, int connection) {
        for (int line = 0; line < LINES_PER_CONNECTION; line++) {
            stream.write(line(connection, line));
        }
        return readEchoes(stream, connection, 0, 0);
    }

    private static CompletableFuture<Long> readEchoes(IOStream stream, int connection, int line, long received) {
        if (line == LINES_PER_CONNECTION) {
            return CompletableFuture.completedFuture(received);
        }
        return stream.readUntil(new byte[] {'\n'}).thenCompose(echo -> {
            if (!Arrays.equals(echo, line(connection, line))) {
                throw new AssertionError("connection " + connection + " got " + new String(echo, ISO_8859_1));
            }
            return readEchoes(stream, connection, line + 1, received + echo.length);
        });
    }

    @Test
    void closeWhileConnectionsArriveOnAGroupLeavesNoStreamOpen() throws Exception {
        for (int round = 0; round < 5; round++) {
            try (IOLoopGroup group = new IOLoopGroup("close-race", 2)) {
                group.start();
                AtomicInteger handled = new AtomicInteger();
                TCPServer server = new TCPServer((stream, address) -> {
                    handled.incrementAndGet();
                    return echoCounting(stream, new AtomicLong());
                }, group, TCPServerOptions.defaults().withBacklog(1024));
                server.listen(0, "127.0.0.1");
                int port = server.boundAddresses().get(0).getPort();
                List<java.net.Socket> sockets = java.util.Collections.synchronizedList(new ArrayList<>());
                List<Thread> clients = new ArrayList<>();
                for (int t = 0; t < 4; t++) {
                    Thread client = new Thread(() -> connectUntilRefused(port, sockets));
                    clients.add(client);
                    client.start();
                }
                long deadline = System.nanoTime() + LoopThread.WAIT.toNanos();
                while (handled.get() < 100 && System.nanoTime() < deadline) {
                    Thread.onSpinWait();
                }
                server.close(); // races with accepts, hand-offs and handlers on both loops
                for (Thread client : clients) {
                    client.join(LoopThread.WAIT.toMillis());
                }
                assertThat(handled.get()).isGreaterThanOrEqualTo(100);
                // close() queues each stream's close on its loop: wait until every one ran (a stream
                // that escaped the close would stay open, and counted, for ever)
                long until = System.nanoTime() + LoopThread.WAIT.toNanos();
                while (server.openStreams() > 0 && System.nanoTime() < until) {
                    Thread.sleep(1);
                }
                assertThat(server.openStreams()).as("streams still open after close()").isZero();
                for (java.net.Socket socket : sockets) {
                    assertThat(endOfStreamOrReset(socket)).as("every connection was closed by the server").isTrue();
                    socket.close();
                }
            }
        }
    }

    /** Connects again and again until the server refuses; keeps every socket. */
    private static void connectUntilRefused(int port, List<java.net.Socket> sockets) {
        while (true) {
            try {
                java.net.Socket socket = new java.net.Socket(java.net.InetAddress.getLoopbackAddress(), port);
                socket.setSoTimeout((int) LoopThread.WAIT.toMillis());
                sockets.add(socket);
            } catch (java.io.IOException refused) {
                return;
            }
        }
    }

    /** True if the peer closed (EOF) or reset the connection; false if it still answers. */
    private static boolean endOfStreamOrReset(java.net.Socket socket) {
        try {
            socket.getOutputStream().write("ping\n".getBytes(ISO_8859_1));
            int c = socket.getInputStream().read();
            return c < 0;
        } catch (java.net.SocketTimeoutException e) {
            return false;
        } catch (java.io.IOException e) {
            return true; // reset: closed, or never accepted and dropped with the listening socket
        }
    }
}
