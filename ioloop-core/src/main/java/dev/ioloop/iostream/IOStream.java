package dev.ioloop.iostream;

import java.io.IOException;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SocketChannel;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.BiConsumer;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.ioloop.IOLoop;

/**
 * A buffered, non-blocking stream over a connected {@link SocketChannel}: Tornado's
 * {@code IOStream}. Every read and write returns a {@link CompletableFuture} completed on the
 * stream's loop thread.
 *
 * <pre>{@code
 * // On the loop thread, e.g. in an accept handler or a TCPServer's StreamHandler:
 * IOStream stream = new IOStream(connection);
 * stream.readUntil("\r\n".getBytes(StandardCharsets.US_ASCII))
 *       .thenCompose(line -> stream.write(line))            // echo one line
 *       .thenCompose(written -> stream.readUntilClose())
 *       .thenAccept(rest -> System.out.println(new String(rest, StandardCharsets.UTF_8)));
 * }</pre>
 *
 * <p>The rules that bite:
 * <ul>
 *   <li>Loop thread only: create it and call it on its loop's thread (the constructor may run on
 *       another thread; it registers with the loop through a callback).
 *   <li>One read at a time: a second read while one is pending throws
 *       {@link IllegalStateException}. A read whose data is already buffered returns a completed
 *       future; one started from a read's own callback completes right after that callback
 *       returns (no unbounded recursion on pipelined input).
 *   <li>Writes take ownership: a written {@code ByteBuffer} or {@code byte[]} is queued as it is,
 *       not copied; do not touch it until its future completes.
 *   <li>Every failure goes through {@link #close(Throwable)}: pending reads and writes fail with a
 *       {@link StreamClosedException} whose cause is the real error; data buffered before the close
 *       still satisfies reads. The peer's EOF closes the stream (as Tornado; there is no
 *       half-open state).
 *   <li>Memory is bounded: while no read is pending, at most {@link ReadBuffer#STEADY_CAPACITY}
 *       bytes are buffered and then read interest is dropped, so a fast peer is slowed by TCP
 *       itself; a pending read may buffer up to {@code maxBufferSize}, and a read that needs more
 *       fails with {@link UnsatisfiableReadException}. Writes beyond {@code maxWriteBufferSize}
 *       (default {@link #DEFAULT_MAX_WRITE_BUFFER_SIZE}) fail with {@link StreamBufferFullException}.
 *   <li>Nothing thrown in a stage is swallowed: a stage chained on a stream's future whose failure
 *       nothing handles closes the stream with its cause and reaches the loop's
 *       {@code handleCallbackException} (see {@code StreamFuture}).
 *   <li>A loop backend that does its own socket I/O (io_uring) gives streams a {@link StreamSocket}
 *       instead of a channel: {@link #IOStream(StreamSocket, IOLoop, int, int)}, every rule here
 *       unchanged, without {@link #channel()} and TLS.
 *   <li>TLS is a mode, not a subclass: {@link #startTls(TlsOptions)} puts TLS under the same
 *       buffers, reads and close funnel (Tornado's {@code SSLIOStream} and {@code start_tls});
 *       {@code TCPServerOptions.withTls} and {@code TCPClient.connect(..., TlsOptions)} do it for you.
 * </ul>
 *
 * <p>Why over 300 lines: the public surface is wide (five read kinds, a chunk and a lent callback read, two
 * writes, close and its callback, limits) and the re-entrancy guards, the close funnel, the event handler and the
 * interest bookkeeping only read well together. Matching a read against the buffer lives in
 * {@code PendingRead}; the buffers in {@code ReadBuffer} (which holds no array while empty: socket
 * reads go into the loop thread's shared array) and {@code WriteQueue}; a chained stage's failure
 * report in {@code StreamFuture}.
 */
public class IOStream implements AutoCloseable {

    /** The default {@code maxBufferSize}: 100 MiB, as Tornado's. */
    public static final int DEFAULT_MAX_BUFFER_SIZE = 100 * 1024 * 1024;

    /**
     * The default {@code maxWriteBufferSize}: 16 MiB. Tornado queues writes without a limit and
     * Netty's water marks only signal (the queue itself is unbounded), so a writer whose peer
     * stops reading holds whatever it writes. Here a write that would queue more fails with
     * {@link StreamBufferFullException} and leaves the stream open: an outcome the writer sees. 16 MiB
     * is far above what a writer that waits for its write futures queues (one message at a time),
     * and bounds a stuck peer's cost to a known figure. Pass 0 to the four-argument constructor for
     * Tornado's unlimited queue.
     */
    public static final int DEFAULT_MAX_WRITE_BUFFER_SIZE = 16 * 1024 * 1024;

    private static final Logger log = LoggerFactory.getLogger(IOStream.class);

    /** A {@code readBytes} needing more than this beyond what is buffered reads straight into its result. */
    private static final int DIRECT_READ_THRESHOLD = ReadBuffer.STEADY_CAPACITY;

    /** Socket reads per readiness event at most (fairness between the loop's streams). */
    private static final int MAX_READS_PER_EVENT = 4;

    /** Gathering writes per readiness event at most (fairness between the loop's streams). */
    private static final int MAX_WRITES_PER_EVENT = 16;

    /** The channel of a channel stream; null for a stream over a {@link StreamSocket}. */
    private final @Nullable SocketChannel channel;
    /** The socket of a stream over a {@link StreamSocket}; null for a channel stream. */
    private final @Nullable StreamSocket socket;
    private final IOLoop loop;
    private final int maxBufferSize;
    private final int maxWriteBufferSize;
    /** The most bytes a pending read may have buffered: one past maxBufferSize, as Tornado's "&gt;" test. */
    private final int pendingReadCap;
    /** The most bytes buffered while no read is pending; then read interest is dropped. */
    private final int idleReadCap;
    private final ReadBuffer readBuffer = new ReadBuffer();
    private final WriteQueue writeQueue = new WriteQueue();
    private final CompletableFuture<Void> closeFuture = new CompletableFuture<>();
    private final IOLoop.IOHandler handler = this::onEvents;
    /** Where bytes go: the socket, or TLS over it after {@link #startTls}. */
    private Transport transport;
    /** startTls's future while its handshake runs; null otherwise. */
    private @Nullable CompletableFuture<IOStream> tlsHandshake;
    private boolean kickScheduled;

    private final PendingRead read = new PendingRead();

    private boolean closed;
    private boolean unsatisfiable;
    private @Nullable Throwable error;
    private @Nullable Runnable closeCallback;
    /** What {@link #onClosed} registered (one action, or one chaining them); loop thread only. */
    private @Nullable Runnable closeListeners;
    private boolean delivering;
    /** A readLent handler is looking at the read buffer's array: nothing may change it meanwhile. */
    private boolean lending;
    private boolean flushing;
    private boolean closeSignalPending;
    private int registeredMask = -1;
    private boolean lastReadFull;

