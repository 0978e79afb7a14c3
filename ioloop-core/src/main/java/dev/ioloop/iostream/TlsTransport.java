package dev.ioloop.iostream;

import java.io.IOException;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLSession;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.ioloop.IOLoop;
import dev.ioloop.Timeout;

/**
 * TLS over the socket, on the JDK's {@link SSLEngine}: plaintext in {@link #read}/{@link #write},
 * records on the wire. Tornado's {@code SSLIOStream} internals and Netty's {@code SslHandler}.
 *
 * <ul>
 *   <li>The handshake runs in {@link #prepare} on readiness events; the stream neither reads nor
 *       writes until it finished. Delegated tasks (certificate checks, key exchange) run on the
 *       loop's default executor, never on the loop; the socket is left alone meanwhile and
 *       {@link Transport.Events#resume()} restarts it. A handshake not finished within the
 *       timeout fails the stream with an {@link SSLHandshakeException} saying so.
 *   <li>Memory is bounded: one buffer of records read and not yet decrypted (one record, growing
 *       to {@value #MAX_RECORDS} for bursts), one of records encrypted and not yet written (the
 *       same), and one record of decrypted plaintext that did not fit the stream's buffer.
 *   <li>Plaintext handed to {@link #write} is taken once encrypted; {@link #flushed()} says
 *       whether its records reached the socket, so a write's future completes only then.
 *   <li>End of input: the peer's {@code close_notify} is the end of the stream; so is the socket's
 *       EOF at a record boundary without one (as Python's {@code suppress_ragged_eofs}), while an
 *       EOF inside a record fails as a truncated record. {@link #close()} sends {@code close_notify}
 *       (or the alert a failed handshake left) when the socket takes it at once.
 *   <li>After the handshake, TLS 1.2 renegotiation by the peer fails the stream; TLS 1.3's
 *       post-handshake messages (session tickets, key updates) are handled.
 * </ul>
 *
 * <p>Loop thread only, except the delegated tasks (see the ordering comment in
 * {@link #runDelegatedTasks()}).
 */
final class TlsTransport extends Transport {

    private static final Logger log = LoggerFactory.getLogger(TlsTransport.class);

    /** The most records one network buffer grows to hold (for bursts; it starts at one). */
    static final int MAX_RECORDS = 4;

