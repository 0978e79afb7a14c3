package dev.ioloop.benchmarks.loop;

import java.util.Locale;

/** The implementations a benchmark's {@code impl} parameter names. */
public enum Impl {
    /** {@link dev.ioloop.IOLoop}, started on its own thread. */
    IOLOOP,
    /** {@link dev.ioloop.IOLoop} on {@code NettyBackend.factory()} (ioloop-netty, NIO), started on its own thread. */
    IOLOOP_NETTY,
    /** Netty 4.2: {@code MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory())}. */
    NETTY,
    /** A {@link java.util.concurrent.ScheduledThreadPoolExecutor} with one thread, remove-on-cancel. */
    JDK;

    /**
     * Parses a JMH parameter value ({@code ioloop}, {@code ioloop-netty}, {@code netty}, {@code jdk}, any case).
     *
     * @param name the parameter value
     * @return the implementation
     * @throws IllegalArgumentException naming the accepted values when {@code name} is none of them
     */
    public static Impl parse(String name) {
        for (Impl impl : values()) {
            if (impl.paramValue().equalsIgnoreCase(name)) {
                return impl;
            }
        }
        throw new IllegalArgumentException("'impl' must be one of ioloop, ioloop-netty, netty, jdk (was '" + name + "')");
    }

    /**
     * Starts a fresh loop of this implementation; the caller closes it.
     *
     * @return a running loop, its thread started
     */
    public LoopUnderTest open() {
        return switch (this) {
            case IOLOOP -> new IOLoopUnderTest();
            case IOLOOP_NETTY -> IOLoopUnderTest.onNetty();
            case NETTY -> new NettyLoopUnderTest();
            case JDK -> new JdkLoopUnderTest();
        };
    }

    /** @return the parameter value naming this implementation, in lower case with dashes */
    public String paramValue() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
