package dev.ioloop.iostream;

import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;

/**
 * Test support: writes 1 MiB chunks to a stream whose peer does not read, on the stream's loop,
 * until a write is refused, and reports what the stream held then.
 *
 * @param failure the refused write's failure
 * @param queued the stream's {@code writeBufferSize()} when the write was refused, in bytes
 * @param open whether the stream was still open afterwards
 */
public record WriteUntilRefused(Throwable failure, long queued, boolean open) {

    /** The chunk written each time. */
    public static final int CHUNK = 1024 * 1024;

    /**
     * Writes until refused (at most 1,000 chunks: 1 GiB, which no default may allow).
     *
     * @param loop the stream's loop
     * @param stream a stream whose peer does not read
     * @return what happened
     */
    public static WriteUntilRefused run(LoopThread loop, IOStream stream) {
        return loop.call(() -> {
            ByteBuffer chunk = ByteBuffer.allocate(CHUNK);
            for (int i = 0; i < 1_000; i++) {
                CompletableFuture<Void> write = stream.write(chunk.duplicate());
                if (write.isCompletedExceptionally()) {
                    return new WriteUntilRefused(LoopThread.awaitFailure(write), stream.writeBufferSize(), !stream.closed());
                }
            }
            throw new AssertionError("1 GiB was queued for a peer that does not read: no write limit");
        });
    }
}
