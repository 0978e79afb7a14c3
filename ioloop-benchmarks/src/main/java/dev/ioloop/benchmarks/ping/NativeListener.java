package dev.ioloop.benchmarks.ping;

import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.unix.Socket;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/** The listening socket of the PING servers on Netty's native transports (epoll, io_uring). */
final class NativeListener {

    private NativeListener() {
    }

    /**
     * Opens a listening socket on {@code address} (Netty's {@code unix.Socket}, non-blocking, backlog 1024).
     * If that fails, it shuts {@code group} down too: the server under construction has nothing left to run.
     *
     * @param address where to listen; port 0 for any free one
     * @param group the server's event loop group
     * @return the listening socket
     * @throws IOException if it cannot bind or listen
     */
    static Socket open(InetSocketAddress address, MultiThreadIoEventLoopGroup group) throws IOException {
        Socket listener = Socket.newSocketStream();
        try {
            listener.setReuseAddress(true);
            listener.bind(address);
            listener.listen(1024);
            return listener;
        } catch (IOException e) {
            listener.close();
            group.shutdownGracefully(0, 0, TimeUnit.SECONDS);
            throw e;
        }
    }
}