    /**
     * Wraps a connected channel on {@link IOLoop#current()} with the default limits.
     *
     * @param channel an open, connected channel; switched to non-blocking mode
     * @throws IllegalArgumentException if the channel is closed
     */
    public IOStream(SocketChannel channel) {
        this(channel, IOLoop.current());
    }

    /**
     * Wraps a connected channel on {@code loop} with the default limits
     * ({@link #DEFAULT_MAX_BUFFER_SIZE}, {@link #DEFAULT_MAX_WRITE_BUFFER_SIZE}).
     *
     * @param channel an open, connected channel; switched to non-blocking mode
     * @param loop the loop whose thread runs every read, write and callback of this stream
     * @throws IllegalArgumentException if the channel is closed
     */
    public IOStream(SocketChannel channel, IOLoop loop) {
        this(channel, loop, DEFAULT_MAX_BUFFER_SIZE, DEFAULT_MAX_WRITE_BUFFER_SIZE);
    }

    /**
     * Wraps a connected channel on {@code loop} with explicit limits.
     *
     * @param channel an open, connected channel; switched to non-blocking mode
     * @param loop the loop whose thread runs every read, write and callback of this stream
     * @param maxBufferSize the most bytes a read may need buffered, in bytes; positive
     * @param maxWriteBufferSize the most bytes queued for writing, in bytes; 0 for unlimited
     * @throws IllegalArgumentException if the channel is closed or a limit is out of range
     * @throws java.io.UncheckedIOException if the channel cannot be made non-blocking
     */
    public IOStream(SocketChannel channel, IOLoop loop, int maxBufferSize, int maxWriteBufferSize) {
        this(open(channel), null, loop, maxBufferSize, maxWriteBufferSize);
    }

    /**
     * Wraps a connected socket that does its own I/O (a loop backend's, such as io_uring's) on {@code loop},
     * with explicit limits. Every promise of a channel stream holds, except that {@link #channel()} is null
     * and {@link #startTls(TlsOptions)} is refused. The stream starts the socket on the loop thread.
     *
     * @param socket an open, connected socket of {@code loop}'s backend, not used by anything else
     * @param loop the loop whose thread runs every read, write and callback of this stream
     * @param maxBufferSize the most bytes a read may need buffered, in bytes; positive
     * @param maxWriteBufferSize the most bytes queued for writing, in bytes; 0 for unlimited
     * @throws IllegalArgumentException if the socket is closed or a limit is out of range
     */
    public IOStream(StreamSocket socket, IOLoop loop, int maxBufferSize, int maxWriteBufferSize) {
        this(null, open(socket), loop, maxBufferSize, maxWriteBufferSize);
    }

    private IOStream(@Nullable SocketChannel channel, @Nullable StreamSocket socket, IOLoop loop,
            int maxBufferSize, int maxWriteBufferSize) {
        this.channel = channel;
        this.socket = socket;
        this.loop = Objects.requireNonNull(loop, "'loop' must not be null");
        checkLimits(maxBufferSize, maxWriteBufferSize);
        this.maxBufferSize = maxBufferSize;
        this.maxWriteBufferSize = maxWriteBufferSize;
        this.pendingReadCap = maxBufferSize + 1;
        this.idleReadCap = Math.min(ReadBuffer.STEADY_CAPACITY, maxBufferSize);
        if (channel != null) {
            this.transport = new PlainTransport(channel);
            try {
                channel.configureBlocking(false);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException("cannot make " + channel + " non-blocking", e);
            }
        } else {
            this.transport = new SocketTransport(Objects.requireNonNull(socket));
        }
        // Listen for the peer's EOF even while idle; via a callback so any thread may construct.
        loop.addCallback(this::updateInterest);
    }

    private static SocketChannel open(SocketChannel channel) {
        Objects.requireNonNull(channel, "'channel' must not be null");
        if (!channel.isOpen()) {
            throw new IllegalArgumentException("'channel' must be open (was closed: " + channel + ")");
        }
        return channel;
    }

    private static StreamSocket open(StreamSocket socket) {
        Objects.requireNonNull(socket, "'socket' must not be null");
        if (!socket.isOpen()) {
            throw new IllegalArgumentException("'socket' must be open (was closed: " + socket + ")");
        }
        return socket;
    }

    // ------------------------------------------------------------------------------------ reads

    /**
     * Checks buffer limits as the constructor does, for code that takes them early (TCPServer, TCPClient).
     *
     * @param maxBufferSize the most bytes a read may need buffered; in [1, Integer.MAX_VALUE - 16]
     * @param maxWriteBufferSize the most bytes queued for writing; 0 for unlimited, never negative
     * @throws IllegalArgumentException naming the limit and its value when one is out of range
     */
    public static void checkLimits(int maxBufferSize, int maxWriteBufferSize) {
        if (maxBufferSize < 1 || maxBufferSize > Integer.MAX_VALUE - 16) {
            throw new IllegalArgumentException(
                    "'maxBufferSize' must be in [1, " + (Integer.MAX_VALUE - 16) + "] (was " + maxBufferSize + ")");
        }
        if (maxWriteBufferSize < 0) {
            throw new IllegalArgumentException(
                    "'maxWriteBufferSize' must be >= 0, 0 meaning unlimited (was " + maxWriteBufferSize + ")");
        }
    }

    /**
     * Reads exactly {@code numBytes} bytes; = {@code readBytes(numBytes, false)}.
     *
     * @param numBytes the bytes to read; not negative
     * @return the bytes
     * @throws IllegalStateException if a read is already pending
     */
    public CompletableFuture<byte[]> readBytes(int numBytes) {
        return readBytes(numBytes, false);
    }

    /**
     * Reads {@code numBytes} bytes, or, when {@code partial}, as soon as at least one byte is
     * available, up to {@code numBytes}. Loop thread only.
     *
     * @param numBytes the bytes to read; not negative (0 completes at once with no bytes)
     * @param partial whether fewer bytes (at least one) satisfy the read
     * @return the bytes; fails with {@link StreamClosedException} if the stream closes first
     * @throws IllegalArgumentException if {@code numBytes} is negative
     * @throws IllegalStateException if a read is already pending
     */
    public CompletableFuture<byte[]> readBytes(int numBytes, boolean partial) {
        if (numBytes < 0) {
            throw new IllegalArgumentException("'numBytes' must be >= 0 (was " + numBytes + ")");
        }
        CompletableFuture<byte[]> future = startRead(PendingRead.Kind.BYTES);
        read.bytes(numBytes, partial);
        if (!partial && numBytes > maxBufferSize) {
            failUnsatisfiable(new UnsatisfiableReadException("readBytes(" + numBytes
                    + ") needs more than maxBufferSize (" + maxBufferSize + ") bytes"));
        } else if (!partial && numBytes - readBuffer.size() > DIRECT_READ_THRESHOLD) {
            // A large fixed-size read fills its own result array: no growth and copy of the buffer.
            read.bytesDirect(numBytes);
        }
        return readStarted(future);
    }

