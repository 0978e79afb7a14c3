package dev.ioloop.iostream;

import static dev.ioloop.iostream.LoopThread.await;
import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

import javax.net.ssl.SSLSocket;

import org.junit.jupiter.api.Test;
import org.slf4j.event.Level;

import dev.ioloop.test.IOLoopTest;
import dev.ioloop.test.LogCapture;

/**
 * {@link IOStream#readLent}: the buffered bytes are lent in place, the handler's unconsumed rest stays
 * buffered in order (whatever the read boundaries, and whatever another stream of the loop reads
 * meanwhile into the thread's shared array); a handler that throws or answers a bad count closes the
 * stream and reaches the loop's funnel once; a full buffer without progress ends with an
 * {@link UnsatisfiableReadException}, never a hang; bytes buffered before EOF are still lent; TLS lends
 * the decrypted bytes. Real loopback sockets.
 */
@IOLoopTest(makeCurrent = false)
public abstract class IOStreamLentReadTests extends SocketPairStreamSuite {

    @Override
    protected String loopName() {
        return "lent-read-test";
    }

    private static void send(java.nio.channels.SocketChannel to, String data) throws IOException {
        ByteBuffer out = ByteBuffer.wrap(data.getBytes(ISO_8859_1));
        while (out.hasRemaining()) {
            to.write(out);
        }
    }

    /**
     * Decodes '\n'-terminated lines where they lie, consuming at most {@code linesPerCall} per call: when it
     * stops early it asks for the rest again at once (readLent(1)), when a line is cut it asks for one byte
     * more than it was shown. Each line is copied out: the lent array is not kept.
     */
    class LineDecoder implements LentReadHandler {
        final IOStream on;
        final int linesPerCall;
        final List<String> lines = new ArrayList<>();
        final CompletableFuture<StreamClosedException> closed = new CompletableFuture<>();
        /** Bytes the stream has lent so far: consumed before the last call plus its length. */
        volatile long shownUpTo;
        long consumedTotal;
        boolean offLoop;

        LineDecoder(IOStream on, int linesPerCall) {
            this.on = on;
            this.linesPerCall = linesPerCall;
        }

        @Override
        public int consume(byte[] bytes, int offset, int length) {
            offLoop |= !loop.loop().inLoopThread();
            shownUpTo = consumedTotal + length;
            int at = offset;
            int end = offset + length;
            int taken = 0;
            for (int i = at; i < end && taken < linesPerCall; i++) {
                if (bytes[i] == '\n') {
                    lines.add(new String(bytes, at, i - at, ISO_8859_1));
                    at = i + 1;
                    taken++;
                }
            }
            int consumed = at - offset;
            consumedTotal += consumed;
            boolean stoppedEarly = taken == linesPerCall;
            on.readLent(stoppedEarly ? 1 : length - consumed + 1, this);
            return consumed;
        }

        @Override
        public void closed(StreamClosedException cause) {
            closed.complete(cause);
        }
    }

    @Test
    void unconsumedBytesStayBufferedInOrderAcrossReadsAndTheHandlerRunsOnTheLoopThread() throws Exception {
        LineDecoder decoder = new LineDecoder(stream, 1);
        loop.run(() -> stream.readLent(1, decoder));
        send(pair.far(), "one\ntw");
        loop.awaitOnLoop("'one' decoded, 'tw' left buffered", () -> decoder.lines.size() == 1
                && stream.readBufferSize() == 2);
        send(pair.far(), "o\nthree\nfour\nfi");
        loop.awaitOnLoop("four lines", () -> decoder.lines.size() == 4);
        send(pair.far(), "ve\n");
        loop.awaitOnLoop("five lines", () -> decoder.lines.size() == 5);
        loop.run(() -> {
            assertThat(decoder.lines).containsExactly("one", "two", "three", "four", "five");
            assertThat(decoder.offLoop).isFalse();
            assertThat(stream.readBufferSize()).isZero();
            assertThat(stream.reading()).isTrue();
        });
    }

