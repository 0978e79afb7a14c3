package dev.ioloop.iostream;

import static dev.ioloop.iostream.LoopThread.await;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import dev.ioloop.testing.BackendSuite;
import dev.ioloop.test.IOLoopTest;

/**
 * 100 MiB through one stream both ways: a client stream sends a pattern, an echo stream on another
 * loop returns it, the client checks every byte. Memory stays bounded: the echo stream's read
 * buffer and write queue, and the client's write queue, are sampled after every step and must stay
 * under small fixed bounds (never the heap).
 */
@IOLoopTest(makeCurrent = false)
public abstract class IOStreamLargeTransferTests extends BackendSuite {

    static final long TOTAL = 100L * 1024 * 1024;
    static final int CHUNK = 256 * 1024;
    static final int IN_FLIGHT = 4;

    @Test
    void oneHundredMebibytesEchoThroughOneStreamWithBoundedBuffers() throws Exception {
        try (LoopThread echoLoop = new LoopThread("echo-loop");
             LoopThread clientLoop = new LoopThread("client-loop");
             SocketPair pair = SocketPair.open()) {
            IOStream echo = echoLoop.call(() -> new IOStream(pair.near(), echoLoop.loop()));
            IOStream client = clientLoop.call(() -> new IOStream(pair.far(), clientLoop.loop()));
            AtomicLong echoMaxBuffered = new AtomicLong();
            CompletableFuture<Long> echoed = new CompletableFuture<>();
            echoLoop.run(() -> echoChunks(echo, 0, echoMaxBuffered, echoed));

            AtomicLong clientMaxQueued = new AtomicLong();
            CompletableFuture<Long> verified = new CompletableFuture<>();
            clientLoop.run(() -> {
                long[] offset = {0};
                for (int i = 0; i < IN_FLIGHT; i++) {
                    sendNext(client, offset, clientMaxQueued);
                }
                receive(client, ByteBuffer.allocateDirect(CHUNK), 0, verified);
            });
            assertThat(await(verified)).isEqualTo(TOTAL);
            clientLoop.run(client::close);
            assertThat(await(echoed)).isEqualTo(TOTAL);
            // the echo side held at most one partial read and one write; the client at most IN_FLIGHT chunks
            assertThat(echoMaxBuffered.get()).isLessThanOrEqualTo(2L * ReadBuffer.STEADY_CAPACITY);
            assertThat(clientMaxQueued.get()).isLessThanOrEqualTo((long) IN_FLIGHT * CHUNK);
        }
    }

    /** Echo: read what is there (up to 64 KiB), write it back, and only then read again. */
    static void echoChunks(IOStream echo, long total, AtomicLong maxBuffered, CompletableFuture<Long> done) {
        echo.readBytes(ReadBuffer.STEADY_CAPACITY, true).thenCompose(bytes -> {
            maxBuffered.accumulateAndGet(echo.readBufferCapacity() + echo.writeBufferSize(), Math::max);
            return echo.write(bytes).thenApply(written -> bytes.length);
        }).whenComplete((n, error) -> {
            if (error != null) {
                done.complete(total); // the client closed after receiving everything
                return;
            }
            echoChunks(echo, total + n, maxBuffered, done);
        });
    }

    /** Keeps IN_FLIGHT chunks queued: each completed write sends the next chunk. */
    static void sendNext(IOStream client, long[] offset, AtomicLong maxQueued) {
        if (offset[0] >= TOTAL) {
            return;
        }
        long start = offset[0];
        int length = (int) Math.min(CHUNK, TOTAL - start);
        offset[0] += length;
        byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++) {
            bytes[i] = (byte) ((start + i) % 251);
        }
        CompletableFuture<Void> written = client.write(bytes);
        maxQueued.accumulateAndGet(client.writeBufferSize(), Math::max);
        written.thenRun(() -> sendNext(client, offset, maxQueued));
    }

    static void receive(IOStream client, ByteBuffer target, long received, CompletableFuture<Long> done) {
        target.clear();
        client.readInto(target, true).whenComplete((n, error) -> {
            if (error != null) {
                done.completeExceptionally(error);
                return;
            }
            for (int i = 0; i < n; i++) {
                if (target.get(i) != (byte) ((received + i) % 251)) {
                    done.completeExceptionally(new AssertionError("byte " + (received + i) + " differs"));
                    return;
                }
            }
            long now = received + n;
            if (now == TOTAL) {
                done.complete(now);
            } else {
                receive(client, target, now, done);
            }
        });
    }
}
