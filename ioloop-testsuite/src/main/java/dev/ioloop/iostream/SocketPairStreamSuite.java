package dev.ioloop.iostream;

import java.io.IOException;

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
}
