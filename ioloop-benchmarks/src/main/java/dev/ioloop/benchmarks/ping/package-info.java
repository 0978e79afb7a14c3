/**
 * Five PING servers, one per event loop, that differ in nothing but the loop and its socket layer:
 * the bare JDK ({@code Selector} and {@code SocketChannel}), Netty 4.2's native epoll transport driven
 * through its public I/O SPI ({@code EpollIoHandler}, {@code EpollIoHandle}, {@code unix.Socket}),
 * ioloop-core ({@code TCPServer}, {@code IOStream.readLent}), Netty 4.2's io_uring transport through
 * its channels ({@code IoUringIoHandler}: reads and writes go through the ring, not {@code epoll_wait},
 * {@code read} and {@code write}), and the same io_uring loop below its channels ({@code IoUringIoHandle}
 * and {@code IoUringIoOps}: each socket submits its own {@code recv} and {@code send}). All five parse with {@link
 * dev.ioloop.benchmarks.ping.PingProtocol} and answer with the same bytes, so that the server CPU per
 * request that {@code run-cpu-per-request.sh} measures beside redis-server says what each loop costs.
 *
 * <p>Threading: each server runs on one loop thread, which alone touches its connections; start and
 * close from any other thread.
 */
@NullMarked
package dev.ioloop.benchmarks.ping;

import org.jspecify.annotations.NullMarked;
