/**
 * Buffered, non-blocking streams over a {@link java.nio.channels.SocketChannel}: Tornado's
 * {@code tornado.iostream} in Java.
 *
 * <p>{@link dev.ioloop.iostream.IOStream} reads and writes through its {@link dev.ioloop.IOLoop};
 * its collaborators ({@code PendingRead}, {@code ReadBuffer}, {@code WriteQueue},
 * {@code Latin1View}) are package-private. The exceptions are Tornado's {@code StreamClosedError},
 * {@code UnsatisfiableReadError} and {@code StreamBufferFullError} with Java's suffix.
 *
 * <p>Threading: a stream is confined to its loop's thread, as in Tornado. Every future a stream
 * returns completes on that thread.
 */
@NullMarked
package dev.ioloop.iostream;

import org.jspecify.annotations.NullMarked;
