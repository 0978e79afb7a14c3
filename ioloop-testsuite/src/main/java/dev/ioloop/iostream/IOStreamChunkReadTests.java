package dev.ioloop.iostream;

import static dev.ioloop.iostream.LoopThread.await;
import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiConsumer;

import org.junit.jupiter.api.Test;
import org.slf4j.event.Level;

import dev.ioloop.test.IOLoopTest;
import dev.ioloop.test.LogCapture;

/**
 * {@link IOStream#readChunk}: each chunk reaches the callback once, in order, on the loop thread;
 * one read at a time; no recursion on buffered input; a callback that does not read on leaves the
 * stream at its idle cap (back-pressure); the close delivers buffered bytes, then the failure; and a
 * callback that throws closes the stream and reaches the loop's funnel once. Real loopback sockets.
 */
@IOLoopTest(makeCurrent = false)
public abstract class IOStreamChunkReadTests extends SocketPairStreamSuite {

    @Override
    protected String loopName() {
        return "chunk-read-test";
    }

    private void peerSends(byte[] data) throws IOException {
        ByteBuffer out = ByteBuffer.wrap(data);
        while (out.hasRemaining()) {
            pair.far().write(out);
        }
    }

    private static byte[] pattern(int length) {
        byte[] data = new byte[length];
        for (int i = 0; i < length; i++) {
            data[i] = (byte) (i % 251);
        }
        return data;
    }

    /** Reads chunk after chunk from the callback itself, collecting them, until {@code total} bytes arrived. */
    private final class Collector implements BiConsumer<byte[], Throwable> {
        final ByteArrayOutputStream received = new ByteArrayOutputStream();
        final List<Integer> sizes = new ArrayList<>();
        final CompletableFuture<byte[]> done = new CompletableFuture<>();
        final int maxBytes;
        final int total;
        boolean offLoop;

        Collector(int maxBytes, int total) {
            this.maxBytes = maxBytes;
            this.total = total;
        }

        @Override
        public void accept(byte[] chunk, Throwable error) {
            offLoop |= !loop.loop().inLoopThread();
            if (error != null) {
                done.completeExceptionally(error);
                return;
            }
            sizes.add(chunk.length);
            received.writeBytes(chunk);
            if (received.size() >= total) {
                done.complete(received.toByteArray());
            } else {
                stream.readChunk(maxBytes, this);
            }
        }
    }

    @Test
    void everyChunkReachesTheCallbackOnceInOrderOnTheLoopThreadAndNoLargerThanMaxBytes() throws Exception {
        byte[] sent = pattern(300_000);
        Collector collector = new Collector(4096, sent.length);
        loop.run(() -> stream.readChunk(4096, collector));
        assertThat(loop.call(stream::reading)).isTrue();
        peerSends(sent);
        assertThat(await(collector.done)).isEqualTo(sent);
        loop.run(() -> {
            assertThat(collector.sizes).allSatisfy(size -> assertThat(size).isBetween(1, 4096));
            assertThat(collector.offLoop).isFalse();
            assertThat(stream.reading()).isFalse();
        });
    }

    @Test
    void aSecondReadWhileAChunkReadIsPendingIsRefused() {
        loop.run(() -> {
            stream.readChunk(16, (chunk, error) -> { });
            assertThatThrownBy(() -> stream.readChunk(16, (chunk, error) -> { }))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("already pending");
            assertThatThrownBy(() -> stream.readBytes(1)).isInstanceOf(IllegalStateException.class);
            assertThatThrownBy(() -> stream.readChunk(0, (chunk, error) -> { }))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'maxBytes'");
        });
    }

    @Test
    void bufferedInputIsDeliveredBeforeReadChunkReturnsAndReadingOnFromTheCallbackDoesNotRecurse() throws Exception {
        byte[] sent = pattern(5000);
        peerSends(sent);
        loop.awaitOnLoop("all buffered", () -> stream.readBufferSize() == sent.length);
        AtomicInteger depth = new AtomicInteger();
        AtomicInteger deepest = new AtomicInteger();
        ByteArrayOutputStream received = new ByteArrayOutputStream();
        loop.run(() -> {
            BiConsumer<byte[], Throwable> oneByteAtATime = new BiConsumer<>() {
                @Override
                public void accept(byte[] chunk, Throwable error) {
                    deepest.accumulateAndGet(depth.incrementAndGet(), Math::max);
                    received.writeBytes(chunk);
                    if (received.size() < sent.length) {
                        stream.readChunk(1, this);
                    }
                    depth.decrementAndGet();
                }
            };
            stream.readChunk(1, oneByteAtATime);
            // every byte was buffered: all 5,000 one-byte reads completed inside this call
            assertThat(received.size()).isEqualTo(sent.length);
        });
        assertThat(received.toByteArray()).isEqualTo(sent);
        assertThat(deepest.get()).isEqualTo(1);
    }

