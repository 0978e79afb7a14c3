package dev.ioloop.iostream;

import static dev.ioloop.iostream.LoopThread.await;
import static dev.ioloop.iostream.LoopThread.awaitFailure;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.ioloop.testing.BackendSuite;
import dev.ioloop.test.IOLoopTest;

/**
 * Memory stays bounded whatever the peer does: a peer that does not read makes our writes queue
 * (bounded by maxWriteBufferSize, futures pending), and a peer that floods an idle stream is
 * slowed by TCP itself (the stream stops reading at its idle cap). Bounds are asserted on the
 * stream's own buffer counts, never on the heap.
 */
@IOLoopTest(makeCurrent = false)
public abstract class IOStreamBackPressureTests extends BackendSuite {

    static final int CHUNK = 256 * 1024;
    private static final int MAX_WRITE_BUFFER = 1024 * 1024;

    private LoopThread loop;
    private SocketPair pair;

    @BeforeEach
    void setUp() throws IOException {
        loop = new LoopThread("back-pressure-test");
        pair = SocketPair.open();
    }

    @AfterEach
    void tearDown() throws Exception {
        pair.close();
        loop.close();
    }

    private static ByteBuffer chunk(int index) {
        byte[] bytes = new byte[CHUNK];
        java.util.Arrays.fill(bytes, (byte) index);
        return ByteBuffer.wrap(bytes);
    }

    @Test
    void aPeerThatDoesNotReadLeavesWritesPendingWithTheQueueBoundedUntilItReads() throws Exception {
        IOStream stream = loop.call(() -> new IOStream(pair.near(), loop.loop(), IOStream.DEFAULT_MAX_BUFFER_SIZE,
                MAX_WRITE_BUFFER));
        List<CompletableFuture<Void>> accepted = writeUntilRefused(loop, stream, MAX_WRITE_BUFFER);
        assertThat(loop.call(stream::closed)).isFalse();

        // the peer reads: every accepted write completes and every byte arrives in order
        long expected = (long) accepted.size() * CHUNK;
        ByteBuffer in = ByteBuffer.allocate(64 * 1024);
        long received = 0;
        while (received < expected) {
            in.clear();
            int n = pair.far().read(in);
            assertThat(n).isPositive();
            for (int i = 0; i < n; i++) {
                assertThat(in.get(i)).isEqualTo((byte) ((received + i) / CHUNK));
            }
            received += n;
        }
        accepted.forEach(LoopThread::await);
        assertThat(loop.call(stream::writeBufferSize)).isZero();
        loop.run(stream::close);
    }

    /**
     * Writes CHUNK-byte chunks (chunk i filled with i) to a stream whose peer does not read until one
     * is refused with StreamBufferFullException; checks that the queue stays within the limit and
     * that nothing moves a few iterations later. Returns the accepted writes, still pending.
     */
    public static List<CompletableFuture<Void>> writeUntilRefused(LoopThread loop, IOStream stream, int maxWriteBuffer) {
        List<CompletableFuture<Void>> accepted = new ArrayList<>();
        CompletableFuture<Void> refused = loop.call(() -> {
            for (int i = 0; i < 10_000; i++) { // the kernel's buffers hold a few MiB at most
                CompletableFuture<Void> write = stream.write(chunk(i));
                if (write.isCompletedExceptionally()) {
                    return write;
                }
                accepted.add(write);
            }
            throw new AssertionError("10,000 chunks were accepted: no back-pressure");
        });
        assertThat(awaitFailure(refused)).isInstanceOf(StreamBufferFullException.class);
        long queued = settledWriteBuffer(loop, stream);
        assertThat(queued).isPositive().isLessThanOrEqualTo(maxWriteBuffer);
        // a few loop iterations later, nothing moved: the writes still wait for the peer
        loop.run(() -> { });
        loop.run(() -> { });
        assertThat(accepted.get(accepted.size() - 1)).isNotDone();
        assertThat(loop.call(stream::writeBufferSize)).isEqualTo(queued);
        return accepted;
    }

    /**
     * The stream's queued bytes once they stop moving. A {@code java.nio} channel fills the kernel within the
     * writing callback, so that is at once; a socket that sends later (io_uring) hands the kernel what fits over
     * the next iterations, one completed send at a time, until the kernel is full too.
     */
    private static long settledWriteBuffer(LoopThread loop, IOStream stream) {
        long deadline = System.nanoTime() + LoopThread.WAIT.toNanos();
        long queued = loop.call(stream::writeBufferSize);
        int unchanged = 0;
        while (unchanged < 3) {
            assertThat(System.nanoTime()).as("the write queue settles within %s", LoopThread.WAIT).isLessThan(deadline);
            loop.run(() -> { });
            long now = loop.call(stream::writeBufferSize);
            unchanged = now == queued ? unchanged + 1 : 0;
            queued = now;
        }
        return queued;
    }

    @Test
    void withDefaultLimitsAWriterWhosePeerNeverReadsIsRefusedAtTheDefaultWriteLimit() {
        IOStream stream = loop.call(() -> new IOStream(pair.near(), loop.loop()));
        writeUntilRefused(loop, stream, IOStream.DEFAULT_MAX_WRITE_BUFFER_SIZE);
        assertThat(loop.call(stream::closed)).isFalse();
        loop.run(stream::close);
    }

    @Test
    void aPeerFloodingAnIdleStreamIsStoppedByTcpWithTheReadBufferAtItsIdleCap() throws Exception {
        IOStream stream = loop.call(() -> new IOStream(pair.near(), loop.loop()));
        pair.far().configureBlocking(false);
        long sent = fillUntilTheKernelRefuses(pair.far(), 0);
        loop.awaitOnLoop("the idle stream buffered up to its cap", () -> stream.readBufferSize() == ReadBuffer.STEADY_CAPACITY);
        sent = fillUntilTheKernelRefuses(pair.far(), sent);
        // nobody reads: the stream holds its cap and no more; the rest waits in the kernel's buffers
        loop.run(() -> { });
        assertThat(loop.call(stream::readBufferSize)).isEqualTo(ReadBuffer.STEADY_CAPACITY);
        assertThat(loop.call(stream::readBufferCapacity)).isLessThanOrEqualTo(ReadBuffer.STEADY_CAPACITY);

        // now read it all: every byte arrives, in order, and the buffer never grew past its cap
        ByteBuffer target = ByteBuffer.allocate(CHUNK);
        long received = 0;
        while (received < sent) {
            target.clear();
            int n = await(loop.call(() -> stream.readInto(target, true)));
            for (int i = 0; i < n; i++) {
                assertThat(target.get(i)).isEqualTo((byte) ((received + i) % 251));
            }
            received += n;
            assertThat(loop.call(stream::readBufferCapacity)).isLessThanOrEqualTo(ReadBuffer.STEADY_CAPACITY);
        }
        assertThat(received).isEqualTo(sent);
        loop.run(stream::close);
    }

    /**
     * Writes the pattern (offset % 251) to {@code far}, starting at offset {@code sent}, without
     * blocking until the kernel takes no more; returns the new offset (all bytes sent so far).
     */
    static long fillUntilTheKernelRefuses(java.nio.channels.SocketChannel far, long sent) throws IOException {
        ByteBuffer out = ByteBuffer.allocate(64 * 1024);
        while (true) {
            out.clear();
            for (int i = 0; i < out.capacity(); i++) {
                out.put(i, (byte) ((sent + i) % 251));
            }
            int n = far.write(out);
            sent += n;
            if (n == 0) {
                return sent;
            }
        }
    }
}
