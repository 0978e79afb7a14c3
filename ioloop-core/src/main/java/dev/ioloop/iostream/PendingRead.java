package dev.ioloop.iostream;

import java.nio.ByteBuffer;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiConsumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

/**
 * The one read a stream may have pending: its kind, its parameters and what it completes (its
 * future, or the callback of a {@code readChunk}), and the test whether the buffered bytes satisfy
 * it (Tornado's {@code _find_read_pos}). One instance per stream, reset for each read, so a read
 * allocates only its future (none for a callback read) and its result.
 *
 * <p>Loop thread only (owned by one {@link IOStream}).
 */
final class PendingRead {

    /** What {@link #tryComplete} returns while the buffered bytes do not satisfy the read. */
    static final Object NOT_YET = new Object();

    /** What {@link #tryComplete} returns when a LENT read may lend the buffered bytes (nothing is taken). */
    static final Object LEND = new Object();

    enum Kind { BYTES, UNTIL, REGEX, CLOSE, INTO, LENT }

    private @Nullable Kind kind;
    /** The read's future, or the callback a {@code readChunk} gave: one field, so idle streams hold no more. */
    private @Nullable Object completion;
    private int numBytes;
    private boolean partial;
    private byte @Nullable [] delimiter;
    private @Nullable Pattern pattern;
    private int maxBytes;
    private int scanned;
    private @Nullable ByteBuffer target;
    private byte @Nullable [] targetArray;
    private int intoCount;

    /** The pending read's kind, or null when none is pending. */
    @Nullable Kind kind() {
        return kind;
    }

    /** Starts a read of {@code kind} completing {@code started}; the caller has checked that none is pending. */
    <T> CompletableFuture<T> start(Kind kind, CompletableFuture<T> started) {
        this.kind = kind;
        this.completion = started;
        return started;
    }

    /** Starts a partial BYTES read delivered to {@code callback}; the caller has checked that none is pending. */
    void startChunk(int maxBytes, BiConsumer<? super byte[], ? super Throwable> callback) {
        this.kind = Kind.BYTES;
        this.completion = callback;
        bytes(maxBytes, true);
    }

    /** Starts a LENT read of at least {@code minBytes} handed to {@code handler}; the caller has checked that none is pending. */
    void startLent(int minBytes, LentReadHandler handler) {
        this.kind = Kind.LENT;
        this.completion = handler;
        this.numBytes = minBytes;
    }

    void bytes(int numBytes, boolean partial) {
        this.numBytes = numBytes;
        this.partial = partial;
    }

    /** Turns a pending {@code readBytes(numBytes)} into a fill of its own result array. */
    void bytesDirect(int numBytes) {
        kind = Kind.INTO;
        partial = false;
        targetArray = new byte[numBytes];
        target = ByteBuffer.wrap(targetArray);
    }

    void until(byte[] delimiter, int maxBytes) {
        this.delimiter = delimiter;
        this.maxBytes = maxBytes;
    }

    void regex(Pattern pattern, int maxBytes) {
        this.pattern = pattern;
        this.maxBytes = maxBytes;
    }

    void into(ByteBuffer target, boolean partial) {
        this.target = target;
        this.partial = partial;
    }

    /** The buffer a pending INTO read fills straight from the socket. */
    ByteBuffer target() {
        return Objects.requireNonNull(target);
    }

    /** Counts bytes read from the socket straight into {@link #target()}. */
    void addDirect(int n) {
        intoCount += n;
    }

    /**
     * Whether the buffered bytes satisfy the read; if so, consumes them.
     *
     * @param buffer the stream's buffer
     * @param maxBufferSize the stream's limit: more buffered without satisfying the read is fatal
     * @return the result (byte[] or Integer), {@link #LEND} for a LENT read, or {@link #NOT_YET}
     * @throws UnsatisfiableReadException if the limits can never let it complete
     */
    Object tryComplete(ReadBuffer buffer, int maxBufferSize) throws UnsatisfiableReadException {
        int size = buffer.size();
        switch (Objects.requireNonNull(kind)) {
            case BYTES:
                if (partial ? size > 0 || numBytes == 0 : size >= numBytes) {
                    return buffer.take(Math.min(numBytes, size));
                }
                break;
            case UNTIL:
                byte[] wanted = Objects.requireNonNull(delimiter);
                int end = buffer.indexAfter(wanted, scanned);
                if (end >= 0) {
                    return buffer.take(checkMaxBytes(end));
                }
                scanned = Math.max(0, size - wanted.length + 1); // the next search resumes here
                checkMaxBytes(size);
                break;
            case REGEX:
                Matcher matcher = Objects.requireNonNull(pattern).matcher(buffer.latin1());
                if (matcher.find()) {
                    return buffer.take(checkMaxBytes(matcher.end()));
                }
                checkMaxBytes(size);
                break;
            case CLOSE:
                break;
            case INTO:
                return fillTarget(buffer);
            case LENT:
                if (size >= numBytes) {
                    return LEND;
                }
                break;
        }
        if (size > maxBufferSize) {
            throw new UnsatisfiableReadException(kind + " read not satisfied within maxBufferSize ("
                    + maxBufferSize + ") bytes");
        }
        return NOT_YET;
    }

    private Object fillTarget(ReadBuffer buffer) {
        ByteBuffer into = Objects.requireNonNull(target);
        intoCount += buffer.takeInto(into);
        if (into.hasRemaining() && !(partial && intoCount > 0)) {
            return NOT_YET;
        }
        return targetArray != null ? targetArray : (Object) intoCount;
    }

    private int checkMaxBytes(int bytes) throws UnsatisfiableReadException {
        if (maxBytes >= 0 && bytes > maxBytes) {
            throw new UnsatisfiableReadException((kind == Kind.UNTIL ? "delimiter" : "pattern " + pattern)
                    + " not found within maxBytes (" + maxBytes + ")");
        }
        return bytes;
    }

    /**
     * Ends the read: returns what it completes (a {@code CompletableFuture}, or a
     * {@code readChunk}'s {@code BiConsumer}, a {@code readLent}'s handler) and forgets every parameter (the next read starts clean).
     */
    Object finish() {
        Object finished = Objects.requireNonNull(completion);
        kind = null;
        completion = null;
        delimiter = null;
        pattern = null;
        target = null;
        targetArray = null;
        scanned = 0;
        intoCount = 0;
        return finished;
    }
}
