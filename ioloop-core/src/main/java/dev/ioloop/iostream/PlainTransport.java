package dev.ioloop.iostream;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;

import dev.ioloop.IOLoop;

/**
 * The socket itself: bytes go to and from the channel unchanged. Loop thread only.
 */
final class PlainTransport extends Transport {

    PlainTransport(SocketChannel channel) {
        super(channel);
    }

    @Override
    boolean prepare(int events) {
        return true;
    }

    @Override
    int interest(boolean streamReads, boolean streamWrites) {
        return (streamReads ? IOLoop.READ : IOLoop.NONE) | (streamWrites ? IOLoop.WRITE : IOLoop.NONE);
    }

    @Override
    boolean hasBufferedInput() {
        return false;
    }

    @Override
    boolean flushed() {
        return true;
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        return channel.read(dst);
    }

    @Override
    public int write(ByteBuffer src) throws IOException {
        return channel.write(src);
    }

    @Override
    public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
        return channel.write(srcs, offset, length);
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
