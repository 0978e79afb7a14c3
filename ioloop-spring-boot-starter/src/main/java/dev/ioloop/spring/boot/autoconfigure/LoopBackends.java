package dev.ioloop.spring.boot.autoconfigure;

import dev.ioloop.IOLoop;
import dev.ioloop.IOLoopBackend;
import dev.ioloop.netty.NettyBackend;
import org.jspecify.annotations.Nullable;

import org.springframework.util.ClassUtils;

/**
 * The backend factory {@code ioloop.backend} names. ioloop-netty is optional: its classes are loaded only when
 * {@code netty} is asked for, and a missing module fails startup with a message that names the key and the fix.
 */
final class LoopBackends {

    private static final String NETTY_BACKEND = "dev.ioloop.netty.NettyBackend";

    private LoopBackends() {
    }

    /**
     * @param backend the configured backend, or null for the one {@code IOLoop.configure} set
     * @param classLoader where to look for ioloop-netty
     * @return the factory to build the starter's loops with
     * @throws IllegalStateException if {@code netty} is asked for and ioloop-netty is not on the classpath
     */
    static IOLoopBackend.Factory factory(IOLoopProperties.@Nullable Backend backend, @Nullable ClassLoader classLoader) {
        if (backend == null) {
            return IOLoop.configuredBackend();
        }
        if (backend == IOLoopProperties.Backend.SELECTOR) {
            return IOLoopBackend.selector();
        }
        if (!ClassUtils.isPresent(NETTY_BACKEND, classLoader)) {
            throw new IllegalStateException("'ioloop.backend' is netty, but " + NETTY_BACKEND + " is not on the "
                    + "classpath: add the dependency dev.ioloop:ioloop-netty, or set ioloop.backend=selector");
        }
        return Netty.factory();
    }

    /** Loaded only once ioloop-netty is known to be there. */
    private static final class Netty {

        static IOLoopBackend.Factory factory() {
            return NettyBackend.factory();
        }
    }
}