    /**
     * Reads up to and including {@code delimiter}; = {@code readUntil(delimiter, -1)}.
     *
     * @param delimiter the bytes that end the read; not empty
     * @return the bytes, delimiter included
     * @throws IllegalStateException if a read is already pending
     */
    public CompletableFuture<byte[]> readUntil(byte[] delimiter) {
        return readUntil(delimiter, -1);
    }

    /**
     * Reads up to and including {@code delimiter}, failing if it is not within {@code maxBytes}
     * bytes. Loop thread only. The search never rescans bytes already searched.
     *
     * @param delimiter the bytes that end the read; not empty; not copied, do not change it
     * @param maxBytes the most bytes the result may have, delimiter included; negative for no limit
     *     other than {@code maxBufferSize}
     * @return the bytes, delimiter included; fails with {@link StreamClosedException} (its cause an
     *     {@link UnsatisfiableReadException}, and the stream closes) if the limit is exceeded
     * @throws IllegalArgumentException if {@code delimiter} is empty
     * @throws IllegalStateException if a read is already pending
     */
    public CompletableFuture<byte[]> readUntil(byte[] delimiter, int maxBytes) {
        Objects.requireNonNull(delimiter, "'delimiter' must not be null");
        if (delimiter.length == 0) {
            throw new IllegalArgumentException("'delimiter' must not be empty");
        }
        CompletableFuture<byte[]> future = startRead(PendingRead.Kind.UNTIL);
        read.until(delimiter, maxBytes);
        return readStarted(future);
    }

    /**
     * Reads up to the end of the first match of {@code pattern}; = {@code readUntilRegex(pattern, -1)}.
     *
     * @param pattern matched against the buffered bytes read as ISO-8859-1
     * @return the bytes up to the match's end
     * @throws IllegalStateException if a read is already pending
     */
    public CompletableFuture<byte[]> readUntilRegex(Pattern pattern) {
        return readUntilRegex(pattern, -1);
    }

    /**
     * Reads up to the end of the first match of {@code pattern} in the buffered bytes (read as
     * ISO-8859-1, without a decoding copy), failing if none ends within {@code maxBytes} bytes.
     * Loop thread only. As in Tornado, the whole buffer is matched again when more data arrives.
     *
     * @param pattern the pattern to find
     * @param maxBytes the most bytes the result may have; negative for no limit other than
     *     {@code maxBufferSize}
     * @return the bytes up to the match's end; fails as {@link #readUntil(byte[], int)} does
     * @throws IllegalStateException if a read is already pending
     */
    public CompletableFuture<byte[]> readUntilRegex(Pattern pattern, int maxBytes) {
        Objects.requireNonNull(pattern, "'pattern' must not be null");
        CompletableFuture<byte[]> future = startRead(PendingRead.Kind.REGEX);
        read.regex(pattern, maxBytes);
        return readStarted(future);
    }

    /**
     * Reads everything until the stream closes. Loop thread only.
     *
     * @return every remaining byte at a clean EOF or close (never a {@link StreamClosedException}
     *     for those); fails if more than {@code maxBufferSize} bytes arrive, or with the error that
     *     closed the stream
     * @throws IllegalStateException if a read is already pending
     */
    public CompletableFuture<byte[]> readUntilClose() {
        return readStarted(startRead(PendingRead.Kind.CLOSE));
    }

    /**
     * Reads into {@code buffer}: fills its remaining space, or when {@code partial}, completes once
     * at least one byte was put into it. Loop thread only. Bytes go straight from the socket into
     * {@code buffer} once the stream's own buffer is drained.
     *
     * @param buffer the destination; owned by the stream until the future completes
     * @param partial whether at least one byte (rather than a full buffer) satisfies the read
     * @return the number of bytes put into {@code buffer}
     * @throws IllegalStateException if a read is already pending
     */
    public CompletableFuture<Integer> readInto(ByteBuffer buffer, boolean partial) {
        Objects.requireNonNull(buffer, "'buffer' must not be null");
        if (buffer.isReadOnly()) {
            throw new IllegalArgumentException("'buffer' must be writable (was read-only: " + buffer + ")");
        }
        CompletableFuture<Integer> future = startRead(PendingRead.Kind.INTO);
        read.into(buffer, partial);
        return readStarted(future);
    }

    /**
     * Reads one chunk and hands it to {@code callback} instead of a future: the partial read of
     * Tornado's {@code streaming_callback}, for a connection that reads burst after burst. Once at
     * least one byte is available, up to {@code maxBytes} of them are passed to
     * {@code callback.accept(chunk, null)}, exactly once, on the loop thread; if the stream closes
     * first, {@code callback.accept(null, cause)} with a {@link StreamClosedException} (data buffered
     * before the close is still delivered first). No future or stage is made per read.
     *
     * <p>The other reads' rules hold: it is the stream's one pending read until the callback runs
     * (to read on, call {@code readChunk} again from the callback); if data is already buffered the
     * callback runs before this method returns, and a read started from the callback completes
     * right after it returns (no recursion on pipelined input). Not calling it again is
     * back-pressure: the stream then buffers up to its idle cap and stops reading, so TCP slows the
     * peer. Anything the callback throws is not swallowed: the stream closes with it as cause and
     * it is thrown to the loop's {@code handleCallbackException} in a loop callback (logged at
     * ERROR, counted; a {@link VirtualMachineError} then propagates out of {@link IOLoop#start()}).
     * Loop thread only.
     *
     * @param maxBytes the most bytes one chunk holds; positive
     * @param callback given the chunk (a new array the callee owns) and null, or null and the error
     * @throws IllegalArgumentException if {@code maxBytes} is not positive
     * @throws IllegalStateException if a read is already pending
     */
    public void readChunk(int maxBytes, BiConsumer<? super byte[], ? super Throwable> callback) {
        Objects.requireNonNull(callback, "'callback' must not be null");
        if (maxBytes < 1) {
            throw new IllegalArgumentException("'maxBytes' must be >= 1 (was " + maxBytes + ")");
        }
        checkNoReadPending();
        read.startChunk(maxBytes, callback);
        readStarted(null); // when closed: buffered bytes first, else the close's failure
    }

