package dev.ioloop.tcp;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

import dev.ioloop.IOLoopGroup;

/**
 * Run by hand (not a test): compares the two ways a {@link TCPServer} could spread connections
 * over an {@link IOLoopGroup}: one acceptor loop handing connections off (what TCPServer does),
 * and one {@code SO_REUSEPORT} listening socket per loop (the kernel picks the loop). Each client
 * connects, sends a byte, waits for its echo and resets the connection (no TIME_WAIT).
 *
 * <pre>
 * ./mvnw -q -pl ioloop-core test-compile exec:java \
 *     -Dexec.mainClass=dev.ioloop.tcp.AcceptHandOffMeasurement -Dexec.args="2 20000 4"
 * </pre>
 * Arguments: loops, connections per run, client threads. Prints connections per second and how
 * many connections each loop served, three alternating runs per mode.
 */
public final class AcceptHandOffMeasurement {

    private AcceptHandOffMeasurement() {
    }

    public static void main(String[] args) throws Exception {
        int loops = args.length > 0 ? Integer.parseInt(args[0]) : 2;
        int connections = args.length > 1 ? Integer.parseInt(args[1]) : 20_000;
        int clients = args.length > 2 ? Integer.parseInt(args[2]) : 4;
        run("warm-up hand-off", loops, connections / 4, clients, false);
        run("warm-up reuseport", loops, connections / 4, clients, true);
        for (int round = 1; round <= 3; round++) {
            run("hand-off  #" + round, loops, connections, clients, false);
            run("reuseport #" + round, loops, connections, clients, true);
        }
    }

    private static void run(String label, int loops, int connections, int clients, boolean reusePort)
            throws Exception {
        try (IOLoopGroup group = new IOLoopGroup("measure", loops)) {
            group.start();
            Map<String, LongAdder> perLoop = new ConcurrentHashMap<>();
            TCPServer.StreamHandler echoOne = (stream, address) -> {
                perLoop.computeIfAbsent(Thread.currentThread().getName(), k -> new LongAdder()).increment();
                return stream.readBytes(1).thenCompose(stream::write);
            };
            TCPServer server = new TCPServer(echoOne, group,
                    TCPServerOptions.defaults().withBacklog(4096).withReusePort(reusePort));
            server.listen(0, "127.0.0.1");
            int port = server.boundAddresses().get(0).getPort();
            double seconds = drive(port, connections, clients);
            server.close();
            System.out.printf("%-20s %8.0f connections/s  per loop %s%n", label, connections / seconds, perLoop);
        }
    }

    /** Clients on plain threads: connect, send one byte, read the echo, reset. Returns seconds taken. */
    private static double drive(int port, int connections, int clients) throws InterruptedException {
        AtomicInteger remaining = new AtomicInteger(connections);
        List<Thread> threads = new ArrayList<>();
        long start = System.nanoTime();
        for (int i = 0; i < clients; i++) {
            Thread thread = new Thread(() -> {
                while (remaining.getAndDecrement() > 0) {
                    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
                        socket.setSoLinger(true, 0);
                        socket.getOutputStream().write(1);
                        InputStream in = socket.getInputStream();
                        if (in.read() != 1) {
                            throw new IllegalStateException("no echo");
                        }
                    } catch (IOException e) {
                        throw new IllegalStateException(e);
                    }
                }
            });
            threads.add(thread);
            thread.start();
        }
        for (Thread thread : threads) {
            thread.join();
        }
        return (System.nanoTime() - start) / 1e9;
    }
}