    @Test
    void everyByteBoundarySplitOfAPipelineDecodesTheSameLines() throws Exception {
        String pipeline = "SET key value\nGET key\nPING\n\nDEL key other\n";
        List<String> expected = List.of("SET key value", "GET key", "PING", "", "DEL key other");
        for (int split = 1; split < pipeline.length(); split++) {
            SocketPair other = openPair();
            try {
                IOStream onOther = loop.call(() -> streamOver(other, loop.loop()));
                LineDecoder decoder = new LineDecoder(onOther, Integer.MAX_VALUE);
                loop.run(() -> onOther.readLent(1, decoder));
                send(other.far(), pipeline.substring(0, split));
                int firstPart = split;
                loop.awaitOnLoop("the first " + split + " bytes lent", () -> decoder.shownUpTo == firstPart);
                send(other.far(), pipeline.substring(split));
                loop.awaitOnLoop("every line at split " + split, () -> decoder.lines.size() == expected.size());
                assertThat(loop.call(() -> List.copyOf(decoder.lines))).as("split at %d", split).isEqualTo(expected);
                assertThat(loop.call(onOther::readBufferSize)).isZero();
                loop.run(onOther::close);
            } finally {
                other.close();
            }
        }
    }

    @Test
    void bufferedBytesAreLentBeforeReadLentReturnsAndReadingOnFromTheHandlerDoesNotRecurse() throws Exception {
        StringBuilder sent = new StringBuilder();
        for (int i = 0; i < 2000; i++) {
            sent.append(i).append('\n');
        }
        send(pair.far(), sent.toString());
        loop.awaitOnLoop("all buffered", () -> stream.readBufferSize() == sent.length());
        AtomicInteger depth = new AtomicInteger();
        AtomicInteger deepest = new AtomicInteger();
        LineDecoder oneLineAtATime = new LineDecoder(stream, 1) {
            @Override
            public int consume(byte[] bytes, int offset, int length) {
                deepest.accumulateAndGet(depth.incrementAndGet(), Math::max);
                try {
                    return super.consume(bytes, offset, length);
                } finally {
                    depth.decrementAndGet();
                }
            }
        };
        loop.run(() -> {
            stream.readLent(1, oneLineAtATime);
            assertThat(oneLineAtATime.lines).hasSize(2000); // all lent inside this call, one line per call
        });
        assertThat(deepest.get()).isEqualTo(1);
        assertThat(loop.call(() -> oneLineAtATime.lines.get(1999))).isEqualTo("1999");
    }

    @Test
    void aSecondReadWhileALentReadIsPendingIsRefusedAndMinBytesMustBePositive() {
        loop.run(() -> {
            LineDecoder decoder = new LineDecoder(stream, 1);
            assertThatThrownBy(() -> stream.readLent(0, decoder))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'minBytes'");
            stream.readLent(1, decoder);
            assertThatThrownBy(() -> stream.readLent(1, decoder))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("already pending");
            assertThatThrownBy(() -> stream.readBytes(1)).isInstanceOf(IllegalStateException.class);
        });
    }

