package dev.ioloop.iostream;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * A {@link StreamSocket} as the stream's transport: plaintext, the socket's own I/O. The socket may hold
 * sent bytes back ({@link #flushed()}), so a write completes once it has handed them to the kernel, as
 * TLS's records do. Loop thread only (owned by one stream).
 */
final class SocketTransport extends Transport {

    final StreamSocket socket;

    SocketTransport(StreamSocket socket) {
        this.socket = socket;
    }

    @Override
    boolean flushed() {
        return socket.flushed();
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        return socket.read(dst);
    }

    @Override
    public int write(ByteBuffer src) throws IOException {
        return (int) socket.write(new ByteBuffer[] {src}, 0, 1);
    }

    @Override
    public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
        return socket.write(srcs, offset, length);
    }

    @Override
    public boolean isOpen() {
        return socket.isOpen();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