    /**
     * Lends the buffered bytes to {@code handler} instead of copying them: once at least
     * {@code minBytes} are buffered, {@code handler.consume(bytes, offset, length)} sees all of them
     * in place, exactly once, on the loop thread, and answers how many (a prefix) it consumed; the
     * rest stay buffered, in order, for the next read. If the stream closes first,
     * {@code handler.closed(cause)} runs instead. For a decoder that parses messages where they lie:
     * a message cut by a read boundary waits in the stream's buffer, and the decoder asks for
     * {@code length + 1} bytes to see it again with more. No future, stage or array is made per
     * read.
     *
     * <ul>
     *   <li><b>Lifetime.</b> The array is lent only for the {@code consume} call: it is this stream's
     *       buffer, or the loop thread's shared read array, which the thread's other streams read into
     *       next. Keep no reference to it; copy what must outlive the call. Do not write to it.
     *   <li><b>Consumption.</b> {@code consume} answers a count in {@code [0, length]}; any other
     *       answer fails as if thrown (below). Asking again for at most what was left (e.g.
     *       {@code readLent(1, ...)} after consuming nothing) hands the same bytes over again at once:
     *       that is how a caller that paused (e.g. for its writes to drain) resumes, and a caller that
     *       waits for more asks for one byte more than it was shown.
     *   <li><b>Limits.</b> Unconsumed bytes count against {@code maxBufferSize} as any buffered bytes:
     *       while a lent read is pending the stream buffers at most {@code maxBufferSize + 1} bytes; a
     *       {@code minBytes} over {@code maxBufferSize}, or a {@code consume} that consumes nothing
     *       while {@code maxBufferSize} or more bytes are buffered, closes the stream with an
     *       {@link UnsatisfiableReadException} (as {@link #readUntil(byte[], int)}'s limit does), and a
     *       lent read pending then, or started afterwards, gets {@code closed}: a full buffer that makes
     *       no progress ends, it never hangs. While no read is pending, the idle cap applies as
     *       always: the stream stops reading, TCP slows the peer.
     *   <li><b>Close.</b> Bytes buffered before the close (the peer's EOF included) still satisfy a
     *       lent read; one that asks for more than is buffered then gets {@code closed}.
     *   <li><b>Failures.</b> What {@code consume} or {@code closed} throws is not swallowed: nothing is
     *       consumed, the stream closes with it as cause, and it is thrown to the loop's
     *       {@code handleCallbackException} in a loop callback, once (as {@link #readChunk}'s callback).
     *   <li><b>Reads from the handler.</b> The other reads' rules hold: this is the stream's one pending
     *       read until the handler runs; buffered bytes are lent before this method returns; a read
     *       started inside {@code consume} completes right after it returns, from the bytes it left
     *       (no recursion). {@link #startTls} is refused inside {@code consume}.
     *   <li>Plain and TLS streams alike (TLS lends the decrypted bytes), on every loop backend.
     * </ul>
     *
     * @param minBytes the fewest buffered bytes that satisfy the read; at least 1
     * @param handler given the buffered bytes, or the close
     * @throws IllegalArgumentException if {@code minBytes} is below 1
     * @throws IllegalStateException if a read is already pending
     */
    public void readLent(int minBytes, LentReadHandler handler) {
        Objects.requireNonNull(handler, "'handler' must not be null");
        if (minBytes < 1) {
            throw new IllegalArgumentException("'minBytes' must be >= 1 (was " + minBytes + ")");
        }
        checkNoReadPending();
        read.startLent(minBytes, handler);
        if (minBytes > maxBufferSize) {
            failUnsatisfiable(new UnsatisfiableReadException("readLent(" + minBytes
                    + ") needs more than maxBufferSize (" + maxBufferSize + ") bytes"));
        }
        readStarted(null); // when closed: buffered bytes first, else the close's failure
    }

    private void checkNoReadPending() {
        assert onLoopThread() : "IOStream used off its loop's thread: " + Thread.currentThread();
        if (read.kind() != null) {
            throw new IllegalStateException("a read is already pending on this stream (" + read.kind()
                    + "): wait for its future to complete before starting another");
        }
    }

    private <T> CompletableFuture<T> startRead(PendingRead.Kind kind) {
        checkNoReadPending();
        return read.start(kind, new StreamFuture<>(this));
    }

    private <T> @Nullable CompletableFuture<T> readStarted(@Nullable CompletableFuture<T> future) {
        deliverReads();
        updateInterest();
        return future;
    }

    /**
     * Completes the pending read, and each read its callbacks start, from buffered data; fails it
     * when the stream is closed and the data cannot satisfy it. A read started while this runs
     * (from a completion callback) is picked up by the loop below instead of recursing.
     */
    private void deliverReads() {
        if (delivering) {
            return;
        }
        delivering = true;
        try {
            while (read.kind() != null) {
                if (!completeFromBuffer()) {
                    if (closed && read.kind() != null) {
                        finishOnClose();
                        continue;
                    }
                    break;
                }
            }
        } finally {
            delivering = false;
        }
        if (closeSignalPending) {
            closeSignalPending = false;
            signalClosed();
        }
    }

    /** Tries to complete the pending read from the buffer; true if it completed it. */
    private boolean completeFromBuffer() {
        Object result;
        try {
            result = read.tryComplete(readBuffer, maxBufferSize);
        } catch (UnsatisfiableReadException e) {
            failUnsatisfiable(e);
            return false;
        }
        if (result == PendingRead.NOT_YET || (result == PendingRead.LEND && unsatisfiable)) {
            return false; // after a limit broke, a lent read fails: lending again would make no progress
        }
        completeRead(result);
        return true;
    }

    /** Closed: completes readUntilClose with the rest of the data, or fails the read. */
    private void finishOnClose() {
        if (read.kind() == PendingRead.Kind.CLOSE && !unsatisfiable) {
            completeRead(readBuffer.take(readBuffer.size()));
        } else {
            failRead(closedException());
        }
    }

    /** Ends the pending read with {@code result}: completes its future, runs its chunk callback, or lends. */
    @SuppressWarnings("unchecked")
    private void completeRead(Object result) {
        Object completion = read.finish();
        if (result == PendingRead.LEND) {
            lend((LentReadHandler) completion);
        } else if (completion instanceof CompletableFuture<?> future) {
            ((CompletableFuture<Object>) future).complete(result);
        } else {
            runChunkCallback((BiConsumer<? super byte[], ? super Throwable>) completion, (byte[]) result, null);
        }
    }

