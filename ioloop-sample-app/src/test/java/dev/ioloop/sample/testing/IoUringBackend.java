package dev.ioloop.sample.testing;

import dev.ioloop.IOLoop;
import dev.ioloop.netty.RingSockets;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Runs a test with every loop it builds on io_uring ({@code ioloop.backend=netty-io-uring}: {@code
 * RingSockets.backend()}), the default restored afterwards; skips it, naming the cause, where io_uring cannot run.
 */
public final class IoUringBackend implements BeforeEachCallback, AfterEachCallback {

    @Override
    public void beforeEach(ExtensionContext context) {
        Assumptions.assumeTrue(RingSockets.isAvailable(), () -> "io_uring cannot be used here: "
                + RingSockets.unavailabilityCause());
        IOLoop.configure(RingSockets.backend());
    }

    @Override
    public void afterEach(ExtensionContext context) {
        IOLoop.configure(null);
    }
}
