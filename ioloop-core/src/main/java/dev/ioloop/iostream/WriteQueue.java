package dev.ioloop.iostream;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.GatheringByteChannel;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;

/**
 * The buffers a stream still has to write, in order, each with the future its write returned, or
 * none (a write without a future; {@link #tailFuture} may attach one later).
 *
 * <p>A ring of the caller's own buffers (never copied): {@link #writeTo} hands the contiguous run
 * at the head straight to {@link GatheringByteChannel#write(ByteBuffer[], int, int)}, capped at
 * {@link ReadBuffer#MAX_IO_BYTES} per call so the JDK's temporary direct buffer for heap buffers
 * stays small. The cap is applied by lowering the last buffer's limit for the call and restoring it
 * at once (the stream owns the buffers while they are queued).
 *
 * <p>Loop thread only (owned by one {@link IOStream}).
 */
final class WriteQueue {

    /** At most this many buffers go to one gathering write (Linux's IOV_MAX is 1024). */
    static final int MAX_GATHER = 64;

    private static final ByteBuffer[] NO_BUFFERS = new ByteBuffer[0];
    @SuppressWarnings({"unchecked", "rawtypes"}) // generic array: only CompletableFuture<Void> goes in
    private static final CompletableFuture<Void>[] NO_FUTURES = new CompletableFuture[0];

    // Made on the first write (a stream that never writes holds no ring), 2 slots, doubling: an idle
    // stream that answered one request keeps the smallest ring (issue 12), a pipelining one grows it
    // once to what its bursts need.
    private ByteBuffer[] buffers = NO_BUFFERS;
    private CompletableFuture<Void>[] futures = NO_FUTURES;
    private int head;
    private int count;
    private long bytes;
    private long lastOffered;
    /** What stands for a buffer taken whole and released ({@link #releaseTaken}): empty, made when first needed. */
    private @Nullable ByteBuffer taken;

    boolean isEmpty() {
        return count == 0;
    }

    /** Bytes queued and not yet written. */
    long bytes() {
        return bytes;
    }

    /** Queues {@code buffer} with {@code future} (null: nobody waits for it). */
    void add(ByteBuffer buffer, @Nullable CompletableFuture<Void> future) {
        if (count == buffers.length) {
            grow();
        }
        int at = (head + count) & (buffers.length - 1);
        buffers[at] = buffer;
        futures[at] = future;
        count++;
        bytes += buffer.remaining();
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private void grow() {
        int n = buffers.length;
        int capacity = Math.max(2, n * 2);
        ByteBuffer[] b = new ByteBuffer[capacity];
        CompletableFuture<Void>[] f = new CompletableFuture[capacity];
        for (int i = 0; i < count; i++) {
            b[i] = buffers[(head + i) & (n - 1)];
            f[i] = futures[(head + i) & (n - 1)];
        }
        buffers = b;
        futures = f;
        head = 0;
    }

    /**
     * Writes the head of the queue with one (gathering) write.
     *
     * @return the bytes written; 0 when the socket accepted none
     */
    long writeTo(GatheringByteChannel channel) throws IOException {
        int run = Math.min(Math.min(count, buffers.length - head), MAX_GATHER);
        long offered = 0;
        int used = 0;
        ByteBuffer capped = null;
        int savedLimit = 0;
        while (used < run) {
            ByteBuffer b = buffers[head + used++];
            long budget = ReadBuffer.MAX_IO_BYTES - offered;
            if (b.remaining() >= budget) {
                capped = b;
                savedLimit = b.limit();
                b.limit(b.position() + (int) budget);
                offered += budget;
                break;
            }
            offered += b.remaining();
        }
        lastOffered = offered;
        long n;
        try {
            n = used == 1 ? channel.write(buffers[head]) : channel.write(buffers, head, used);
        } finally {
            if (capped != null) {
                capped.limit(savedLimit);
            }
        }
        bytes -= n;
        return n;
    }

    /** Whether the last {@link #writeTo} wrote everything it offered (the socket may take more). */
    boolean lastWriteComplete(long written) {
        return written == lastOffered;
    }

    /**
     * The future that completes once the last queued buffer (and so everything before it) is
     * written: the one already attached to it, else {@code made}'s, attached now. Null when the
     * queue is empty.
     */
    @Nullable CompletableFuture<Void> tailFuture(Supplier<CompletableFuture<Void>> made) {
        if (count == 0) {
            return null;
        }
        int tail = (head + count - 1) & (buffers.length - 1);
        CompletableFuture<Void> future = futures[tail];
        if (future == null) {
            future = made.get();
            futures[tail] = future;
        }
        return future;
    }

    /**
     * Lets go of the buffers at the head that were written whole, while their futures wait: a transport that
     * holds bytes back until it flushes (TLS, an io_uring socket) copied them, so their owner may reuse them
     * (refill or reset a buffer it writes again and again) without this queue seeing their bytes again. They stay
     * in the queue, empty, until {@link #removeHead}.
     */
    void releaseTaken() {
        for (int i = 0; i < count; i++) {
            int at = (head + i) & (buffers.length - 1);
            if (buffers[at].hasRemaining()) {
                return; // written in order: the first one not taken whole ends the run
            }
            if (taken == null) {
                taken = ByteBuffer.allocate(0); // this queue's own: never shared between threads
            }
            buffers[at] = taken;
        }
    }

    /** Whether the head was written completely (it can be removed with {@link #removeHead}). */
    boolean headWritten() {
        return count > 0 && !buffers[head].hasRemaining();
    }

    /**
     * Removes the head whatever is left of it, returning its future (null if its write had none).
     * Queue not empty.
     */
    @Nullable CompletableFuture<Void> removeHead() {
        bytes -= buffers[head].remaining();
        CompletableFuture<Void> future = futures[head];
        buffers[head] = null;
        futures[head] = null;
        head = (head + 1) & (buffers.length - 1);
        count--;
        return future;
    }
}
