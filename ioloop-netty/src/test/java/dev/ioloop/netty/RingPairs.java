package dev.ioloop.netty;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.ioloop.IOLoop;
import dev.ioloop.IOLoopBackend;
import dev.ioloop.iostream.IOStream;
import dev.ioloop.iostream.PairKind;
import dev.ioloop.iostream.SocketPair;
import io.netty.channel.uring.IoUring;
import io.netty.channel.uring.IoUringIoHandler;
import io.netty.channel.unix.Socket;
import java.io.Closeable;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.SocketChannel;

/**
 * The stream suites' pairs on io_uring: the far end a blocking {@code java.nio} channel (the test's peer), the
 * near end a socket accepted with Netty's {@code unix.Socket} and wrapped by {@link RingSockets#wrap}, so the
 * stream under test reads and sends through its loop's ring. Skips, naming the cause, where io_uring cannot run.
 */
final class RingPairs implements PairKind {

    static final RingPairs INSTANCE = new RingPairs();

    private RingPairs() {
    }

    /**
     * Every loop of a ring suite: Netty's io_uring event loop (NIO where it cannot run: those tests skip). Not a
     * single issuer: the suites close their loops from the test's thread, not the one that ran them.
     */
    static IOLoopBackend.Factory backend() {
        return IoUring.isAvailable()
                ? NettyBackend.factory(IoUringIoHandler.newFactory(RingSockets.defaultConfig().setSingleIssuer(false)))
                : NettyBackend.factory();
    }

    /** The TCP server suites' loops: {@link RingSockets#backend()}, not a single issuer (as {@link #backend()}). */
    static IOLoopBackend.Factory serverBackend() {
        return IoUring.isAvailable()
                ? RingSockets.backend(RingSockets.defaultConfig().setSingleIssuer(false))
                : NettyBackend.factory();
    }

    /** The near end until a stream takes it. */
    private record NativeNear(Socket socket) implements Closeable {
        @Override
        public void close() throws IOException {
            socket.close(); // idempotent: a stream that closed it already leaves nothing to do
        }
    }

    @Override
    public SocketPair open() throws IOException {
        assumeTrue(IoUring.isAvailable(), () -> "io_uring cannot be used here: " + IoUring.unavailabilityCause());
        Socket listener = Socket.newSocketStream();
        try {
            listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            listener.listen(1);
            SocketChannel far = SocketChannel.open(listener.localAddress());
            int fd = listener.accept(new byte[26]); // connect returned: the connection waits in the backlog
            if (fd < 0) {
                far.close();
                throw new IOException("no connection to accept on " + listener.localAddress());
            }
            return new SocketPair(null, far, new NativeNear(new Socket(fd)));
        } finally {
            listener.close();
        }
    }

    @Override
    public IOStream streamOver(SocketPair pair, IOLoop loop, int maxBufferSize, int maxWriteBufferSize) {
        return new IOStream(RingSockets.wrap(loop, near(pair)), loop, maxBufferSize, maxWriteBufferSize);
    }

    @Override
    public void setNearSendBuffer(SocketPair pair, int bytes) throws IOException {
        near(pair).setSendBufferSize(bytes);
    }

    @Override
    public boolean nearOpen(SocketPair pair) {
        Socket near = near(pair);
        return near.isOpen() && !near.isShutdown(); // a ring socket shuts down at once, closes after its completions
    }

    @Override
    public boolean tls() {
        return false;
    }

    @Override
    public boolean takesSmallWritesAtOnce() {
        return false;
    }

    @Override
    public boolean closesADeadLoopAnywhere() {
        return false;
    }

    private static Socket near(SocketPair pair) {
        if (!(pair.nativeNear() instanceof NativeNear near)) {
            throw new IllegalArgumentException("not a ring pair: " + pair);
        }
        return near.socket();
    }
}
