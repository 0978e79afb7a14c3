package dev.ioloop.iostream;

import static dev.ioloop.iostream.LoopThread.await;
import static dev.ioloop.iostream.LoopThread.awaitFailure;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.Test;

import dev.ioloop.test.IOLoopTest;

/**
 * {@link IOStream#writeWithoutFuture} and {@link IOStream#whenWritten}: bytes written without a future
 * arrive in order with those written with one; {@code whenWritten} completes only once everything
 * written before it reached the socket (a peer that does not read holds it back), at once when
 * nothing is queued, and fails when the stream closes first; the write limit refuses a write
 * without queueing any of it and leaves the stream open; a closed stream takes nothing. Real
 * loopback sockets.
 */
@IOLoopTest(makeCurrent = false)
public abstract class IOStreamWriteWithoutFutureTests extends SocketPairStreamSuite {

    private static final int FLOOD = 4 * 1024 * 1024;

    @Override
    protected String loopName() {
        return "write-without-future-test";
    }

    @Test
    void bytesWrittenWithoutAFutureArriveInOrderAndWhenWrittenWaitsUntilTheSlowPeerTookThemAll() throws Exception {
        int part = 64 * 1024;
        CompletableFuture<Void> firstWithFuture = new CompletableFuture<>();
        CompletableFuture<Void> drained = loop.call(() -> {
            // a flood the kernel cannot take at once (the peer does not read yet), futures and none interleaved
            for (int offset = 0; offset < FLOOD; offset += part) {
                if (offset == part) {
                    stream.write(pattern(offset, part)).whenComplete((ok, e) -> {
                        if (e == null) {
                            firstWithFuture.complete(null);
                        } else {
                            firstWithFuture.completeExceptionally(e);
                        }
                    });
                } else {
                    assertThat(stream.writeWithoutFuture(pattern(offset, part))).isTrue();
                }
            }
            return stream.whenWritten();
        });
        loop.run(() -> {
            assertThat(stream.writeBufferSize()).as("queued while the peer does not read").isPositive();
            assertThat(stream.writing()).isTrue();
        });
        assertThat(drained).as("whenWritten before the peer read").isNotDone();

        pair.far().configureBlocking(true);
        peerReceivesPattern(FLOOD);
        await(drained);
        await(firstWithFuture);
        loop.run(() -> {
            assertThat(stream.writeBufferSize()).isZero();
            assertThat(stream.writing()).isFalse();
        });
    }

    @Test
    void whenWrittenIsCompleteAtOnceWhenNothingIsQueuedAndAfterASmallWriteTheSocketTookWhole() throws IOException {
        loop.run(() -> {
            assertThat(stream.whenWritten()).isCompleted();
            assertThat(stream.writeWithoutFuture(pattern(0, 3))).isTrue();
            if (pairKind().takesSmallWritesAtOnce()) {
                assertThat(stream.writing()).as("the socket took 3 bytes at once").isFalse();
                assertThat(stream.whenWritten()).isCompleted();
            }
        });
        await(loop.call(stream::whenWritten)); // a socket that sends later (io_uring): once its send completed
        assertThat(loop.call(stream::writing)).isFalse();
        peerReceivesPattern(3);
    }

    @Test
    void aBufferIsTheCallersAgainOnceWriteBufferSizeIsBackAndWhatItIsRefilledWithIsNotSent() throws Exception {
        // writeWithoutFuture's rule: once writeBufferSize() is back to what it was, the buffer is the caller's
        // again, even on a socket that still waits for its send to complete (io_uring) or a transport that holds
        // records (TLS). The caller may refill it at once, for later: those bytes must not go out now.
        int rounds = 100;
        int refilled = 0;
        for (int round = 0; round < rounds; round++) { // a callback each: sends complete in between
            long offset = round * 2000L;
            refilled += loop.call(() -> {
                ByteBuffer first = pattern(offset, 1000);
                assertThat(stream.writeWithoutFuture(first)).isTrue();
                if (stream.writeBufferSize() > 0) {
                    assertThat(stream.writeWithoutFuture(pattern(offset + 1000, 1000))).isTrue();
                    return 0; // the stream still holds it: not the caller's yet
                }
                first.clear();
                while (first.hasRemaining()) {
                    first.put((byte) 0x7f); // not the pattern: the peer would see it
                }
                first.flip();
                assertThat(stream.writeWithoutFuture(pattern(offset + 1000, 1000))).isTrue();
                return 1;
            });
        }
        assertThat(refilled).as("writes the stream had taken whole at once").isPositive();
        peerReceivesPattern(rounds * 2000L);
        await(loop.call(stream::whenWritten));
    }

