package dev.ioloop.netty;

import dev.ioloop.tcp.SocketProvider;
import dev.ioloop.tcp.TCPServerOptions;
import io.netty.channel.unix.Socket;
import java.io.IOException;
import java.net.InetSocketAddress;

/** The listening sockets of an io_uring loop: Netty's {@code unix.Socket}s that accept through the ring. */
final class RingSocketProvider implements SocketProvider {

    static final RingSocketProvider INSTANCE = new RingSocketProvider();

    private RingSocketProvider() {
    }

    @Override
    public ListeningSocket listen(InetSocketAddress address, TCPServerOptions options) throws IOException {
        Socket socket = Socket.newSocketStream();
        try {
            socket.setReuseAddress(options.reuseAddress());
            if (options.reusePort()) {
                socket.setReusePort(true);
            }
            socket.bind(address);
            socket.listen(options.backlog());
            return new RingListener(socket);
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }
}