    @Test
    void anotherStreamReadingIntoTheSharedArrayMeanwhileLeavesTheUnconsumedBytesIntact() throws Exception {
        try (SocketPair other = openPair()) {
            IOStream second = loop.call(() -> streamOver(other, loop.loop()));
            // the first stream's handler keeps a reference to the lent array (documented as invalid after the
            // call; only what the stream still buffers is checked here) and consumes just "head\n"
            CompletableFuture<Integer> leftBehind = new CompletableFuture<>();
            loop.run(() -> stream.readLent(1, new LentReadHandler() {
                @Override
                public int consume(byte[] bytes, int offset, int length) {
                    int consumed = "head\n".length();
                    leftBehind.complete(length - consumed);
                    return length >= consumed ? consumed : 0;
                }

                @Override
                public void closed(StreamClosedException cause) {
                }
            }));
            send(pair.far(), "head\nunconsumed tail of the first stream");
            int left = await(leftBehind);
            assertThat(left).isEqualTo("unconsumed tail of the first stream".length());
            // the second stream reads a burst of other bytes into the loop thread's shared array
            LineDecoder secondDecoder = new LineDecoder(second, Integer.MAX_VALUE);
            loop.run(() -> second.readLent(1, secondDecoder));
            send(other.far(), "X".repeat(40_000) + "\n");
            loop.awaitOnLoop("the second stream's line", () -> secondDecoder.lines.size() == 1);
            // the first stream still has its own rest, byte for byte
            LineDecoder firstDecoder = new LineDecoder(stream, Integer.MAX_VALUE);
            loop.run(() -> stream.readLent(1, firstDecoder));
            send(pair.far(), "\n");
            loop.awaitOnLoop("the first stream's line", () -> firstDecoder.lines.size() == 1);
            assertThat(loop.call(() -> firstDecoder.lines.get(0))).isEqualTo("unconsumed tail of the first stream");
            assertThat(loop.call(() -> secondDecoder.lines.get(0))).isEqualTo("X".repeat(40_000));
            loop.run(second::close);
        }
    }

    @Test
    void aHandlerThatThrowsClosesTheStreamConsumesNothingAndReachesTheLoopsFunnelOnce() throws Exception {
        AssertionError boom = new AssertionError("boom in readLent's handler");
        long errorsBefore = loop.loop().stats().callbackErrors();
        AtomicInteger closedCalls = new AtomicInteger();
        try (LogCapture logs = LogCapture.start()) {
            loop.run(() -> stream.readLent(1, new LentReadHandler() {
                @Override
                public int consume(byte[] bytes, int offset, int length) {
                    throw boom;
                }

                @Override
                public void closed(StreamClosedException cause) {
                    closedCalls.incrementAndGet();
                }
            }));
            send(pair.far(), "hello");
            loop.awaitOnLoop("the stream closed", stream::closed);
            assertThat(loop.call(stream::error)).isSameAs(boom);
            loop.awaitOnLoop("the report", () -> reports(logs, boom) == 1);
            assertThat(logs.count(Level.ERROR, "failure of a readLent handler")).isEqualTo(1);
            assertThat(pair.far().read(ByteBuffer.allocate(16))).isEqualTo(-1); // the peer sees the close
        }
        assertThat(loop.call(stream::readBufferSize)).isEqualTo(5); // nothing consumed
        assertThat(closedCalls.get()).isZero(); // the read ended with the throw: no second call
        assertThat(loop.loop().stats().callbackErrors() - errorsBefore).isEqualTo(1);
        assertThat(loop.loop().isRunning()).isTrue();
    }