    @Test
    void whenWrittenAfterAWriteWithAFutureCompletesWithIt() throws Exception {
        CompletableFuture<Void>[] futures = loop.call(() -> {
            for (int offset = 0; offset < FLOOD; offset += 64 * 1024) {
                stream.writeWithoutFuture(pattern(offset, 64 * 1024));
            }
            CompletableFuture<Void> last = stream.write(pattern(FLOOD, 1024));
            @SuppressWarnings("unchecked")
            CompletableFuture<Void>[] pair = new CompletableFuture[] {last, stream.whenWritten()};
            return pair;
        });
        assertThat(futures[0]).isNotDone();
        assertThat(futures[1]).isNotDone();
        pair.far().configureBlocking(true);
        peerReceivesPattern(FLOOD + 1024);
        await(futures[0]);
        await(futures[1]);
    }

    @Test
    void pendingWhenWrittenFailsWhenTheStreamClosesWithBytesUnwrittenAndAClosedStreamTakesNothing() throws Exception {
        CompletableFuture<Void> drained = loop.call(() -> {
            for (int offset = 0; offset < FLOOD; offset += 64 * 1024) {
                stream.writeWithoutFuture(pattern(offset, 64 * 1024));
            }
            return stream.whenWritten();
        });
        assertThat(drained).isNotDone();
        loop.run(stream::close);
        assertThat(awaitFailure(drained)).isInstanceOf(StreamClosedException.class);
        loop.run(() -> {
            assertThat(stream.writeWithoutFuture(ByteBuffer.wrap(new byte[] {1}))).as("closed: nothing queued").isFalse();
            assertThat(stream.writeBufferSize()).isZero();
            assertThat(awaitFailure(stream.whenWritten())).isInstanceOf(StreamClosedException.class);
            assertThatThrownBy(() -> stream.writeWithoutFuture(null))
                    .isInstanceOf(NullPointerException.class).hasMessageContaining("'data'");
        });
    }

    @Test
    void aWriteOverTheWriteLimitIsRefusedWholeAndTheStreamStaysOpenForWritesThatFit() throws Exception {
        // a socket that sends later takes more as each send completes: the kernel cannot be filled in one callback
        // (the write limit on such streams: IOStreamTests' aWriteOverMaxWriteBufferSize...)
        assumeTrue(pairKind().takesSmallWritesAtOnce(), "the socket sends later, so one callback cannot fill the kernel");
        int limit = 256 * 1024;
        try (SocketPair limited = openPair()) {
            IOStream small = loop.call(() -> streamOver(limited, loop.loop(), 1024 * 1024, limit));
            long queued = loop.call(() -> {
                // fill the kernel first, so what follows stays queued in the stream
                long offset = 0;
                while (!small.writing()) {
                    small.writeWithoutFuture(pattern(offset, 16 * 1024));
                    offset += 16 * 1024;
                }
                return small.writeBufferSize();
            });
            assertThat(queued).isPositive().isLessThanOrEqualTo(limit);
            loop.run(() -> {
                ByteBuffer tooBig = ByteBuffer.allocate((int) (limit - queued + 1));
                assertThatThrownBy(() -> small.writeWithoutFuture(tooBig))
                        .isInstanceOf(StreamBufferFullException.class).hasMessageContaining("maxWriteBufferSize");
                assertThat(tooBig.remaining()).as("nothing of it taken").isEqualTo(tooBig.capacity());
                assertThat(small.writeBufferSize()).as("nothing of it queued").isEqualTo(queued);
                assertThat(small.closed()).isFalse();
                ByteBuffer fits = ByteBuffer.allocate((int) (limit - queued));
                assertThat(small.writeWithoutFuture(fits)).isTrue();
                assertThat(small.writeBufferSize()).isEqualTo(limit);
            });
            loop.run(small::close);
        }
    }
}
