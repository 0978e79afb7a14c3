package dev.ioloop.sample.server;

import dev.ioloop.iostream.IOStream;
import dev.ioloop.iostream.StreamBufferFullException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client's replies on their way to its socket, under Redis's {@code client-output-buffer-limit}: a write that
 * would take the unwritten replies over the hard limit closes the client instead, and replies that stay over the
 * soft limit for soft-seconds close it too, each with one WARN line naming the client (as Redis logs it).
 *
 * <p>Threading: the connection's loop, except {@link #fitsHardLimit} and {@link #overLimit}, which the data loop may
 * call for a batch it encodes (the stream is then closed on its own loop).
 */
final class ClientOutput {

    private static final Logger log = LoggerFactory.getLogger(ClientOutput.class);

    private final IOStream stream;
    private final RuntimeConfig config;
    // ordering: set on the data loop when the client subscribes or unsubscribes, read on the connection loop when it
    // writes; volatile, and no other state depends on it (the next write simply uses the other class's limits)
    private volatile boolean pubsub;
    private final RedisServer server;
    private final long clientId;
    // Connection loop only: since when (loop time) replies are over soft.
    private double overSoftSince = -1;

    /**
     * A client's output limits, in bytes (0: none).
     *
     * @param hard unwritten replies at which the client is closed at once
     * @param soft unwritten replies the client may have for at most {@code softSeconds}
     * @param softSeconds how long over {@code soft} closes the client
     */
    record Limits(long hard, long soft, Duration softSeconds) {
    }

    ClientOutput(IOStream stream, RuntimeConfig config, RedisServer server, long clientId) {
        this.stream = stream;
        this.config = config;
        this.server = server;
        this.clientId = clientId;
    }

    /** The limits of the client's class now (CONFIG SET may change them; subscribing makes it a pub/sub client). */
    private Limits limits() {
        return config.limits(pubsub);
    }

    /** Makes this a pub/sub client (Redis's pubsub class of limits) or a normal one again. Any thread. */
    void setPubsub(boolean pubsub) {
        this.pubsub = pubsub;
    }

    /**
     * Completes once every reply handed to the stream so far reached the socket (made when asked: replies are written
     * without a future each). Connection loop.
     */
    CompletableFuture<Void> whenWritten() {
        return stream.whenWritten();
    }

    /** Bytes of replies the stream has not written yet. Connection loop. */
    long unwritten() {
        return stream.writeBufferSize();
    }

    /**
     * Hands one part of the replies to the stream; returns false, having closed the client, if it would take the
     * unwritten replies over the hard limit or the stream is closed. Starts the soft limit's clock when over it.
     * Connection loop.
     */
    boolean write(ByteBuffer part) {
        if (stream.closed()) {
            return false;
        }
        long unwritten = stream.writeBufferSize() + part.remaining();
        if (!fitsHardLimit(0, unwritten)) {
            return false;
        }
        try {
            // no future per reply: nobody waits for one write; whenWritten() gives one to who waits for all of them
            if (!stream.writeWithoutFuture(part)) {
                return false; // closed under us (its cause is logged there)
            }
        } catch (StreamBufferFullException e) {
            stream.close(e); // the stream's own limit (a bug let it fill past the hard limit): close
            return false;
        }
        Limits limits = limits();
        if (limits.soft() > 0 && stream.writeBufferSize() > limits.soft() && overSoftSince < 0) {
            overSoftSince = stream.ioLoop().time();
            stream.ioLoop().callLater(limits.softSeconds(), this::checkSoftLimit);
        }
        return true;
    }

    /**
     * Whether {@code more} reply bytes fit under the hard limit with {@code unwritten} bytes still queued; if not,
     * closes the client (see {@link #overLimit}) and returns false. Any loop.
     */
    boolean fitsHardLimit(long unwritten, long more) {
        Limits limits = limits();
        if (limits.hard() > 0 && unwritten + more > limits.hard()) {
            overLimit("hard", limits.hard(), unwritten + more);
            return false;
        }
        return true;
    }

    /** The replies drained to the socket: the soft limit's clock stops. Connection loop. */
    void drained() {
        overSoftSince = -1;
    }

    /** Closes the client if its replies stayed over the soft limit since the clock started. Connection loop. */
    private void checkSoftLimit() {
        if (overSoftSince < 0 || stream.closed()) {
            return;
        }
        long unwritten = stream.writeBufferSize();
        Limits limits = limits();
        if (limits.soft() <= 0 || unwritten <= limits.soft()) {
            overSoftSince = -1;
            return;
        }
        double left = limits.softSeconds().toNanos() / 1e9 - (stream.ioLoop().time() - overSoftSince);
        if (left > 0) {
            stream.ioLoop().callLater(left, this::checkSoftLimit);
            return;
        }
        overLimit("soft", limits.soft(), unwritten);
    }

    /** Closes the client for its output (on its loop), with one WARN line naming it. Any loop. */
    private void overLimit(String which, long limit, long bytes) {
        log.warn("Client id={} addr={} closed for overcoming of output buffer limits: {} replies unwritten, over the"
                + " {} limit of {} bytes (sample.redis.client-output-buffer-limit.{})", clientId, remote(), bytes,
                which, limit, which);
        // ordering: counted after the WARN line is written, so whoever sees the count (INFO, a test) also finds the line
        server.recordOutputLimitClose();
        if (stream.ioLoop().inLoopThread()) {
            stream.close();
        } else {
            stream.ioLoop().execute(stream::close);
        }
    }

    private String remote() {
        try {
            return String.valueOf(stream.channel().getRemoteAddress());
        } catch (java.io.IOException | RuntimeException e) {
            return "?";
        }
    }

    static Throwable failure(CompletableFuture<?> future) {
        try {
            future.join();
            return new IllegalStateException("not failed");
        } catch (java.util.concurrent.CompletionException e) {
            return e.getCause() == null ? e : e.getCause();
        } catch (java.util.concurrent.CancellationException e) {
            return e;
        }
    }
}