    @Test
    void aHandlerAnsweringACountOutsideWhatWasLentFailsAsIfItThrew() throws Exception {
        try (LogCapture logs = LogCapture.start()) {
            loop.run(() -> stream.readLent(1, new LentReadHandler() {
                @Override
                public int consume(byte[] bytes, int offset, int length) {
                    return length + 1;
                }

                @Override
                public void closed(StreamClosedException cause) {
                }
            }));
            send(pair.far(), "abc");
            loop.awaitOnLoop("the stream closed", stream::closed);
            assertThat(loop.call(stream::error)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("answered 4 bytes consumed of the 3 lent");
            loop.awaitOnLoop("the report", () -> logs.count(Level.ERROR, "failure of a readLent handler") == 1);
        }
        assertThat(loop.call(stream::readBufferSize)).isEqualTo(3);
    }

    @Test
    void aHandlerThatThrowsOnTheCloseIsReportedToo() throws Exception {
        IllegalStateException boom = new IllegalStateException("boom on the close");
        try (LogCapture logs = LogCapture.start()) {
            loop.run(() -> stream.readLent(1, new LentReadHandler() {
                @Override
                public int consume(byte[] bytes, int offset, int length) {
                    return length;
                }

                @Override
                public void closed(StreamClosedException cause) {
                    throw boom;
                }
            }));
            pair.far().close();
            loop.awaitOnLoop("the report", () -> reports(logs, boom) == 1);
        }
        assertThat(loop.call(stream::closed)).isTrue();
        assertThat(loop.loop().isRunning()).isTrue();
    }

    /** A stream over a new pair on the test's loop with a small maxBufferSize. */
    private IOStream smallStream(SocketPair on, int maxBufferSize) {
        return loop.call(() -> streamOver(on, loop.loop(), maxBufferSize, 0));
    }

    @Test
    void waitingForMoreThanMaxBufferSizeClosesTheStreamAsUnsatisfiable() throws Exception {
        try (SocketPair small = openPair()) {
            IOStream limited = smallStream(small, 1024);
            LineDecoder decoder = new LineDecoder(limited, Integer.MAX_VALUE); // a line that never ends
            loop.run(() -> limited.readLent(1, decoder));
            send(small.far(), "x".repeat(5000));
            StreamClosedException closed = await(decoder.closed);
            assertThat(closed).hasCauseInstanceOf(UnsatisfiableReadException.class);
            assertThat(closed.getCause()).hasMessageContaining("maxBufferSize (1024)");
            assertThat(loop.call(limited::closed)).isTrue();
            assertThat(loop.call(limited::readBufferSize)).isLessThanOrEqualTo(1025);
        }
    }

    @Test
    void consumingNothingOfAFullBufferAndAskingAgainEndsUnsatisfiableNotInALoop() throws Exception {
        try (SocketPair small = openPair()) {
            IOStream limited = smallStream(small, 1024);
            AtomicInteger calls = new AtomicInteger();
            CompletableFuture<StreamClosedException> closed = new CompletableFuture<>();
            loop.run(() -> limited.readLent(1, new LentReadHandler() {
                @Override
                public int consume(byte[] bytes, int offset, int length) {
                    calls.incrementAndGet();
                    // waits for more until the buffer is full, then asks to be shown the same again: no progress
                    limited.readLent(length >= 1024 ? 1 : length + 1, this);
                    return 0;
                }

                @Override
                public void closed(StreamClosedException cause) {
                    closed.complete(cause);
                }
            }));
            send(small.far(), "y".repeat(5000));
            StreamClosedException failure = await(closed);
            assertThat(failure).hasCauseInstanceOf(UnsatisfiableReadException.class);
            assertThat(failure.getCause()).hasMessageContaining("consumed nothing");
            assertThat(loop.call(limited::closed)).isTrue();
            assertThat(calls.get()).isBetween(1, 1025); // once per arrival at most, then the failure
        }
    }

    @Test
    void minBytesOverMaxBufferSizeIsRefusedAtOnce() throws Exception {
        try (SocketPair small = openPair()) {
            IOStream limited = smallStream(small, 1024);
            CompletableFuture<StreamClosedException> closed = new CompletableFuture<>();
            loop.run(() -> limited.readLent(1025, new LentReadHandler() {
                @Override
                public int consume(byte[] bytes, int offset, int length) {
                    throw new AssertionError("nothing to lend");
                }

                @Override
                public void closed(StreamClosedException cause) {
                    closed.complete(cause);
                }
            }));
            assertThat(closed).isDone();
            assertThat(await(closed)).hasCauseInstanceOf(UnsatisfiableReadException.class);
        }
    }

    @Test
    void bytesBufferedBeforeEofAreStillLentThenAskingForMoreGetsTheClose() throws Exception {
        send(pair.far(), "complete\nunfinished");
        pair.far().close();
        loop.awaitOnLoop("the stream closed", stream::closed);
        LineDecoder decoder = new LineDecoder(stream, Integer.MAX_VALUE);
        loop.run(() -> stream.readLent(1, decoder));
        assertThat(await(decoder.closed)).isInstanceOf(StreamClosedException.class).hasNoCause();
        loop.run(() -> {
            assertThat(decoder.lines).containsExactly("complete");
            assertThat(stream.readBufferSize()).isEqualTo("unfinished".length());
        });
        // the rest is still lent to a read that asks for no more than is buffered
        CompletableFuture<String> rest = new CompletableFuture<>();
        loop.run(() -> stream.readLent(1, new LentReadHandler() {
            @Override
            public int consume(byte[] bytes, int offset, int length) {
                rest.complete(new String(bytes, offset, length, ISO_8859_1));
                return length;
            }

            @Override
            public void closed(StreamClosedException cause) {
                rest.completeExceptionally(cause);
            }
        }));
        assertThat(await(rest)).isEqualTo("unfinished");
    }

    @Test
    void aPendingLentReadGetsTheCloseWhenThePeerLeavesWithoutEnoughBytes() throws Exception {
        LineDecoder decoder = new LineDecoder(stream, Integer.MAX_VALUE);
        loop.run(() -> stream.readLent(1, decoder));
        send(pair.far(), "no newline");
        loop.awaitOnLoop("lent once", () -> decoder.shownUpTo == 10);
        pair.far().close();
        assertThat(await(decoder.closed)).isInstanceOf(StreamClosedException.class);
        assertThat(loop.call(stream::readBufferSize)).isEqualTo(10);
    }

    @Test
    void startTlsIsRefusedInsideTheHandler() throws Exception {
        CompletableFuture<Throwable> refused = new CompletableFuture<>();
        loop.run(() -> stream.readLent(1, new LentReadHandler() {
            @Override
            public int consume(byte[] bytes, int offset, int length) {
                try {
                    stream.startTls(TlsFixture.serverOptions());
                    refused.complete(null);
                } catch (IllegalStateException e) {
                    refused.complete(e);
                }
                return length;
            }

            @Override
            public void closed(StreamClosedException cause) {
            }
        }));
        send(pair.far(), "STARTTLS\n");
        assertThat(await(refused)).isInstanceOf(IllegalStateException.class).hasMessageContaining("readLent handler");
    }

    @Test
    void aTlsStreamLendsTheDecryptedBytesAcrossRecordsAndSplits() throws Exception {
        assumeTrue(tlsStreams(), "TLS runs on SocketChannel streams only");
        try (TlsFixture.Connection connection = TlsFixture.Connection.open()) {
            IOStream tls = loop.call(() -> new IOStream(connection.near(), loop.loop()));
            CompletableFuture<IOStream> started = loop.call(() -> tls.startTls(TlsFixture.serverOptions()));
            SSLSocket client = connection.clientSocket(TlsFixture.CLIENT_CONTEXT);
            client.startHandshake();
            await(started);
            LineDecoder decoder = new LineDecoder(tls, 2);
            loop.run(() -> tls.readLent(1, decoder));
            OutputStream out = client.getOutputStream();
            StringBuilder expected = new StringBuilder();
            for (int i = 0; i < 50; i++) {
                String line = "line " + i + " " + "z".repeat(i * 37);
                expected.append(line).append('\n');
                String text = line + "\n";
                int cut = text.length() / 2; // every line crosses a TLS record boundary
                out.write(text.substring(0, cut).getBytes(ISO_8859_1));
                out.flush();
                out.write(text.substring(cut).getBytes(ISO_8859_1));
                out.flush();
            }
            loop.awaitOnLoop("50 lines", () -> decoder.lines.size() == 50);
            assertThat(String.join("\n", loop.call(() -> List.copyOf(decoder.lines))) + "\n")
                    .isEqualTo(expected.toString());
            // and the stream writes back over TLS as usual
            loop.run(() -> tls.write("ok\n".getBytes(ISO_8859_1)));
            InputStream in = client.getInputStream();
            assertThat(new String(in.readNBytes(3), ISO_8859_1)).isEqualTo("ok\n");
            loop.run(tls::close);
            client.close();
        }
    }

    private static long reports(LogCapture logs, Throwable error) {
        return logs.count(e -> e.level() == Level.ERROR && e.throwable() != null
                && error.getMessage().equals(e.throwable().getMessage()));
    }
}