    /** A TLS record header: type (1), version (2), length (2). */
    private static final int RECORD_HEADER = 5;

    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);

    private final SocketChannel channel;
    private final SSLEngine engine;
    private final IOLoop loop;
    private final Events events;
    private final @Nullable SocketAddress peer;
    private final int packetSize;
    /** Records read from the socket, not yet decrypted; fill mode (position = end of data). */
    private ByteBuffer netIn;
    /** Records encrypted, not yet written to the socket; fill mode. */
    private ByteBuffer netOut;
    /** Decrypted plaintext that did not fit the caller's buffer; read mode; null until needed. */
    private @Nullable ByteBuffer spill;
    private @Nullable Timeout handshakeTimer;
    private final Duration handshakeTimeout;
    private boolean handshakeDone;
    private boolean tls13;
    private boolean tasksRunning;
    private boolean inboundDone;
    private boolean closed;
    /** A delegated task's failure, thrown by the next {@link #prepare}. */
    private @Nullable IOException taskFailure;

    /**
     * Starts a handshake on a connected channel. Loop thread only.
     *
     * @param early bytes already read from the socket, taken as the first records
     */
    TlsTransport(SocketChannel channel, IOLoop loop, SSLEngine engine, byte[] early, Duration handshakeTimeout,
            Events events) throws SSLException {
        this.channel = channel;
        this.engine = engine;
        this.loop = loop;
        this.events = events;
        this.peer = channel.socket().getRemoteSocketAddress();
        this.handshakeTimeout = handshakeTimeout;
        this.packetSize = engine.getSession().getPacketBufferSize();
        this.netIn = ByteBuffer.allocate(Math.max(packetSize, early.length));
        this.netIn.put(early);
        this.netOut = ByteBuffer.allocate(packetSize);
        engine.beginHandshake();
        this.handshakeTimer = loop.callLater(handshakeTimeout, this::handshakeTimedOut);
    }

    /** The session: the handshake's while it runs, then the negotiated one. */
    SSLSession session() {
        SSLSession handshaking = handshakeDone ? null : engine.getHandshakeSession();
        return handshaking != null ? handshaking : engine.getSession();
    }

    /** The ALPN protocol agreed on, or null (none, or the handshake has not finished). */
    @Nullable String applicationProtocol() {
        String protocol = handshakeDone ? engine.getApplicationProtocol() : null;
        return protocol == null || protocol.isEmpty() ? null : protocol;
    }

    /** Whether the handshake has finished. */
    boolean handshakeDone() {
        return handshakeDone;
    }

    // ----------------------------------------------------------------------------- the stream's calls

    @Override
    boolean prepare(int events) throws IOException {
        if (taskFailure != null) {
            throw taskFailure;
        }
        if (tasksRunning) {
            return false;
        }
        try {
            if (!handshakeDone && !handshake()) {
                return false;
            }
            HandshakeStatus status = tls13 ? engine.getHandshakeStatus() : HandshakeStatus.NOT_HANDSHAKING;
            if (status != HandshakeStatus.NOT_HANDSHAKING) {
                afterPostHandshakeRecord(status); // e.g. a TLS 1.3 server's session ticket
            }
            if ((events & IOLoop.WRITE) != 0) {
                flush();
            }
            return !tasksRunning;
        } catch (SSLException e) {
            throw TlsFailures.describe(e, handshakeDone, peer);
        } catch (RuntimeException e) {
            throw TlsFailures.engineFailed(e, peer);
        }
    }

    @Override
    int interest(boolean streamReads, boolean streamWrites) {
        if (tasksRunning) {
            return IOLoop.NONE; // the engine belongs to the executor until the tasks are done
        }
        boolean pendingOut = netOut.position() > 0;
        if (!handshakeDone) {
            HandshakeStatus status = engine.getHandshakeStatus();
            boolean unwrap = status == HandshakeStatus.NEED_UNWRAP || status == HandshakeStatus.NEED_UNWRAP_AGAIN;
            return (pendingOut || status == HandshakeStatus.NEED_WRAP ? IOLoop.WRITE : IOLoop.NONE)
                    | (unwrap ? IOLoop.READ : IOLoop.NONE);
        }
        return (streamReads ? IOLoop.READ : IOLoop.NONE) | (streamWrites || pendingOut ? IOLoop.WRITE : IOLoop.NONE);
    }

    @Override
    boolean hasBufferedInput() {
        if (!handshakeDone || tasksRunning) {
            return false;
        }
        return (spill != null && spill.hasRemaining()) || inboundDone || completeRecordBuffered();
    }

    @Override
    int bufferCapacity() {
        return netIn.capacity() + netOut.capacity() + (spill == null ? 0 : spill.capacity());
    }

    @Override
    boolean flushed() {
        return netOut.position() == 0;
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        if (!handshakeDone || tasksRunning) {
            return 0;
        }
        int start = dst.position();
        try {
            readRecords(dst);
        } catch (SSLException e) {
            throw TlsFailures.describe(e, true, peer);
        } catch (RuntimeException e) {
            throw TlsFailures.engineFailed(e, peer);
        }
        int n = dst.position() - start;
        return n == 0 && inboundDone && (spill == null || !spill.hasRemaining()) ? -1 : n;
    }

    /** Decrypts into {@code dst} until it is full, the socket has nothing more, or the input ended. */
    private void readRecords(ByteBuffer dst) throws IOException {
        while (dst.hasRemaining()) {
            if (spill != null && spill.hasRemaining()) {
                drainSpill(dst);
                continue;
            }
            if (inboundDone || tasksRunning) {
                return;
            }
            SSLEngineResult result = unwrap(dst);
            switch (result.getStatus()) {
                case OK:
                    afterPostHandshakeRecord(result.getHandshakeStatus());
                    break;
                case CLOSED:
                    inboundDone = true; // the peer's close_notify: the end of the stream
                    break;
                case BUFFER_UNDERFLOW:
                    if (fill() == 0) {
                        return; // the socket has nothing more now
                    }
                    break;
                default:
                    throw new SSLException("unexpected TLS unwrap result: " + result);
            }
        }
    }

    @Override
    public int write(ByteBuffer src) throws IOException {
        return (int) write(new ByteBuffer[] {src}, 0, 1);
    }

    @Override
    public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
        if (!handshakeDone || tasksRunning) {
            return 0;
        }
        try {
            if (!flush()) {
                return 0;
            }
            long left = 0;
            for (int i = offset; i < offset + length; i++) {
                left += srcs[i].remaining();
            }
            long taken = 0;
            while (taken < left) {
                if (netOut.remaining() < packetSize && !growNetOut(left - taken) && !flush()) {
                    break; // the socket is full: the rest waits for WRITE
                }
                SSLEngineResult result = engine.wrap(srcs, offset, length, netOut);
                if (result.getStatus() == SSLEngineResult.Status.CLOSED) {
                    throw new SSLException("TLS is closed for writing (close_notify was sent)");
                }
                if (result.getStatus() != SSLEngineResult.Status.OK) {
                    throw new SSLException("unexpected TLS wrap result: " + result);
                }
                taken += result.bytesConsumed();
                afterPostHandshakeRecord(result.getHandshakeStatus());
                if (tasksRunning) {
                    break;
                }
            }
            flush();
            return taken;
        } catch (SSLException e) {
            throw TlsFailures.describe(e, true, peer);
        } catch (RuntimeException e) {
            throw TlsFailures.engineFailed(e, peer);
        }
    }

    @Override
    public boolean isOpen() {
        return channel.isOpen();
    }

    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        cancelHandshakeTimer();
        try {
            if (!tasksRunning) {
                sendCloseNotify();
            }
        } catch (IOException | RuntimeException e) {
            log.debug("close_notify not sent to {}", peer, e);
        } finally {
            channel.close();
        }
    }

    /** Best effort: what the engine still has to say (close_notify, or a failed handshake's alert), if the socket takes it now. */
    private void sendCloseNotify() throws IOException {
        engine.closeOutbound();
        for (int i = 0; i < 2 && !engine.isOutboundDone(); i++) {
            if (netOut.remaining() < packetSize && !flush()) {
                return;
            }
            if (engine.wrap(EMPTY, netOut).bytesProduced() == 0) {
                break;
            }
        }
        flush();
    }

    // ------------------------------------------------------------------------------------ handshake

    /** Drives the handshake as far as the socket and the engine allow; true once it finished. */
    private boolean handshake() throws IOException {
        while (!handshakeDone && !tasksRunning) {
            switch (engine.getHandshakeStatus()) {
                case NEED_TASK:
                    runDelegatedTasks();
                    break;
                case NEED_WRAP:
                    if (netOut.remaining() < packetSize && !flush()) {
                        return false; // wait for WRITE
                    }
                    SSLEngineResult wrapped = engine.wrap(EMPTY, netOut);
                    if (wrapped.getStatus() == SSLEngineResult.Status.CLOSED) {
                        throw new SSLHandshakeException("the TLS engine closed during the handshake");
                    }
                    flush();
                    checkFinished(wrapped.getHandshakeStatus());
                    break;
                case NEED_UNWRAP:
                case NEED_UNWRAP_AGAIN:
                    flush();
                    SSLEngineResult unwrapped = unwrap(EMPTY);
                    if (unwrapped.getStatus() == SSLEngineResult.Status.BUFFER_UNDERFLOW && fill() == 0) {
                        return false; // wait for READ
                    }
                    if (unwrapped.getStatus() == SSLEngineResult.Status.CLOSED) {
                        throw new SSLHandshakeException("the peer closed TLS during the handshake");
                    }
                    checkFinished(unwrapped.getHandshakeStatus());
                    break;
                default: // NOT_HANDSHAKING: the last step's result said FINISHED, or the engine is done
                    finishHandshake();
            }
        }
        return handshakeDone;
    }

    private void checkFinished(HandshakeStatus status) {
        if (status == HandshakeStatus.FINISHED) {
            finishHandshake();
        }
    }

    private void finishHandshake() {
        handshakeDone = true;
        tls13 = "TLSv1.3".equals(engine.getSession().getProtocol());
        cancelHandshakeTimer();
    }

    /** After the handshake: TLS 1.3's post-handshake messages are answered; TLS 1.2 renegotiation is refused. */
    private void afterPostHandshakeRecord(HandshakeStatus status) throws IOException {
        if (status == HandshakeStatus.NOT_HANDSHAKING || status == HandshakeStatus.FINISHED) {
            return;
        }
        if (!tls13) {
            throw new SSLException("TLS renegotiation started by the peer was refused (" + engine.getSession().getProtocol()
                    + "; renegotiation is not supported)");
        }
        if (status == HandshakeStatus.NEED_TASK) {
            runDelegatedTasks();
        } else if (status == HandshakeStatus.NEED_WRAP) {
            if (netOut.remaining() < packetSize && !flush()) {
                return; // the engine asks again at the next wrap
            }
            engine.wrap(EMPTY, netOut); // e.g. the answer to a key update
            flush();
        }
    }

    private void runDelegatedTasks() throws IOException {
        tasksRunning = true;
        // ordering: the engine is handed to an executor thread by Executor.execute (a happens-before
        // edge) and not touched on the loop until the tasks are done (tasksRunning keeps reads,
        // writes and interest away from it); the result comes back through the loop's callback
        // queue (runInExecutor completes on the loop thread), a second happens-before edge.
        CompletableFuture<Void> done = loop.runInExecutor(null, () -> {
            Runnable task;
            while ((task = engine.getDelegatedTask()) != null) {
                task.run();
            }
            return null;
        });
        if (done.isCompletedExceptionally()) { // refused at once: the loop is closing
            tasksRunning = false;
            throw new SSLException("TLS delegated task not run: the loop's executor refused it");
        }
        done.whenComplete((ignored, error) -> {
            tasksRunning = false;
            if (closed || !loop.inLoopThread()) {
                return; // the stream closed meanwhile, or the loop did (completed on the executor thread)
            }
            if (error != null) {
                taskFailure = error instanceof SSLException ? TlsFailures.describe((SSLException) error, handshakeDone, peer)
                        : new SSLException("TLS delegated task failed: " + error, error);
            }
            events.resume();
        });
    }

    private void handshakeTimedOut() {
        handshakeTimer = null;
        if (!handshakeDone && !closed) {
            events.failed(new SSLHandshakeException("TLS handshake with " + peer + " did not finish within "
                    + handshakeTimeout + " (handshake timeout)"));
        }
    }

    private void cancelHandshakeTimer() {
        Timeout timer = handshakeTimer;
        handshakeTimer = null;
        if (timer != null) {
            loop.removeTimeout(timer);
        }
    }

    // -------------------------------------------------------------------------------- the buffers

    /** One unwrap of the records buffered; plaintext goes to {@code dst}, or to the spill buffer when it does not fit. */
    private SSLEngineResult unwrap(ByteBuffer dst) throws SSLException {
        netIn.flip();
        try {
            SSLEngineResult result = engine.unwrap(netIn, dst);
            if (result.getStatus() == SSLEngineResult.Status.BUFFER_OVERFLOW) {
                ByteBuffer into = spillBuffer();
                result = engine.unwrap(netIn, into);
                into.flip();
            }
            return result;
        } finally {
            netIn.compact();
        }
    }

    /** The spill buffer, empty and in fill mode, big enough for one record's plaintext. */
    private ByteBuffer spillBuffer() {
        int size = engine.getSession().getApplicationBufferSize();
        if (spill == null || spill.capacity() < size) {
            spill = ByteBuffer.allocate(size);
        }
        spill.clear();
        return spill;
    }

    private void drainSpill(ByteBuffer dst) {
        ByteBuffer from = spill;
        int n = Math.min(from.remaining(), dst.remaining());
        int limit = from.limit();
        from.limit(from.position() + n);
        dst.put(from);
        from.limit(limit);
    }

    /**
     * Reads once from the socket into the record buffer (grown first when a burst filled it).
     *
     * @return the bytes read; 0 if none now
     * @throws SSLException if the peer closed inside a record (truncated) or during the handshake
     */
    private int fill() throws IOException {
        if (!netIn.hasRemaining()) {
            if (netIn.capacity() >= MAX_RECORDS * packetSize) {
                throw new SSLException("TLS record larger than " + netIn.capacity() + " bytes");
            }
            netIn = grow(netIn, netIn.capacity() * 2);
        }
        int room = netIn.remaining();
        int n = channel.read(netIn);
        if (n == room && netIn.capacity() < MAX_RECORDS * packetSize) {
            // a burst filled all the room: read more records per system call from now on
            netIn = grow(netIn, Math.min(MAX_RECORDS * packetSize, netIn.capacity() * 2));
        }
        if (n >= 0) {
            return n;
        }
        if (netIn.position() > 0) {
            throw new SSLException("TLS record truncated: the peer closed the connection " + netIn.position()
                    + " bytes into an incomplete record");
        }
        if (!handshakeDone) {
            throw new SSLHandshakeException("the peer closed the connection during the TLS handshake");
        }
        try {
            engine.closeInbound();
        } catch (SSLException e) {
            log.debug("{} closed without close_notify at a record boundary: taken as the end of the stream", peer);
        }
        inboundDone = true;
        return n;
    }

    /** Grows the outgoing buffer (up to MAX_RECORDS records) when more than fits is waiting to be encrypted. */
    private boolean growNetOut(long waiting) {
        int max = MAX_RECORDS * packetSize;
        if (netOut.capacity() >= max || waiting <= netOut.remaining()) {
            return false;
        }
        netOut = grow(netOut, Math.min(max, netOut.capacity() * 2));
        return netOut.remaining() >= packetSize;
    }

    private static ByteBuffer grow(ByteBuffer fillMode, int capacity) {
        ByteBuffer bigger = ByteBuffer.allocate(capacity);
        fillMode.flip();
        bigger.put(fillMode);
        return bigger;
    }

    /** Writes the encrypted records once; true when none is left. */
    private boolean flush() throws IOException {
        if (netOut.position() == 0) {
            return true;
        }
        netOut.flip();
        try {
            channel.write(netOut);
        } finally {
            netOut.compact();
        }
        return netOut.position() == 0;
    }

    /** Whether the record buffer holds at least one whole record. */
    private boolean completeRecordBuffered() {
        int buffered = netIn.position();
        if (buffered < RECORD_HEADER) {
            return false;
        }
        int length = ((netIn.get(3) & 0xff) << 8) | (netIn.get(4) & 0xff);
        return buffered >= RECORD_HEADER + length;
    }
}