    /** Ends the pending read with {@code failure}. */
    @SuppressWarnings("unchecked")
    private void failRead(StreamClosedException failure) {
        boolean lent = read.kind() == PendingRead.Kind.LENT;
        Object completion = read.finish();
        if (lent) {
            try {
                ((LentReadHandler) completion).closed(failure);
            } catch (Throwable thrown) {
                callbackFailed("readLent handler", thrown);
            }
        } else if (completion instanceof CompletableFuture<?> future) {
            future.completeExceptionally(failure);
        } else {
            runChunkCallback((BiConsumer<? super byte[], ? super Throwable>) completion, null, failure);
        }
    }

    /**
     * Runs a readChunk callback; what it throws closes the stream and goes to the loop's funnel in a
     * loop callback (as StreamFuture reports a failed stage), not up this stack, whose caller may be
     * the application's own code.
     */
    private void runChunkCallback(BiConsumer<? super byte[], ? super Throwable> callback,
            byte @Nullable [] chunk, @Nullable Throwable failure) {
        try {
            callback.accept(chunk, failure);
        } catch (Throwable thrown) {
            callbackFailed("readChunk callback", thrown);
        }
    }

    /**
     * Lends the buffered bytes to a readLent handler; the bytes it consumed leave the buffer. The
     * buffer's array must stay as it is meanwhile ({@code lending} keeps socket reads and startTls
     * off it). A handler that consumed nothing of a full buffer can never make progress: the
     * stream fails as an unsatisfiable read.
     */
    private void lend(LentReadHandler handler) {
        int consumed;
        lending = true;
        try {
            consumed = readBuffer.lendTo(handler);
        } catch (Throwable thrown) {
            lending = false;
            callbackFailed("readLent handler", thrown);
            return;
        }
        lending = false;
        if (consumed == 0 && readBuffer.size() >= maxBufferSize) {
            failUnsatisfiable(new UnsatisfiableReadException("readLent's handler consumed nothing of "
                    + readBuffer.size() + " buffered bytes, and maxBufferSize (" + maxBufferSize
                    + ") lets no more arrive"));
        }
    }

    /**
     * What a read's callback or handler threw: closes the stream with it and throws it to the loop's
     * funnel in a loop callback (as StreamFuture reports a failed stage), not up this stack, whose
     * caller may be the application's own code.
     */
    private void callbackFailed(String what, Throwable thrown) {
        close(thrown);
        loop.addCallback(new CallbackFailure(this, what, thrown));
    }

    /** Throws a read callback's failure to the loop's funnel (handleCallbackException). */
    private record CallbackFailure(IOStream stream, String what, Throwable thrown) implements Runnable {
        @Override
        public void run() {
            if (thrown instanceof Error error) {
                throw error;
            }
            if (thrown instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new java.util.concurrent.CompletionException(thrown);
        }

        @Override
        public String toString() {
            return "failure of a " + what + " on " + stream + " (the stream is closed)";
        }
    }

    private void failUnsatisfiable(UnsatisfiableReadException cause) {
        log.info("Unsatisfiable read, closing the stream: {}", cause.getMessage());
        unsatisfiable = true;
        close(cause);
    }

    // ----------------------------------------------------------------------------------- writes

    /**
     * Writes {@code data}; = {@code write(ByteBuffer.wrap(data))}. The array is not copied: do not
     * change it until the future completes.
     *
     * @param data the bytes to write
     * @return completes once these bytes (and all written before them) reached the socket
     */
    public CompletableFuture<Void> write(byte[] data) {
        return write(ByteBuffer.wrap(Objects.requireNonNull(data, "'data' must not be null")));
    }

    /**
     * Queues {@code data}'s remaining bytes for writing and, when nothing else is queued, writes as
     * much as the socket takes at once. Loop thread only. The stream takes ownership of the buffer
     * (no copy) until the future completes.
     *
     * @param data the bytes to write, from its position to its limit
     * @return completes once these bytes (and all before them) reached the socket; fails with
     *     {@link StreamBufferFullException} (nothing queued, stream open) if the queue would exceed
     *     {@code maxWriteBufferSize}, or {@link StreamClosedException} if the stream is or gets closed
     */
    public CompletableFuture<Void> write(ByteBuffer data) {
        Objects.requireNonNull(data, "'data' must not be null");
        assert onLoopThread() : "IOStream used off its loop's thread: " + Thread.currentThread();
        CompletableFuture<Void> future = new StreamFuture<>(this);
        if (closed) {
            future.completeExceptionally(closedException());
            return future;
        }
        try {
            checkWriteLimit(data);
        } catch (StreamBufferFullException e) {
            future.completeExceptionally(e);
            return future;
        }
        enqueue(data, future);
        return future;
    }

    /**
     * Writes {@code data} as {@link #write(ByteBuffer)} does, without making a future for it: for a
     * caller that does not wait for each write (a server answering requests), which saves an object
     * per write. {@link #whenWritten()} gives a future when the caller does want to wait. A write
     * that fails later closes the stream with the cause, as it fails {@code write}'s future. Loop
     * thread only. The stream takes ownership of the buffer (no copy) until its bytes are written
     * ({@link #writeBufferSize()} back to what was queued before it, or {@code whenWritten()}).
     *
     * @param data the bytes to write, from its position to its limit
     * @return true if queued (perhaps written already); false if the stream is closed (nothing
     *     queued)
     * @throws StreamBufferFullException if the queue would exceed {@code maxWriteBufferSize}
     *     (nothing queued, the stream stays open)
     */
    public boolean writeWithoutFuture(ByteBuffer data) throws StreamBufferFullException {
        Objects.requireNonNull(data, "'data' must not be null");
        assert onLoopThread() : "IOStream used off its loop's thread: " + Thread.currentThread();
        if (closed) {
            return false;
        }
        checkWriteLimit(data);
        enqueue(data, null);
        return true;
    }

    /**
     * A future that completes once every byte written so far (by any write) reached the socket:
     * completed already when nothing is queued. Made when asked, so writes without a future cost
     * nothing until someone waits (back-pressure: "wait until my replies drained"). Loop thread
     * only.
     *
     * @return completes once the queue written so far is drained; fails with
     *     {@link StreamClosedException} if the stream is or gets closed first
     */
    public CompletableFuture<Void> whenWritten() {
        assert onLoopThread() : "IOStream used off its loop's thread: " + Thread.currentThread();
        CompletableFuture<Void> pending = writeQueue.tailFuture(() -> new StreamFuture<>(this));
        if (pending != null) {
            return pending;
        }
        CompletableFuture<Void> future = new StreamFuture<>(this);
        if (closed) {
            future.completeExceptionally(closedException());
        } else {
            future.complete(null);
        }
        return future;
    }

