package dev.ioloop.benchmarks.ping;

import dev.ioloop.IOLoop;
import dev.ioloop.IOLoopThread;
import dev.ioloop.iostream.IOStream;
import dev.ioloop.iostream.LentReadHandler;
import dev.ioloop.iostream.StreamBufferFullException;
import dev.ioloop.iostream.StreamClosedException;
import dev.ioloop.tcp.TCPServer;
import dev.ioloop.tcp.TCPServerOptions;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * The PING server on ioloop-core, as its README tells a user to write one: a {@link TCPServer} on
 * an {@link IOLoop} of its own thread, each connection parsed in the bytes {@link IOStream#readLent}
 * lends and answered with {@link IOStream#writeWithoutFuture}. While a connection has replies its
 * socket did not take, it reads nothing more. {@link #start} and {@link #close} from any thread but
 * the server's.
 */
final class IOLoopPingServer implements PingServer {

    private final IOLoopThread running;
    private final TCPServer server;
    /** The loop thread's reply buffer; replaced when a stream keeps it (a partial write). Loop thread only. */
    private ByteBuffer output = ByteBuffer.allocate(PingSession.OUTPUT_CAPACITY);

    private IOLoopPingServer(InetSocketAddress address) throws Exception {
        running = IOLoopThread.start(new IOLoop(false), "ping-ioloop", false);
        server = new TCPServer((stream, peer) -> {
            new Connection(stream).readNext(1);
            return null;
        }, running.loop(), TCPServerOptions.defaults().withNoDelay(true));
        CompletableFuture<Void> listening = new CompletableFuture<>();
        running.loop().addCallback(() -> {
            try {
                server.listen(address.getPort(), address.getHostString());
                listening.complete(null);
            } catch (RuntimeException e) {
                listening.completeExceptionally(e);
            }
        });
        try {
            listening.get();
        } catch (Exception e) {
            running.stop(Duration.ofSeconds(5));
            throw e;
        }
    }

    /** Binds {@code address} (port 0: any free one) and starts serving on a new loop thread. */
    static IOLoopPingServer start(InetSocketAddress address) throws Exception {
        return new IOLoopPingServer(address);
    }

    @Override
    public InetSocketAddress address() {
        return server.boundAddresses().get(0);
    }

    /** One connection: answers what each lent read holds. Loop thread only. */
    private final class Connection implements LentReadHandler {

        private final IOStream stream;
        /** The last lent array, wrapped; re-wrapped only when the stream lends another array. */
        private ByteBuffer lent = ByteBuffer.allocate(0);

        Connection(IOStream stream) {
            this.stream = stream;
        }

        void readNext(int minBytes) {
            stream.readLent(minBytes, this);
        }

        @Override
        public int consume(byte[] bytes, int offset, int length) {
            if (lent.array() != bytes) {
                lent = ByteBuffer.wrap(bytes);
            }
            int end = offset + length;
            int at = offset;
            while (true) {
                output.clear();
                int answered;
                try {
                    answered = PingProtocol.answer(lent, at, end, output);
                } catch (PingProtocolException e) { // the replies before the bad command, then the error
                    write();
                    stream.write(PingProtocol.errorReply(e)).whenComplete((written, failure) -> stream.close());
                    return length;
                }
                boolean progress = answered > at;
                at = answered;
                if (!write()) {
                    return at - offset;
                }
                if (stream.writeBufferSize() > 0) { // the socket is full: read again once it drained
                    int left = end - at;
                    stream.whenWritten().whenComplete((drained, closed) -> {
                        if (closed == null) {
                            readNext(left + 1);
                        }
                    });
                    return at - offset;
                }
                if (!progress || at == end) {
                    break;
                }
            }
            readNext(end - at + 1); // more than what stays buffered: the rest of a command, or the next one
            return at - offset;
        }

        /**
         * Queues the replies; false if the stream is closed or its write limit was hit (then closed). If
         * the socket did not take them all, the stream keeps the buffer: the loop gets a new one.
         */
        private boolean write() {
            output.flip();
            if (!output.hasRemaining()) {
                return true;
            }
            try {
                return stream.writeWithoutFuture(output);
            } catch (StreamBufferFullException e) {
                stream.close(e);
                return false;
            } finally {
                if (stream.writeBufferSize() > 0) {
                    output = ByteBuffer.allocate(PingSession.OUTPUT_CAPACITY);
                }
            }
        }

        @Override
        public void closed(StreamClosedException cause) {
            // the peer went away or the stream failed; TCPServer logs failures and forgets the stream
        }
    }

    @Override
    public void close() throws InterruptedException {
        running.loop().addCallback(server::close);
        running.stop(Duration.ofSeconds(5));
    }
}
