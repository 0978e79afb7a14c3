package dev.ioloop.benchmarks.ping;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;

/**
 * The PING server on the bare JDK: one thread, one {@link Selector} ({@code select(Consumer)}, no
 * selected-key set), {@link SocketChannel}s with direct buffers, so the JDK copies nothing.
 * {@link #start} and {@link #close} from any thread but the server's.
 */
final class JdkPingServer implements PingServer {

    private final Selector selector;
    private final ServerSocketChannel listener;
    private final ByteBuffer output = ByteBuffer.allocateDirect(PingSession.OUTPUT_CAPACITY);
    private final Thread thread;
    private final AcceptFailures acceptFailures = new AcceptFailures("jdk");
    private volatile boolean closing;

    private JdkPingServer(InetSocketAddress address) throws IOException {
        selector = Selector.open();
        listener = ServerSocketChannel.open();
        listener.bind(address, 1024);
        listener.configureBlocking(false);
        listener.register(selector, SelectionKey.OP_ACCEPT);
        thread = new Thread(this::run, "ping-jdk");
    }

    /** Binds {@code address} (port 0: any free one) and starts serving on a new thread. */
    static JdkPingServer start(InetSocketAddress address) throws IOException {
        JdkPingServer server = new JdkPingServer(address);
        server.thread.start();
        return server;
    }

    @Override
    public InetSocketAddress address() throws IOException {
        return (InetSocketAddress) listener.getLocalAddress();
    }

    private void run() {
        try {
            while (!closing) {
                selector.select(this::ready);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            closeQuietly();
        }
    }

    private void ready(SelectionKey key) {
        try {
            if (key.isAcceptable()) {
                try {
                    accept();
                } catch (IOException e) {
                    acceptFailures.failed(e); // not the peer's connection to close: the listener's
                }
                return;
            }
            PingSession session = (PingSession) key.attachment();
            PingSession.Next next = key.isWritable() ? session.writable() : session.readable();
            switch (next) {
                case READ -> key.interestOps(SelectionKey.OP_READ);
                case WRITE -> key.interestOps(SelectionKey.OP_WRITE);
                case CLOSE -> close(key);
            }
        } catch (IOException e) {
            close(key); // a reset peer: that connection only
        }
    }

    private void accept() throws IOException {
        SocketChannel channel;
        while ((channel = listener.accept()) != null) {
            channel.configureBlocking(false);
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
            SocketChannel connection = channel;
            PingSession session = new PingSession(new PingSession.Socket() {
                @Override
                public int read(ByteBuffer dst) throws IOException {
                    return connection.read(dst);
                }

                @Override
                public int write(ByteBuffer src) throws IOException {
                    return connection.write(src);
                }
            }, output);
            channel.register(selector, SelectionKey.OP_READ, session);
        }
    }

    private static void close(SelectionKey key) {
        key.cancel();
        try {
            key.channel().close();
        } catch (IOException e) {
            // closing a socket that failed: nothing left to release
        }
    }

    private void closeQuietly() {
        for (SelectionKey key : selector.keys()) {
            close(key);
        }
        try {
            selector.close();
        } catch (IOException e) {
            // the channels are closed already
        }
    }

    @Override
    public void close() throws InterruptedException {
        closing = true;
        selector.wakeup();
        thread.join();
    }
}
