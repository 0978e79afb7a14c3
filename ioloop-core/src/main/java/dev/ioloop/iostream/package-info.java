/**
 * Buffered, non-blocking streams over a {@link java.nio.channels.SocketChannel}: Tornado's
 * {@code tornado.iostream} in Java.
 *
 * <p>{@link dev.ioloop.iostream.IOStream} reads and writes through its {@link dev.ioloop.IOLoop};
 * its collaborators ({@code PendingRead}, {@code ReadBuffer}, {@code WriteQueue},
 * {@code Latin1View}) are package-private. Under the stream's buffers is a {@code Transport}: the
 * socket ({@code PlainTransport}) or, after {@link dev.ioloop.iostream.IOStream#startTls}, TLS on the
 * JDK's {@code SSLEngine} ({@code TlsTransport}, {@code TlsFailures}), configured by
 * {@link dev.ioloop.iostream.TlsOptions}: Tornado's {@code SSLIOStream} as a mode of the same stream. The exceptions are Tornado's {@code StreamClosedError},
 * {@code UnsatisfiableReadError} and {@code StreamBufferFullError} with Java's suffix.
 *
 * <p>Threading: a stream is confined to its loop's thread, as in Tornado. Every future a stream
 * returns completes on that thread. TLS delegated tasks run on the loop's default executor, and the
 * engine is not touched on the loop meanwhile.
 */
@NullMarked
package dev.ioloop.iostream;

import org.jspecify.annotations.NullMarked;
