package dev.ioloop.iostream;

import java.io.IOException;
import java.net.StandardSocketOptions;
import java.util.Objects;

import dev.ioloop.IOLoop;

/**
 * How the stream suites get a connected pair and a stream over its near end: two {@code java.nio} channels
 * ({@link #CHANNELS}, every backend that watches channels), or a backend's own sockets (io_uring's
 * {@link StreamSocket}s, in ioloop-netty's tests). {@link SocketPairStreamSuite#pairKind()} chooses.
 */
public interface PairKind {

    /** Two {@code java.nio} channels; streams over the near one. */
    PairKind CHANNELS = new PairKind() {
        @Override
        public SocketPair open() throws IOException {
            return SocketPair.open();
        }

        @Override
        public IOStream streamOver(SocketPair pair, IOLoop loop, int maxBufferSize, int maxWriteBufferSize) {
            return new IOStream(Objects.requireNonNull(pair.near()), loop, maxBufferSize, maxWriteBufferSize);
        }

        @Override
        public void setNearSendBuffer(SocketPair pair, int bytes) throws IOException {
            Objects.requireNonNull(pair.near()).setOption(StandardSocketOptions.SO_SNDBUF, bytes);
        }

        @Override
        public boolean nearOpen(SocketPair pair) {
            return Objects.requireNonNull(pair.near()).isOpen();
        }

        @Override
        public boolean tls() {
            return true;
        }

        @Override
        public boolean takesSmallWritesAtOnce() {
            return true;
        }

        @Override
        public boolean closesADeadLoopAnywhere() {
            return true;
        }
    };

    /**
     * Opens a connected pair on 127.0.0.1 (may skip the test, by an assumption naming why, where this kind
     * of socket cannot run).
     *
     * @return the pair; the test closes it
     * @throws IOException if the sockets cannot be opened
     */
    SocketPair open() throws IOException;

    /** A stream over the pair's near end on {@code loop}, with explicit limits (the constructor's rules). */
    IOStream streamOver(SocketPair pair, IOLoop loop, int maxBufferSize, int maxWriteBufferSize);

    /** Sets the near end's kernel send buffer ({@code SO_SNDBUF}), to make its writes come back short. */
    void setNearSendBuffer(SocketPair pair, int bytes) throws IOException;

    /** Whether the near end's socket is still open. */
    boolean nearOpen(SocketPair pair);

    /** Whether streams of this kind can start TLS. */
    boolean tls();

    /**
     * Whether a write the kernel has room for is done when the write call returns (a {@code java.nio} channel's
     * {@code write}), rather than when a send submitted for it completes later (io_uring).
     */
    boolean takesSmallWritesAtOnce();

    /**
     * Whether a loop of this kind that died on its thread (a {@code VirtualMachineError}) can be closed from
     * another thread. Netty's io_uring cannot: its ring is registered with the thread that ran it.
     */
    boolean closesADeadLoopAnywhere();
}
