/**
 * Streams on io_uring: {@link dev.ioloop.iostream.IOStream}s whose sockets read and send through the ring
 * of an IOLoop built on {@code NettyBackend.factory(IoUringIoHandler.newFactory())}, with no
 * {@code epoll_wait}, {@code read} or {@code write} per request ({@link dev.ioloop.netty.uring.RingSockets}).
 * Needs Netty's io_uring natives ({@code netty-transport-native-io_uring}) and a Linux kernel that allows
 * io_uring.
 *
 * <p>Threading: every socket belongs to one loop and is used on its thread only.
 */
@NullMarked
package dev.ioloop.netty.uring;

import org.jspecify.annotations.NullMarked;
