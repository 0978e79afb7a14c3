package dev.ioloop.iostream;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.ByteBuffer;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

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
        pair = SocketPair.open();
        stream = loop.call(() -> new IOStream(pair.near(), loop.loop()));
    }

    @AfterEach
    void closeStreamAndSocketPair() throws Exception {
        if (loop.loop().isRunning()) {
            loop.run(stream::close);
        }
        pair.close();
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