    private void checkWriteLimit(ByteBuffer data) throws StreamBufferFullException {
        long queued = writeQueue.bytes() + data.remaining();
        if (maxWriteBufferSize > 0 && queued > maxWriteBufferSize) {
            throw new StreamBufferFullException("writing " + data.remaining()
                    + " bytes would queue " + queued + ", over maxWriteBufferSize (" + maxWriteBufferSize + ")");
        }
    }

    private void enqueue(ByteBuffer data, @Nullable CompletableFuture<Void> future) {
        boolean wasEmpty = writeQueue.isEmpty();
        writeQueue.add(data, future);
        if (wasEmpty) {
            handleWrite();
        }
        updateInterest();
    }

    /** Writes queued buffers until the socket is full or the queue is empty; completes their futures. */
    private void handleWrite() {
        if (flushing) {
            return; // an outer handleWrite further up the stack continues with what was queued
        }
        flushing = true;
        try {
            for (int i = 0; i < MAX_WRITES_PER_EVENT && !closed && !writeQueue.isEmpty(); i++) {
                long n = writeQueue.writeTo(transport);
                boolean socketTookAll = writeQueue.lastWriteComplete(n);
                // TLS holds encrypted records until the socket takes them: a write is done only then
                boolean flushed = transport.flushed();
                while (flushed && !closed && writeQueue.headWritten()) {
                    CompletableFuture<Void> done = writeQueue.removeHead();
                    if (done != null) {
                        done.complete(null);
                    }
                }
                if (!flushed) {
                    // the buffers it took whole are the caller's again (it copied them: TLS records, an io_uring
                    // socket's own buffer), as writeWithoutFuture promises once writeBufferSize() says so; their
                    // futures still wait for the flush
                    writeQueue.releaseTaken();
                }
                if (!socketTookAll || !flushed) {
                    break;
                }
            }
        } catch (IOException e) {
            close(e);
        } finally {
            flushing = false;
        }
    }

    // ------------------------------------------------------------------------------------ events

    /**
     * The loop's handler: ERROR closes; the transport does its own I/O first (a TLS handshake, and
     * nothing else happens until it finished); then READ fills the buffer, WRITE drains the queue.
     */
    private void onEvents(@Nullable SelectableChannel ignored, int events) {
        if (closed) {
            return; // a stale event after close
        }
        if ((events & IOLoop.ERROR) != 0) {
            close(new ClosedChannelException());
            return;
        }
        try {
            if (!transport.prepare(events)) {
                updateInterest();
                return;
            }
        } catch (IOException e) {
            close(e);
            return;
        }
        if (tlsHandshake != null) {
            tlsHandshakeDone();
            if (closed) {
                return;
            }
            events |= IOLoop.READ | IOLoop.WRITE; // what arrived with the last flight, what was queued meanwhile
        }
        if ((events & IOLoop.READ) != 0) {
            handleRead();
        }
        if (!closed && (events & IOLoop.WRITE) != 0) {
            handleWrite();
        }
        updateInterest();
    }

    /**
     * Reads from the socket while a read needs data or the idle buffer has room, and delivers
     * what arrived. Stops after a short read (the socket is drained; the loop is level-triggered
     * and calls again) or after a few full reads (fairness to the loop's other streams). The read
     * buffer borrows the loop thread's shared array while this runs and gives it back at the end.
     */
    private void handleRead() {
        if (lending) {
            return; // the buffer's array is lent to a handler up the stack; the next event reads
        }
        try {
            readAndDeliver();
        } finally {
            readBuffer.releaseShared();
        }
    }

    private void readAndDeliver() {
        for (int i = 0; i < MAX_READS_PER_EVENT && wantsRead(); i++) {
            int n;
            boolean full;
            try {
                if (read.kind() == PendingRead.Kind.INTO) {
                    n = readIntoTarget();
                    full = lastReadFull;
                } else {
                    int cap = read.kind() != null ? pendingReadCap : idleReadCap;
                    n = readBuffer.readFrom(transport, cap - readBuffer.size());
                    full = readBuffer.lastReadFilled();
                }
            } catch (IOException e) {
                close(e);
                return;
            }
            if (n < 0) {
                close(); // the peer's EOF; buffered data still satisfies reads (close delivers it)
                return;
            }
            if (n == 0) {
                return;
            }
            deliverReads();
            if (!full) {
                return;
            }
        }
    }

    /** Reads from the socket straight into a pending readInto's buffer, at most MAX_IO_BYTES at once. */
    private int readIntoTarget() throws IOException {
        ByteBuffer target = read.target();
        int limit = target.limit();
        target.limit(target.position() + Math.min(target.remaining(), ReadBuffer.MAX_IO_BYTES));
        try {
            int offered = target.remaining();
            int n = transport.read(target);
            if (n > 0) {
                read.addDirect(n);
            }
            lastReadFull = n == offered;
            return n;
        } finally {
            target.limit(limit);
        }
    }

    private boolean wantsRead() {
        if (closed) {
            return false;
        }
        if (read.kind() == PendingRead.Kind.INTO) {
            return true;
        }
        return readBuffer.size() < (read.kind() != null ? pendingReadCap : idleReadCap);
    }

    /**
     * Registers exactly the interest wanted now: READ while reading or below the idle cap, WRITE
     * while queued (as the transport translates them). Input the transport holds itself (TLS
     * records read with an earlier burst) gets no readiness event, so a callback reads it.
     */
    private void updateInterest() {
        if (closed) {
            return;
        }
        boolean wantsRead = wantsRead();
        if (wantsRead && !kickScheduled && transport.hasBufferedInput()) {
            kickScheduled = true;
            loop.addCallback(() -> {
                kickScheduled = false;
                onEvents(channel, IOLoop.READ);
            });
        }
        int mask = transport.interest(wantsRead, !writeQueue.isEmpty());
        if (mask == registeredMask || (registeredMask < 0 && mask == IOLoop.NONE)) {
            return;
        }
        try {
            if (socket != null) {
                if (registeredMask < 0) {
                    socket.start(events -> onEvents(null, events));
                }
                socket.interest(mask);
            } else if (registeredMask < 0) {
                loop.addHandler(channel(), handler, mask);
            } else {
                loop.updateHandler(channel(), mask);
            }
            registeredMask = mask;
        } catch (RuntimeException e) {
            // e.g. the channel was closed under the stream: a stream failure like any other
            close(e);
        }
    }

    // --------------------------------------------------------------------------------------- TLS

