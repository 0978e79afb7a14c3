package dev.ioloop.benchmarks;

import dev.ioloop.IOLoop;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectableChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.function.Consumer;

/**
 * A TCP echo server on an {@link IOLoop}'s raw handlers (no streams): each read is written back at
 * once; a partial write waits for WRITE before reading more. Listens on 127.0.0.1, an ephemeral port.
 *
 * <p>Threading: the constructor and {@link #close()} are called from a non-loop thread; handlers
 * run on the loop thread.
 */
final class EchoServer implements AutoCloseable {

    private final IOLoop loop;
    private final ServerSocketChannel server;
    private final Consumer<Runnable> onLoop;

    /**
     * Binds and registers the listening socket on {@code loop}, which must be running.
     *
     * @param loop a running loop
     * @param onLoop runs a task on the loop thread and returns once it ran
     * @throws IOException if binding fails
     */
    EchoServer(IOLoop loop, Consumer<Runnable> onLoop) throws IOException {
        this.loop = loop;
        this.onLoop = onLoop;
        server = ServerSocketChannel.open();
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        server.configureBlocking(false);
        onLoop.accept(() -> loop.addHandler(server, this::accept, IOLoop.READ));
    }

    /** @return the bound address, 127.0.0.1 and an ephemeral port */
    InetSocketAddress address() throws IOException {
        return (InetSocketAddress) server.getLocalAddress();
    }

    private void accept(SelectableChannel channel, int events) throws IOException {
        if ((events & IOLoop.ERROR) != 0) {
            loop.removeHandler(server);
            return;
        }
        SocketChannel client;
        while ((client = server.accept()) != null) {
            client.configureBlocking(false);
            client.setOption(StandardSocketOptions.TCP_NODELAY, true);
            loop.addHandler(client, new Connection(client), IOLoop.READ);
        }
    }

    /** Unregisters and closes the listening socket (on the loop); connections close with the loop ({@code close(true)}). */
    @Override
    public void close() {
        onLoop.accept(() -> {
            loop.removeHandler(server);
            IOLoop.closeFd(server);
        });
    }

    /** One echoed connection. Loop thread only. */
    private final class Connection implements IOLoop.IOHandler {
        private final SocketChannel channel;
        private final ByteBuffer buffer = ByteBuffer.allocateDirect(16 * 1024);
        private boolean waitingForWrite;

        Connection(SocketChannel channel) {
            this.channel = channel;
        }

        @Override
        public void handle(SelectableChannel ignored, int events) throws IOException {
            if ((events & IOLoop.ERROR) != 0) {
                closeConnection();
                return;
            }
            if ((events & IOLoop.WRITE) != 0 && !flush()) {
                return;
            }
            if ((events & IOLoop.READ) != 0) {
                if (channel.read(buffer) < 0) {
                    closeConnection();
                    return;
                }
                flush();
            }
        }

        /** Writes what is buffered; returns true when all of it went, else waits for WRITE. */
        private boolean flush() throws IOException {
            buffer.flip();
            channel.write(buffer);
            boolean all = !buffer.hasRemaining();
            buffer.compact();
            if (all == waitingForWrite) {
                waitingForWrite = !all;
                loop.updateHandler(channel, all ? IOLoop.READ : IOLoop.WRITE);
            }
            return all;
        }

        private void closeConnection() {
            loop.removeHandler(channel);
            IOLoop.closeFd(channel);
        }
    }
}
