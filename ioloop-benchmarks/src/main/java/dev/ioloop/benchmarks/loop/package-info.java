/**
 * One face over the three single-thread loops the benchmarks compare: an {@link dev.ioloop.IOLoop},
 * a Netty 4.2 {@code MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory())} and a one-thread
 * {@link java.util.concurrent.ScheduledThreadPoolExecutor}.
 *
 * <p>Threading: {@code execute} is safe from any thread; {@code schedule} and {@code cancel} are
 * called on the loop thread by the benchmarks (every implementation allows other threads too).
 */
@NullMarked
package dev.ioloop.benchmarks.loop;

import org.jspecify.annotations.NullMarked;