    @Test
    void aCallbackThatDoesNotReadOnStopsReadingAtTheIdleCapAndLosesNothing() throws Exception {
        CompletableFuture<byte[]> first = new CompletableFuture<>();
        loop.run(() -> stream.readChunk(10, (chunk, error) -> first.complete(chunk)));
        pair.far().configureBlocking(false);
        long sent = IOStreamBackPressureTests.fillUntilTheKernelRefuses(pair.far(), 0);
        assertThat(await(first)).hasSize(10);
        loop.awaitOnLoop("the stream buffered up to its idle cap",
                () -> stream.readBufferSize() == ReadBuffer.STEADY_CAPACITY);
        sent = IOStreamBackPressureTests.fillUntilTheKernelRefuses(pair.far(), sent);
        loop.run(() -> { });
        assertThat(loop.call(stream::readBufferSize)).isEqualTo(ReadBuffer.STEADY_CAPACITY);

        // reading on drains everything, in order
        Collector rest = new Collector(64 * 1024, (int) (sent - 10));
        loop.run(() -> stream.readChunk(rest.maxBytes, rest));
        byte[] received = await(rest.done);
        for (int i = 0; i < received.length; i++) {
            if (received[i] != (byte) ((i + 10) % 251)) {
                throw new AssertionError("byte " + (i + 10) + " is " + received[i]);
            }
        }
    }

    @Test
    void thePeersCloseDeliversTheBufferedBytesThenTheFailure() throws Exception {
        peerSends("last words".getBytes(ISO_8859_1));
        pair.far().close();
        loop.awaitOnLoop("the stream closed", stream::closed);
        AtomicReference<byte[]> chunk = new AtomicReference<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        loop.run(() -> {
            stream.readChunk(100, (bytes, error) -> chunk.set(bytes));
            stream.readChunk(100, (bytes, error) -> failure.set(error));
        });
        assertThat(new String(chunk.get(), ISO_8859_1)).isEqualTo("last words");
        assertThat(failure.get()).isInstanceOf(StreamClosedException.class);
    }

    @Test
    void aPendingChunkReadFailsWhenThePeerLeaves() throws Exception {
        CompletableFuture<Throwable> failure = new CompletableFuture<>();
        loop.run(() -> stream.readChunk(100, (bytes, error) -> failure.complete(error)));
        pair.far().close();
        assertThat(await(failure)).isInstanceOf(StreamClosedException.class);
        assertThat(loop.call(stream::closed)).isTrue();
    }

    @Test
    void aCallbackThatThrowsClosesTheStreamAndReachesTheLoopsFunnelOnce() throws Exception {
        AssertionError boom = new AssertionError("boom in readChunk's callback");
        long errorsBefore = loop.loop().stats().callbackErrors();
        try (LogCapture logs = LogCapture.start()) {
            loop.run(() -> stream.readChunk(100, (bytes, error) -> {
                throw boom;
            }));
            peerSends("hello".getBytes(ISO_8859_1));
            loop.awaitOnLoop("the stream closed", stream::closed);
            assertThat(loop.call(stream::error)).isSameAs(boom);
            loop.awaitOnLoop("the report", () -> reports(logs, boom) == 1);
            assertThat(logs.count(Level.ERROR, "failure of a readChunk callback")).isEqualTo(1);
            // the peer sees the close
            ByteBuffer sink = ByteBuffer.allocate(16);
            assertThat(pair.far().read(sink)).isEqualTo(-1);
        }
        assertThat(loop.loop().stats().callbackErrors() - errorsBefore).isEqualTo(1);
        assertThat(loop.loop().isRunning()).isTrue();
    }

    @Test
    void aCallbackThatThrowsOnTheCloseFailureIsReportedToo() throws Exception {
        IllegalStateException boom = new IllegalStateException("boom on the failure");
        try (LogCapture logs = LogCapture.start()) {
            loop.run(() -> stream.readChunk(100, (bytes, error) -> {
                throw boom;
            }));
            pair.far().close();
            loop.awaitOnLoop("the report", () -> reports(logs, boom) == 1);
        }
        assertThat(loop.call(stream::closed)).isTrue();
        assertThat(loop.loop().isRunning()).isTrue();
    }

    private static long reports(LogCapture logs, Throwable error) {
        return logs.count(e -> e.level() == Level.ERROR && e.throwable() != null
                && error.getMessage().equals(e.throwable().getMessage()));
    }
}