    /**
     * Switches this stream to TLS (Tornado's {@code start_tls}, for STARTTLS-style protocols):
     * from now on reads return decrypted bytes and writes are encrypted, with every promise above
     * unchanged. Loop thread only. Bytes already read and not consumed are taken as the peer's
     * first TLS records (a client that sends its hello early loses nothing). The handshake runs on
     * readiness events, its delegated tasks on the loop's default executor; writes made before it
     * finished wait for it; reads see data only after it.
     *
     * <p>Tornado returns a new {@code SSLIOStream}; here TLS is a mode of the same stream (its
     * transport changes), so the future completes with {@code this}, and its close callback,
     * {@link #whenClosed()} and limits carry on.
     *
     * @param options server or client side, context, hostname, ALPN, handshake timeout
     * @return completes with this stream on the loop thread once the handshake finished; fails
     *     with {@link StreamClosedException} whose cause names the problem (an
     *     {@link javax.net.ssl.SSLHandshakeException}: untrusted or expired certificate, hostname
     *     mismatch, not TLS at all, timeout) when the stream closes first, as it does on any of those
     * @throws IllegalStateException if a read or a write is pending, or TLS was already started
     * @throws IllegalArgumentException if client-side options verify the hostname but name none
     */
    public CompletableFuture<IOStream> startTls(TlsOptions options) {
        Objects.requireNonNull(options, "'options' must not be null");
        assert onLoopThread() : "IOStream used off its loop's thread: " + Thread.currentThread();
        if (closed) {
            return CompletableFuture.failedFuture(closedException());
        }
        if (transport instanceof TlsTransport) {
            throw new IllegalStateException("TLS was already started on " + this);
        }
        if (lending) {
            throw new IllegalStateException("startTls refused inside a readLent handler on " + this
                    + ": the buffered bytes are lent; start TLS after the handler returned");
        }
        if (reading() || writing()) {
            throw new IllegalStateException("startTls refused: a " + (reading() ? "read" : "write")
                    + " is pending on " + this + "; wait for its future to complete first");
        }
        if (!options.serverSide() && options.verifyHostname() && options.serverHostname() == null) {
            throw new IllegalArgumentException("client TLS options must name 'serverHostname' to verify the server's"
                    + " certificate (withServerHostname), or turn verification off (withVerifyHostname(false))");
        }
        SocketChannel channel = this.channel;
        if (channel == null) {
            throw new UnsupportedOperationException("startTls is not supported on a stream over a StreamSocket ("
                    + this + "): TLS runs on a SocketChannel stream (a loop on the selector or Netty NIO backend)");
        }
        int port = channel.socket().getPort();
        TlsTransport tls;
        try {
            tls = new TlsTransport(channel, loop, options.newEngine(options.serverHostname(), port),
                    readBuffer.take(readBuffer.size()), options.handshakeTimeout(), new TlsEvents());
        } catch (IOException | RuntimeException e) {
            close(e);
            return CompletableFuture.failedFuture(closedException());
        }
        transport = tls;
        CompletableFuture<IOStream> handshake = new CompletableFuture<>();
        tlsHandshake = handshake;
        onEvents(channel, IOLoop.READ | IOLoop.WRITE); // the client's hello goes out now
        return handshake;
    }

    /** Switches to TLS as Tornado's {@code start_tls(server_side, ssl_options, server_hostname)}; see {@link #startTls(TlsOptions)}. */
    public CompletableFuture<IOStream> startTls(boolean serverSide, javax.net.ssl.SSLContext context,
            @Nullable String serverHostname) {
        TlsOptions options = serverSide ? TlsOptions.server(context) : TlsOptions.client(context);
        return startTls(options.withServerHostname(serverHostname));
    }

    /** The handshake just finished (on an event): completes startTls's future before the stream reads. */
    private void tlsHandshakeDone() {
        CompletableFuture<IOStream> handshake = tlsHandshake;
        tlsHandshake = null;
        if (handshake != null) {
            handshake.complete(this);
        }
    }

    /** What the TLS transport tells this stream between events. */
    private final class TlsEvents implements Transport.Events {
        @Override
        public void resume() {
            if (!closed) {
                onEvents(channel, IOLoop.READ | IOLoop.WRITE); // spurious readiness is harmless: the socket is non-blocking
            }
        }

        @Override
        public void failed(Throwable cause) {
            close(cause);
        }
    }

    /**
     * The TLS session: the handshake's while it runs, then the negotiated one (protocol, cipher
     * suite, peer certificates). Loop thread only.
     *
     * @return the session, or null if TLS was not started
     */
    public javax.net.ssl.@Nullable SSLSession sslSession() {
        return transport instanceof TlsTransport ? ((TlsTransport) transport).session() : null;
    }

    /**
     * The application protocol agreed on by ALPN. Loop thread only.
     *
     * @return the protocol, or null without TLS, without ALPN, or before the handshake finished
     */
    public @Nullable String applicationProtocol() {
        return transport instanceof TlsTransport ? ((TlsTransport) transport).applicationProtocol() : null;
    }

    // ------------------------------------------------------------------------------------- close

    /** Closes the stream without an error; = {@code close(null)}. Idempotent. Loop thread only. */
    @Override
    public void close() {
        close(null);
    }

    /**
     * Closes the stream, recording {@code cause} as {@link #error()}: the one funnel every failure
     * goes through. Reads that buffered data satisfies still complete; the pending read otherwise
     * fails with {@link StreamClosedException} carrying the cause ({@code readUntilClose} completes
     * with the remaining data unless it was the read that broke a limit); every queued write fails;
     * then the close callback runs. Idempotent. Loop thread only.
     *
     * @param cause why it closes, or {@code null} for a clean close
     */
    public void close(@Nullable Throwable cause) {
        assert onLoopThread() : "IOStream closed off its loop's thread: " + Thread.currentThread();
        if (closed) {
            return;
        }
        closed = true;
        if (cause != null) {
            error = cause;
            if (cause instanceof IOException && !(cause instanceof UnsatisfiableReadException)) {
                log.debug("Closing stream {} after an I/O error", this, cause);
            }
        }
        if (registeredMask >= 0 && channel != null) { // a StreamSocket stops calling its stream once closed
            try {
                loop.removeHandler(channel);
            } catch (RuntimeException e) {
                log.debug("Could not remove the handler of {}", this, e);
            }
        }
        try {
            transport.close(); // TLS: close_notify first, if the socket takes it at once
        } catch (IOException e) {
            log.debug("Error closing {}", this, e);
        } catch (RuntimeException e) { // a StreamSocket's bug: reported, and the close goes on (futures, callback)
            log.warn("Unexpected failure closing {}; the stream is closed anyway", this, e);
        }
        deliverReads();
        if (tlsHandshake != null) {
            CompletableFuture<IOStream> handshake = tlsHandshake;
            tlsHandshake = null;
            handshake.completeExceptionally(closedException());
        }
        while (!writeQueue.isEmpty()) {
            CompletableFuture<Void> write = writeQueue.removeHead();
            if (write != null) {
                write.completeExceptionally(closedException());
            }
        }
        if (delivering) {
            closeSignalPending = true; // the read started in a callback on the stack fails first
        } else {
            signalClosed();
        }
    }

