package dev.ioloop.testing;

import dev.ioloop.IOLoop;
import dev.ioloop.IOLoopBackend;
import org.junit.jupiter.api.AfterEach;

/**
 * The base of every contract suite that runs once per loop backend (JCTools' pattern: a suite is
 * written once, abstract, and each backend subclasses it). Every loop a test builds — {@code new
 * IOLoop()}, {@code IOLoop.builder()}, an {@code IOLoopGroup}, {@code IOLoop.instance()},
 * {@link IOLoopTest}'s — uses {@link #backendFactory()}: it is {@linkplain IOLoop#configure
 * configured} when the test instance is constructed (before the suite's own fields build loops) and
 * the default is restored after each test.
 *
 * <pre>{@code
 * class NettyBackendContractTests {
 *     @Nested
 *     class Callbacks extends IOLoopCallbackTests {
 *         @Override
 *         protected IOLoopBackend.Factory backendFactory() {
 *             return NettyBackend.factory();
 *         }
 *     }
 * }
 * }</pre>
 *
 * <p>Test classes run one after another (the build runs no tests in parallel): the configuration is
 * global, as {@code IOLoop.configure} is.
 */
public abstract class BackendSuite {

    {
        // An instance initializer of the base class runs before the subclass' field initializers.
        IOLoop.configure(backendFactory());
    }

    /**
     * Returns the backend the suite runs on. Called while the test instance is being constructed:
     * return a constant, don't read the subclass' fields.
     *
     * @return the factory of the backend under test
     */
    protected abstract IOLoopBackend.Factory backendFactory();

    /** Restores the default backend, so that the next test class starts from it. */
    @AfterEach
    protected final void restoreDefaultBackend() {
        IOLoop.configure(null);
    }
}
