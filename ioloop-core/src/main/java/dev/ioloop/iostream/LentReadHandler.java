package dev.ioloop.iostream;

/**
 * What {@link IOStream#readLent} hands the stream's buffered bytes to, without copying them: the
 * handler looks at them in place, says how many it consumed, and the rest stay buffered for the
 * next read. For a protocol decoder that parses requests where they lie (a partial frame waits in
 * the stream's buffer, not in a buffer of the decoder's own).
 *
 * <p>Both methods run on the stream's loop thread, once per {@code readLent} call: {@link #consume}
 * when enough bytes are buffered, or {@link #closed} when the stream closes first.
 */
public interface LentReadHandler {

    /**
     * Looks at the buffered bytes {@code bytes[offset, offset + length)} and consumes a prefix of
     * them. The array is lent: it is the stream's (or the loop thread's shared) read buffer, valid
     * only until this method returns. Do not write to it, and keep no reference to it or to a
     * range of it: afterwards the same array holds other bytes (this stream's next reads, or
     * another stream's on the same thread). Copy what must outlive the call.
     *
     * <p>The stream is usable from here: start the next read (it completes after this method
     * returns, with the bytes left), write, or close. {@link IOStream#startTls} is refused while
     * the bytes are lent.
     *
     * @param bytes the lent array; read only {@code [offset, offset + length)}
     * @param offset where the first buffered byte is
     * @param length how many bytes are buffered; at least the read's {@code minBytes}
     * @return how many of them, from {@code offset}, are consumed: in {@code [0, length]}; the
     *     rest stay buffered, in order, for the next read. Anything else is a failure as if thrown.
     */
    int consume(byte[] bytes, int offset, int length);

    /**
     * The stream closed before {@code minBytes} bytes were buffered (the peer's EOF, an error, a
     * local close, or a read that could never be satisfied within {@code maxBufferSize}).
     *
     * @param cause its {@link Throwable#getCause() cause} is the stream's {@link IOStream#error()}
     *     (null after a clean close or the peer's EOF)
     */
    void closed(StreamClosedException cause);
}
