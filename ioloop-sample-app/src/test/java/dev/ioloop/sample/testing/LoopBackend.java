package dev.ioloop.sample.testing;

import dev.ioloop.IOLoop;
import dev.ioloop.netty.RingSockets;
import org.junit.jupiter.api.Assumptions;

/**
 * Test support: the loop backends a server test runs on, each a value of a parameterized test. {@link #run} builds
 * every loop of its body on the backend ({@code IOLoop.configure}) and restores the default afterwards.
 */
public enum LoopBackend {

    /** The default: a {@code java.nio} Selector per loop. */
    SELECTOR,

    /**
     * Netty's io_uring, streams on the ring ({@code ioloop.backend=netty-io-uring}: {@code RingSockets.backend()});
     * the test is skipped, naming the cause, where io_uring cannot run.
     */
    IO_URING;

    /** A test body that may throw. */
    @FunctionalInterface
    public interface Body {
        void run() throws Exception;
    }

    /**
     * Runs {@code body} with every loop it builds on this backend.
     *
     * @param body the test
     * @throws Exception what the body throws
     */
    public void run(Body body) throws Exception {
        if (this == SELECTOR) {
            body.run();
            return;
        }
        Assumptions.assumeTrue(RingSockets.isAvailable(), () -> "io_uring cannot be used here: "
                + RingSockets.unavailabilityCause());
        IOLoop.configure(RingSockets.backend());
        try {
            body.run();
        } finally {
            IOLoop.configure(null);
        }
    }
}