    private void signalClosed() {
        Runnable callback = closeCallback;
        closeCallback = null;
        if (callback != null) {
            runCloseCallback(callback);
        }
        Runnable listeners = closeListeners;
        closeListeners = null;
        if (listeners != null) {
            runCloseCallback(listeners);
        }
        closeFuture.complete(null);
    }

    private static void runCloseCallback(Runnable callback) {
        try {
            callback.run();
        } catch (RuntimeException e) {
            log.error("Close callback {} failed", callback, e);
        }
    }

    /** For assertions: on the loop's thread, or the loop is not running (set-up and tear-down). */
    private boolean onLoopThread() {
        return loop.thread() == null || loop.inLoopThread();
    }

    private StreamClosedException closedException() {
        return new StreamClosedException(error == null ? "Stream is closed" : "Stream is closed: " + error, error);
    }

    /**
     * Whether the stream is closed (by either side or an error). Loop thread only.
     *
     * @return true once closed
     */
    public boolean closed() {
        return closed;
    }

    /**
     * Whether a read is pending. Loop thread only.
     *
     * @return true while a read's future is not complete
     */
    public boolean reading() {
        return read.kind() != null;
    }

    /**
     * Whether writes are queued and not yet written. Loop thread only.
     *
     * @return true while the write queue holds bytes (or empty writes not yet reached)
     */
    public boolean writing() {
        return !writeQueue.isEmpty();
    }

    /**
     * Why the stream closed. Loop thread only.
     *
     * @return the cause given to close, the I/O error or the {@link UnsatisfiableReadException};
     *     null while open or after a clean close
     */
    public @Nullable Throwable error() {
        return error;
    }

    /**
     * Sets the callback run once on the loop thread when the stream closes, after the pending
     * futures have failed. If the stream is already closed it runs on the next loop iteration.
     * Replaces any earlier callback; {@link #whenClosed()} allows more than one listener.
     *
     * @param callback the callback, or {@code null} to clear it
     */
    public void setCloseCallback(@Nullable Runnable callback) {
        if (closed && !closeSignalPending && callback != null) {
            loop.addCallback(() -> runCloseCallback(callback));
            return;
        }
        closeCallback = callback;
    }

    /**
     * Runs {@code action} on the loop thread once the stream has closed, after the close callback
     * and before the stages of {@link #whenClosed()}; if the stream has already closed, on the next
     * loop iteration. Unlike {@code whenClosed().thenRun(action)} it makes no stages, so an owner
     * tracking many streams ({@link dev.ioloop.tcp.TCPServer}) pays only for {@code action} per
     * open stream. Each call adds an action; an exception from one is logged at ERROR (as the close
     * callback's) and the others still run. Loop thread only.
     *
     * @param action what to run once the stream has closed
     */
    public void onClosed(Runnable action) {
        Objects.requireNonNull(action, "'action' must not be null");
        assert onLoopThread() : "IOStream used off its loop's thread: " + Thread.currentThread();
        if (closeFuture.isDone()) {
            loop.addCallback(() -> runCloseCallback(action));
            return;
        }
        Runnable earlier = closeListeners;
        closeListeners = earlier == null ? action : () -> {
            runCloseCallback(earlier);
            runCloseCallback(action);
        };
    }

    /**
     * A stage completed (on the loop thread, after the close callback) once the stream has closed.
     * Each call returns a new stage; completing it does not affect the stream.
     *
     * @return the stage
     */
    public CompletionStage<Void> whenClosed() {
        return closeFuture.minimalCompletionStage();
    }

    /**
     * Sets {@code TCP_NODELAY} (disables Nagle's algorithm when true). No-op once closed; an error
     * setting it is logged at DEBUG (the socket may have just been reset).
     *
     * @param value whether to send small writes at once
     */
    public void setNodelay(boolean value) {
        if (closed) {
            return;
        }
        try {
            if (socket != null) {
                socket.setNoDelay(value);
            } else {
                channel().setOption(StandardSocketOptions.TCP_NODELAY, value);
            }
        } catch (IOException e) {
            log.debug("Could not set TCP_NODELAY on {}", this, e);
        }
    }

    /**
     * Returns whether {@code TCP_NODELAY} is set on the stream's socket (see {@link #setNodelay}). Loop thread only.
     *
     * @return the option's value; false once closed or when the socket cannot tell (reset, say)
     */
    public boolean nodelay() {
        if (closed) {
            return false;
        }
        try {
            return socket != null ? socket.noDelay() : channel().getOption(StandardSocketOptions.TCP_NODELAY);
        } catch (IOException | RuntimeException e) {
            log.debug("Could not read TCP_NODELAY of {}", this, e);
            return false;
        }
    }

    /**
     * The channel this stream wraps.
     *
     * @return the channel (non-blocking; closed once the stream is); null for a stream over a
     *     {@link StreamSocket}, which has no {@code java.nio} channel
     */
    public SocketChannel channel() {
        return channel;
    }

    /**
     * The loop this stream runs on.
     *
     * @return the loop
     */
    public IOLoop ioLoop() {
        return loop;
    }

    /**
     * Bytes read from the socket and not yet consumed by a read. Loop thread only.
     *
     * @return the count, in bytes
     */
    public int readBufferSize() {
        return readBuffer.size();
    }

    /**
     * The read buffer's current size in memory. Loop thread only.
     *
     * @return its capacity, in bytes
     */
    public int readBufferCapacity() {
        return readBuffer.capacity();
    }

    /**
     * The buffer memory the transport holds of its own: 0 for plain TCP; for TLS its records read
     * and not yet decrypted, encrypted and not yet written, and decrypted plaintext waiting.
     * Loop thread only.
     *
     * @return the capacity, in bytes
     */
    public int transportBufferCapacity() {
        return transport.bufferCapacity();
    }

    /**
     * Bytes queued for writing and not yet written. Loop thread only.
     *
     * @return the count, in bytes
     */
    public long writeBufferSize() {
        return writeQueue.bytes();
    }

    @Override
    public String toString() {
        SocketChannel channel = this.channel;
        Object local = channel != null ? channel.socket().getLocalSocketAddress() : socket().localAddress();
        Object remote = channel != null ? channel.socket().getRemoteSocketAddress() : socket().remoteAddress();
        return "IOStream[" + local + " -> " + remote + (closed ? ", closed" : "") + "]";
    }

    private StreamSocket socket() {
        return Objects.requireNonNull(socket);
    }
}
