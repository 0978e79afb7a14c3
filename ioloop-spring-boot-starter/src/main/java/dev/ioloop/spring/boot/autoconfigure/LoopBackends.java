package dev.ioloop.spring.boot.autoconfigure;

import dev.ioloop.IOLoop;
import dev.ioloop.IOLoopBackend;
import dev.ioloop.netty.NettyBackend;
import dev.ioloop.netty.RingSockets;
import org.jspecify.annotations.Nullable;

import org.springframework.util.ClassUtils;

/**
 * The backend factory {@code ioloop.backend} names. ioloop-netty is optional: its classes are loaded only when
 * {@code netty} is asked for, and a missing module fails startup with a message that names the key and the fix.
 */
final class LoopBackends {

    private static final String NETTY_BACKEND = "dev.ioloop.netty.NettyBackend";
    private static final String IO_URING = "io.netty.channel.uring.IoUring";

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
        String name = backend == IOLoopProperties.Backend.NETTY ? "netty" : "netty-io-uring";
        if (!ClassUtils.isPresent(NETTY_BACKEND, classLoader)) {
            throw new IllegalStateException("'ioloop.backend' is " + name + ", but " + NETTY_BACKEND + " is not on the "
                    + "classpath: add the dependency dev.ioloop:ioloop-netty, or set ioloop.backend=selector");
        }
        if (backend == IOLoopProperties.Backend.NETTY) {
            return Netty.factory();
        }
        if (!ClassUtils.isPresent(IO_URING, classLoader)) {
            throw new IllegalStateException("'ioloop.backend' is netty-io-uring, but " + IO_URING + " is not on the "
                    + "classpath: add the dependency io.netty:netty-transport-native-io_uring (with your platform's "
                    + "classifier), or set ioloop.backend=netty");
        }
        return Ring.factory();
    }

    /** Loaded only once ioloop-netty and Netty's io_uring classes are known to be there. */
    private static final class Ring {

        static IOLoopBackend.Factory factory() {
            if (!RingSockets.isAvailable()) {
                throw new IllegalStateException("'ioloop.backend' is netty-io-uring, but io_uring cannot be used here ("
                        + RingSockets.unavailabilityCause() + "): set ioloop.backend=netty or selector");
            }
            return RingSockets.backend();
        }
    }

    /** Loaded only once ioloop-netty is known to be there. */
    private static final class Netty {

        static IOLoopBackend.Factory factory() {
            return NettyBackend.factory();
        }
    }
}
