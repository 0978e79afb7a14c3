package dev.ioloop.benchmarks.ping;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Locale;

/**
 * Runs one PING server until killed: {@code java -cp ... dev.ioloop.benchmarks.ping.PingServers
 * <jdk|epoll|ioloop|uring|ring> [port]} (port 6390 by default; 127.0.0.1). Prints {@code listening on
 * host:port}. {@code run-cpu-per-request.sh} starts all five with {@code PING_SERVERS=1}.
 */
public final class PingServers {

    private PingServers() {
    }

    /**
     * Starts the named server.
     *
     * @param kind {@code jdk}, {@code epoll}, {@code ioloop}, {@code uring} or {@code ring}
     * @param address where to listen
     * @return the running server
     * @throws IllegalArgumentException for any other kind
     * @throws Exception if it cannot bind or (epoll, uring, ring) the native transport is not available here
     */
    public static PingServer start(String kind, InetSocketAddress address) throws Exception {
        return switch (kind.toLowerCase(Locale.ROOT)) {
            case "jdk" -> JdkPingServer.start(address);
            case "epoll" -> EpollPingServer.start(address);
            case "ioloop" -> IOLoopPingServer.start(address);
            case "uring" -> UringPingServer.start(address);
            case "ring" -> RingPingServer.start(address);
            default -> throw new IllegalArgumentException("unknown PING server '" + kind
                    + "': expected jdk, epoll, ioloop, uring or ring");
        };
    }

    /**
     * Command line entry point.
     *
     * @param args the kind ({@code jdk}, {@code epoll}, {@code ioloop}, {@code uring} or {@code ring}), then optionally the port
     * @throws Exception if the server cannot start
     */
    public static void main(String[] args) throws Exception {
        if (args.length < 1 || args.length > 2) {
            System.err.println("usage: PingServers <jdk|epoll|ioloop|uring|ring> [port]");
            System.exit(2);
        }
        int port = args.length == 2 ? Integer.parseInt(args[1]) : 6390;
        PingServer server = start(args[0], new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        InetSocketAddress bound = server.address();
        System.out.println("listening on " + bound.getHostString() + ":" + bound.getPort());
        Thread.currentThread().join(); // until killed; the server threads are not daemons
    }
}
