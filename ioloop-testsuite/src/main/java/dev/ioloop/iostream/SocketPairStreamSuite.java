package dev.ioloop.iostream;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.ByteBuffer;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

import dev.ioloop.IOLoop;
import dev.ioloop.testing.BackendSuite;

/**
 * Base of the stream contract suites that drive one {@link IOStream} over a connected loopback socket pair:
 * before each test, a {@link LoopThread} named by the suite, the pair, and a stream over the pair's near end
 * made on the loop; after it, all three closed (the stream only while the loop still runs: a test may stop
 * the loop on purpose).
 */
public abstract class SocketPairStreamSuite extends BackendSuite {

    /** The loop the stream runs on, on its own thread. */
    protected LoopThread loop;
    /** The connected pair: the stream owns {@code near()}, the test plays the peer on {@code far()}. */
    protected SocketPair pair;
    /** The stream under test. */
    protected IOStream stream;

    /** @return the name of the loop's thread */
    protected abstract String loopName();

    @BeforeEach
    void openStreamOverSocketPair() throws IOException {
        loop = new LoopThread(loopName());
        pair = openPair();
        stream = loop.call(() -> streamOver(pair, loop.loop()));
    }

    /**
     * How this suite gets its pairs and streams: two {@code java.nio} channels unless a backend whose
     * streams run on sockets of their own says otherwise. Called per test; return a constant.
     *
     * @return the kind
     */
    protected PairKind pairKind() {
        return PairKind.CHANNELS;
    }

    /** Opens a connected pair of this suite's kind; the test closes it. */
    protected final SocketPair openPair() throws IOException {
        return pairKind().open();
    }

    /** A stream over the pair's near end, with explicit limits. Loop thread (the constructor's rules). */
    protected final IOStream streamOver(SocketPair pair, IOLoop loop, int maxBufferSize, int maxWriteBufferSize) {
        return pairKind().streamOver(pair, loop, maxBufferSize, maxWriteBufferSize);
    }

    /** A stream over the pair's near end, with the default limits. */
    protected final IOStream streamOver(SocketPair pair, IOLoop loop) {
        return streamOver(pair, loop, IOStream.DEFAULT_MAX_BUFFER_SIZE, IOStream.DEFAULT_MAX_WRITE_BUFFER_SIZE);
    }

    /** Sets the near end's kernel send buffer ({@code SO_SNDBUF}), to make its writes come back short. */
    protected final void setNearSendBuffer(SocketPair pair, int bytes) throws IOException {
        pairKind().setNearSendBuffer(pair, bytes);
    }

    /** Whether the near end's socket is still open. */
    protected final boolean nearOpen(SocketPair pair) {
        return pairKind().nearOpen(pair);
    }

    /** Whether this suite's streams can start TLS (a stream over a {@link StreamSocket} cannot). */
    protected final boolean tlsStreams() {
        return pairKind().tls();
    }

    @AfterEach
    void closeStreamAndSocketPair() throws Exception {
        // null when the pair's kind cannot run here and the test was skipped by an assumption
        if (stream != null && loop.loop().isRunning()) {
            loop.run(stream::close);
        }
        if (pair != null) {
            pair.close();
        }
        loop.close();
    }

    /** {@code length} bytes of the test pattern starting at stream offset {@code from}: byte i is (from + i) % 251. */
    protected static ByteBuffer pattern(long from, int length) {
        ByteBuffer data = ByteBuffer.allocate(length);
        for (int i = 0; i < length; i++) {
            data.put(i, (byte) ((from + i) % 251));
        }
        return data;
    }

    /** Reads exactly {@code total} bytes from the peer's end (make it blocking first), checking the pattern (offset % 251). */
    protected void peerReceivesPattern(long total) throws IOException {
        ByteBuffer in = ByteBuffer.allocate(64 * 1024);
        long received = 0;
        while (received < total) {
            in.clear();
            int n = pair.far().read(in);
            assertThat(n).as("the peer's read").isNotNegative();
            for (int i = 0; i < n; i++) {
                assertThat(in.get(i)).as("byte %d", received + i).isEqualTo((byte) ((received + i) % 251));
            }
            received += n;
        }
        assertThat(received).isEqualTo(total);
    }
}
