package dev.ioloop.benchmarks.ping;

import io.netty.channel.IoEvent;
import io.netty.channel.IoEventLoop;
import io.netty.channel.IoRegistration;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoEvent;
import io.netty.channel.epoll.EpollIoHandle;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollIoOps;
import io.netty.channel.unix.FileDescriptor;
import io.netty.channel.unix.Socket;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;

/**
 * The PING server on Netty 4.2's native epoll transport, below its channels: one {@link
 * EpollIoHandler} event loop thread, file descriptors registered as {@link EpollIoHandle}s
 * (level-triggered), reads and writes straight from direct buffers through {@link FileDescriptor}:
 * the least any Java server on Netty's epoll pays per request. Linux only ({@link Epoll#ensureAvailability}).
 * {@link #start} and {@link #close} from any thread but the server's.
 */
final class EpollPingServer implements PingServer {

    private final MultiThreadIoEventLoopGroup group;
    private final IoEventLoop loop;
    private final Socket listener;
    private final ByteBuffer output = ByteBuffer.allocateDirect(PingSession.OUTPUT_CAPACITY);

    private EpollPingServer(InetSocketAddress address) throws IOException {
        Epoll.ensureAvailability();
        group = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
        loop = group.next();
        listener = NativeListener.open(address, group);
    }

    /** Binds {@code address} (port 0: any free one) and starts serving on a new event loop thread. */
    static EpollPingServer start(InetSocketAddress address) throws IOException, InterruptedException {
        EpollPingServer server = new EpollPingServer(address);
        IoRegistration registration = server.loop.register(server.new Acceptor()).sync().getNow();
        registration.submit(EpollIoOps.EPOLLIN);
        return server;
    }

    @Override
    public InetSocketAddress address() {
        return listener.localAddress();
    }

    /** The listening socket's handle: accepts every pending connection when readable. */
    private final class Acceptor implements EpollIoHandle {

        private final byte[] peer = new byte[26]; // Netty's accept writes the peer's address here
        private final AcceptFailures acceptFailures = new AcceptFailures("epoll");

        @Override
        public FileDescriptor fd() {
            return listener;
        }

        @Override
        public void handle(IoRegistration registration, IoEvent event) {
            try {
                int fd;
                while ((fd = listener.accept(peer)) >= 0) { // -1: none left (EAGAIN)
                    Socket connection = new Socket(fd); // non-blocking: Netty accepts with SOCK_NONBLOCK
                    connection.setTcpNoDelay(true);
                    loop.register(new Connection(connection)).addListener(registered -> {
                        if (registered.isSuccess()) {
                            ((IoRegistration) registered.getNow()).submit(EpollIoOps.EPOLLIN);
                        } else {
                            connection.close();
                        }
                    });
                }
            } catch (IOException e) {
                acceptFailures.failed(e);
            }
        }

        @Override
        public void close() throws IOException {
            listener.close();
        }
    }

    /** One connection's handle. */
    private final class Connection implements EpollIoHandle, PingSession.Socket {

        private final Socket socket;
        private final PingSession session;

        Connection(Socket socket) {
            this.socket = socket;
            this.session = new PingSession(this, output);
        }

        @Override
        public FileDescriptor fd() {
            return socket;
        }

        @Override
        public void handle(IoRegistration registration, IoEvent event) {
            try {
                boolean writable = ((EpollIoEvent) event).ops().contains(EpollIoOps.EPOLLOUT);
                switch (writable ? session.writable() : session.readable()) {
                    case READ -> registration.submit(EpollIoOps.EPOLLIN);
                    case WRITE -> registration.submit(EpollIoOps.EPOLLOUT);
                    case CLOSE -> close(registration);
                }
            } catch (IOException e) {
                close(registration); // a reset peer: that connection only
            }
        }

        private void close(IoRegistration registration) {
            registration.cancel();
            try {
                close();
            } catch (IOException e) {
                // closing a socket that failed: nothing left to release
            }
        }

        @Override
        public int read(ByteBuffer dst) throws IOException {
            int n = socket.read(dst, dst.position(), dst.limit()); // -1 at EOF, 0 on EAGAIN
            if (n > 0) {
                dst.position(dst.position() + n);
            }
            return n;
        }

        @Override
        public int write(ByteBuffer src) throws IOException {
            int n = src.isDirect() ? socket.write(src, src.position(), src.limit()) : writeHeap(src);
            src.position(src.position() + n);
            return n;
        }

        private int writeHeap(ByteBuffer src) throws IOException { // only the rare error reply
            ByteBuffer direct = ByteBuffer.allocateDirect(src.remaining());
            direct.put(src.duplicate()).flip();
            return socket.write(direct, 0, direct.limit());
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    @Override
    public void close() throws InterruptedException {
        // Netty closes every registered handle (IoHandle#close) as the event loop shuts down
        group.shutdownGracefully(0, 5, TimeUnit.SECONDS).sync();
    }
}
