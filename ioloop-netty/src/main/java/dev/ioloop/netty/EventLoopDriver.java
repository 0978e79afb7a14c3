package dev.ioloop.netty;

import dev.ioloop.IOLoopBackend;
import io.netty.channel.EventLoop;

/**
 * How a {@link NettyBackend} waits: on a Netty event loop of its own that the IOLoop's thread drives
 * ({@link OwnedEventLoop}), or by arranging iterations on a host's running event loop
 * ({@link HostedIterations}). The members mirror {@link IOLoopBackend}'s and keep its threading.
 */
interface EventLoopDriver {

    /** The Netty event loop under the IOLoop. Safe from any thread. */
    EventLoop eventLoop();

    /** Whether {@code IOLoop.start()} drives the event loop on the calling thread. */
    boolean ownsThread();

    /** Loop thread only: see {@link IOLoopBackend#idle()}. */
    boolean idle();

    /** Loop thread only: see {@link IOLoopBackend#poll()}. */
    void poll();

    /** Loop thread only: see {@link IOLoopBackend#await(long)}. */
    void await(long timeoutNanos);

    /** Safe from any thread: see {@link IOLoopBackend#wakeup()}. */
    void wakeup();

    /** Readiness was reported outside an iteration (a host's I/O): arrange one soon. */
    void readinessReported();

    /** See {@link IOLoopBackend#close()}. */
    void close();
}
