package dev.ioloop.iostream;

import static dev.ioloop.iostream.LoopThread.await;
import static dev.ioloop.iostream.LoopThread.awaitFailure;
import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Pattern;

import org.slf4j.event.Level;
import org.junit.jupiter.api.Test;

import dev.ioloop.test.IOLoopTest;
import dev.ioloop.test.LogCapture;

/**
 * IOStream over a real loopback connection; the far end is a plain blocking channel the test
 * drives. Ports the behaviours Tornado's {@code iostream_test} checks, in our words.
 */
@IOLoopTest(makeCurrent = false)
public abstract class IOStreamTests extends SocketPairStreamSuite {

    private static final byte[] CRLF = {'\r', '\n'};

    @Override
    protected String loopName() {
        return "iostream-test";
    }

    private void peerSends(String text) throws IOException {
        ByteBuffer data = ByteBuffer.wrap(text.getBytes(ISO_8859_1));
        while (data.hasRemaining()) {
            pair.far().write(data);
        }
    }

    private String peerReceives(int n) throws IOException {
        ByteBuffer data = ByteBuffer.allocate(n);
        while (data.hasRemaining()) {
            if (pair.far().read(data) < 0) {
                break;
            }
        }
        return new String(data.array(), 0, data.position(), ISO_8859_1);
    }

    private static String text(byte[] bytes) {
        return new String(bytes, ISO_8859_1);
    }

    @Test
    void readUntilReturnsTheLineWithItsDelimiter() throws IOException {
        CompletableFuture<byte[]> line = loop.call(() -> stream.readUntil(CRLF));
        peerSends("hello\r\nrest");
        assertThat(text(await(line))).isEqualTo("hello\r\n");
        assertThat(text(await(loop.call(() -> stream.readBytes(4))))).isEqualTo("rest");
    }

    @Test
    void pipelinedLinesAreServedFromTheBufferWithoutRecursingPerLine() throws IOException {
        // 20,000 lines arrive at once; each read is started from the previous read's callback.
        int lines = 20_000;
        StringBuilder all = new StringBuilder();
        for (int i = 0; i < lines; i++) {
            all.append(i).append('\n');
        }
        List<String> got = new ArrayList<>();
        CompletableFuture<Void> done = new CompletableFuture<>();
        loop.run(() -> readLines(lines, got, done));
        peerSends(all.toString());
        await(done);
        assertThat(got).hasSize(lines);
        for (int i = 0; i < lines; i++) {
            assertThat(got.get(i)).isEqualTo(i + "\n");
        }
    }

    private void readLines(int remaining, List<String> got, CompletableFuture<Void> done) {
        if (remaining == 0) {
            done.complete(null);
            return;
        }
        stream.readUntil(new byte[] {'\n'}).whenComplete((line, error) -> {
            if (error != null) {
                done.completeExceptionally(error);
                return;
            }
            got.add(text(line));
            readLines(remaining - 1, got, done);
        });
    }

    @Test
    void aSecondReadWhileOneIsPendingIsRefusedAtOnce() {
        loop.run(() -> stream.readBytes(1));
        assertThatThrownBy(() -> loop.call(() -> stream.readUntil(CRLF)))
                .hasRootCauseInstanceOf(IllegalStateException.class)
                .hasStackTraceContaining("a read is already pending");
        assertThat(loop.call(stream::reading)).isTrue();
    }

    @Test
    void readBytesPartialReturnsWhatIsThereAndZeroBytesCompletesAtOnce() throws IOException {
        assertThat(loop.call(() -> stream.readBytes(0)).getNow(null)).isEmpty();
        CompletableFuture<byte[]> partial = loop.call(() -> stream.readBytes(100, true));
        peerSends("abc");
        assertThat(text(await(partial))).isEqualTo("abc");
    }

    @Test
    void readUntilRegexEndsAtTheMatchAndMatchesBytesAsLatin1() throws IOException {
        CompletableFuture<byte[]> read = loop.call(() -> stream.readUntilRegex(Pattern.compile("\u00e9+;")));
        peerSends("caf\u00e9\u00e9;tail");
        assertThat(text(await(read))).isEqualTo("caf\u00e9\u00e9;");
        assertThat(text(await(loop.call(() -> stream.readBytes(4))))).isEqualTo("tail");
    }

    @Test
    void readIntoFillsTheBufferOrReturnsEarlyWhenPartial() throws IOException {
        ByteBuffer full = ByteBuffer.allocate(6);
        CompletableFuture<Integer> filled = loop.call(() -> stream.readInto(full, false));
        peerSends("abc");
        peerSends("defgh");
        assertThat(await(filled)).isEqualTo(6);
        assertThat(text(full.array())).isEqualTo("abcdef");
        ByteBuffer some = ByteBuffer.allocate(10);
        assertThat(await(loop.call(() -> stream.readInto(some, true)))).isEqualTo(2);
        assertThat(new String(some.array(), 0, 2, ISO_8859_1)).isEqualTo("gh");
    }

    @Test
    void aLargeReadBytesArrivesWholeAndInOrder() throws Exception {
        int size = 3 * 1024 * 1024 + 17;
        byte[] data = new byte[size];
        for (int i = 0; i < size; i++) {
            data[i] = (byte) (i * 31 + 7);
        }
        CompletableFuture<byte[]> read = loop.call(() -> stream.readBytes(size));
        Thread writer = writeInBackground(data);
        assertThat(await(read)).isEqualTo(data);
        writer.join();
        assertThat(loop.call(stream::readBufferCapacity)).isLessThanOrEqualTo(ReadBuffer.STEADY_CAPACITY);
    }

    @Test
    void readUntilCloseReturnsEverythingAtTheCleanEof() throws IOException {
        CompletableFuture<byte[]> rest = loop.call(stream::readUntilClose);
        peerSends("all of ");
        peerSends("it");
        pair.far().shutdownOutput();
        assertThat(text(await(rest))).isEqualTo("all of it");
        assertThat(loop.call(stream::closed)).isTrue();
        assertThat(loop.call(stream::error)).isNull();
    }

    @Test
    void dataThatArrivedBeforeTheCloseStillSatisfiesReadsThenReadsFail() throws IOException {
        peerSends("abc");
        pair.far().close();
        loop.awaitOnLoop("the stream saw the EOF", stream::closed);
        assertThat(text(await(loop.call(() -> stream.readBytes(2))))).isEqualTo("ab");
        Throwable failure = awaitFailure(loop.call(() -> stream.readBytes(2)));
        assertThat(failure).isInstanceOf(StreamClosedException.class);
        assertThat(failure.getCause()).isNull();
        assertThat(text(await(loop.call(() -> stream.readBytes(1))))).isEqualTo("c");
    }

    @Test
    void thePeersHalfCloseDeliversEverythingSentBeforeItAndClosesTheStream() throws IOException {
        // Tornado has no half-open streams: the peer's FIN ends reads and closes our side too, so
        // the peer then sees our EOF; a write after that fails instead of vanishing.
        List<String> events = new CopyOnWriteArrayList<>();
        loop.run(() -> stream.setCloseCallback(() -> events.add("closed")));
        peerSends("request body");
        pair.far().shutdownOutput();
        assertThat(text(await(loop.call(stream::readUntilClose)))).isEqualTo("request body");
        assertThat(loop.call(() -> List.copyOf(events))).containsExactly("closed");
        assertThat(peerReceives(1)).isEmpty(); // EOF: our side closed
        assertThat(awaitFailure(loop.call(() -> stream.write(new byte[] {1}))))
                .isInstanceOf(StreamClosedException.class);
    }

    @Test
    void anIdleStreamNoticesThePeersCloseAndRunsItsCloseCallback() throws IOException {
        List<String> events = new CopyOnWriteArrayList<>();
        loop.run(() -> stream.setCloseCallback(() -> events.add("closed")));
        pair.far().close();
        loop.awaitOnLoop("the close callback ran", () -> !events.isEmpty());
        assertThat(events).containsExactly("closed");
    }

    @Test
    void aResetMidReadFailsTheReadWithTheResetAsCause() throws IOException {
        CompletableFuture<byte[]> read = loop.call(() -> stream.readUntil(CRLF));
        peerSends("partial line without end");
        pair.far().setOption(StandardSocketOptions.SO_LINGER, 0);
        pair.far().close(); // an RST instead of a FIN
        Throwable failure = awaitFailure(read);
        assertThat(failure).isInstanceOf(StreamClosedException.class);
        assertThat(failure.getCause()).isInstanceOf(IOException.class).isNotInstanceOf(StreamClosedException.class);
        assertThat(loop.call(stream::error)).isSameAs(failure.getCause());
    }

    @Test
    void closeFailsThePendingReadAndWritesThenRunsTheCloseCallbackOnce() throws IOException {
        List<String> events = new CopyOnWriteArrayList<>();
        // fill the peer's receive window so that a write stays queued
        loop.run(() -> setNearSendBuffer(pair, 4096));
        CompletableFuture<byte[]> read = loop.call(() -> stream.readBytes(10));
        CompletableFuture<Void> write = loop.call(() -> stream.write(new byte[16 * 1024 * 1024]));
        read.whenComplete((v, e) -> events.add("read failed"));
        write.whenComplete((v, e) -> events.add("write failed"));
        IOException cause = new IOException("we are done");
        loop.run(() -> {
            stream.setCloseCallback(() -> events.add("closed"));
            stream.close(cause);
            stream.close(); // idempotent: no second callback, the first cause stays
        });
        assertThat(awaitFailure(read)).isInstanceOf(StreamClosedException.class).hasCause(cause);
        assertThat(awaitFailure(write)).isInstanceOf(StreamClosedException.class).hasCause(cause);
        assertThat(events).containsExactly("read failed", "write failed", "closed");
        assertThat(loop.call(stream::error)).isSameAs(cause);
        assertThat(loop.call(stream::writing)).isFalse();
    }

    @Test
    void aCloseCallbackSetAfterTheCloseStillRuns() {
        List<String> events = new CopyOnWriteArrayList<>();
        loop.run(stream::close);
        loop.run(() -> stream.setCloseCallback(() -> events.add("late")));
        loop.awaitOnLoop("the late callback ran", () -> !events.isEmpty());
        assertThat(events).containsExactly("late");
    }

    @Test
    void onClosedActionsRunInOrderAfterTheCloseCallbackAndBeforeWhenClosedEvenIfOneThrows() {
        List<String> events = new CopyOnWriteArrayList<>();
        try (LogCapture logs = LogCapture.start()) {
            loop.run(() -> {
                stream.setCloseCallback(() -> events.add("callback"));
                stream.onClosed(() -> events.add("first"));
                stream.onClosed(() -> {
                    events.add("second");
                    throw new IllegalStateException("second action failed");
                });
                stream.onClosed(() -> events.add("third"));
                stream.whenClosed().thenRun(() -> events.add("whenClosed"));
                stream.close();
            });
            assertThat(events).containsExactly("callback", "first", "second", "third", "whenClosed");
            assertThat(logs.count(Level.ERROR, "Close callback")).isEqualTo(1);
        }
    }

    @Test
    void anOnClosedActionAddedAfterTheCloseStillRuns() {
        List<String> events = new CopyOnWriteArrayList<>();
        loop.run(stream::close);
        loop.run(() -> stream.onClosed(() -> events.add("late")));
        loop.awaitOnLoop("the late action ran", () -> !events.isEmpty());
        assertThat(events).containsExactly("late");
    }

    @Test
    void writesArriveInOrderAndEachFutureCompletesOnceItsBytesAreWritten() throws IOException {
        List<CompletableFuture<Void>> writes = loop.call(() -> List.of(
                stream.write("one ".getBytes(ISO_8859_1)),
                stream.write(ByteBuffer.wrap("two ".getBytes(ISO_8859_1))),
                stream.write(new byte[0]),
                stream.write("three".getBytes(ISO_8859_1))));
        writes.forEach(LoopThread::await);
        assertThat(peerReceives(13)).isEqualTo("one two three");
        assertThat(loop.call(stream::writing)).isFalse();
    }

    @Test
    void aWriteOverMaxWriteBufferSizeFailsAndQueuesNothingAndTheStreamStaysOpen() throws IOException {
        SocketPair other = openPair();
        try {
            IOStream limited = loop.call(() -> streamOver(other, loop.loop(), 1024, 100));
            Throwable failure = awaitFailure(loop.call(() -> limited.write(new byte[101])));
            assertThat(failure).isInstanceOf(StreamBufferFullException.class)
                    .hasMessageContaining("maxWriteBufferSize (100)");
            assertThat(loop.call(limited::closed)).isFalse();
            assertThat(loop.call(limited::writeBufferSize)).isZero();
            await(loop.call(() -> limited.write(new byte[100])));
            loop.run(limited::close);
        } finally {
            other.close();
        }
    }

    @Test
    void aDelimiterNotWithinMaxBytesClosesTheStreamWithUnsatisfiableRead() throws IOException {
        CompletableFuture<byte[]> read = loop.call(() -> stream.readUntil(CRLF, 8));
        peerSends("123456789");
        Throwable failure = awaitFailure(read);
        assertThat(failure).isInstanceOf(StreamClosedException.class)
                .hasCauseInstanceOf(UnsatisfiableReadException.class);
        assertThat(loop.call(stream::error)).isSameAs(failure.getCause());
        assertThat(loop.call(stream::closed)).isTrue();
    }

    @Test
    void aDelimiterJustWithinMaxBytesIsReadAndTheRestStaysBuffered() throws IOException {
        peerSends("1234\r\n56789");
        loop.awaitOnLoop("all bytes buffered", () -> stream.readBufferSize() == 11);
        assertThat(text(await(loop.call(() -> stream.readUntil(CRLF, 6))))).isEqualTo("1234\r\n");
        assertThat(text(await(loop.call(() -> stream.readUntilRegex(Pattern.compile("7"), 3))))).isEqualTo("567");
        Throwable failure = awaitFailure(loop.call(() -> stream.readUntilRegex(Pattern.compile("9"), 1)));
        assertThat(failure).hasCauseInstanceOf(UnsatisfiableReadException.class);
    }

    @Test
    void readsThatNeedMoreThanMaxBufferSizeCloseTheStream() throws IOException {
        SocketPair a = openPair();
        SocketPair b = openPair();
        SocketPair c = openPair();
        try {
            IOStream untilClose = loop.call(() -> streamOver(a, loop.loop(), 1000, 0));
            IOStream until = loop.call(() -> streamOver(b, loop.loop(), 1000, 0));
            IOStream bytes = loop.call(() -> streamOver(c, loop.loop(), 1000, 0));
            CompletableFuture<byte[]> r1 = loop.call(untilClose::readUntilClose);
            CompletableFuture<byte[]> r2 = loop.call(() -> until.readUntil(CRLF));
            a.far().write(ByteBuffer.allocate(1001));
            b.far().write(ByteBuffer.allocate(1001));
            assertThat(awaitFailure(r1)).isInstanceOf(StreamClosedException.class)
                    .hasCauseInstanceOf(UnsatisfiableReadException.class);
            assertThat(awaitFailure(r2)).hasCauseInstanceOf(UnsatisfiableReadException.class);
            Throwable tooBig = awaitFailure(loop.call(() -> bytes.readBytes(1001)));
            assertThat(tooBig.getCause()).isInstanceOf(UnsatisfiableReadException.class)
                    .hasMessageContaining("maxBufferSize (1000)");
            assertThat(loop.call(() -> untilClose.closed() && until.closed() && bytes.closed())).isTrue();
        } finally {
            a.close();
            b.close();
            c.close();
        }
    }

    @Test
    void exactlyMaxBufferSizeBytesSatisfyARead() throws IOException {
        SocketPair a = openPair();
        try {
            IOStream s = loop.call(() -> streamOver(a, loop.loop(), 1000, 0));
            CompletableFuture<byte[]> read = loop.call(s::readUntilClose);
            a.far().write(ByteBuffer.allocate(1000));
            a.far().close();
            assertThat(await(read)).hasSize(1000);
        } finally {
            a.close();
        }
    }

    @Test
    void closingTheChannelUnderTheStreamClosesTheStream() throws IOException {
        assumeTrue(loop.call(stream::channel) != null, "the stream has no java.nio channel to close under it");
        CompletableFuture<byte[]> read = loop.call(() -> stream.readBytes(5));
        loop.run(() -> stream.channel().close());
        // The loop reports ERROR after the select that drops the cancelled key; a callback wakes
        // that select (an idle loop would report it on its next wake-up).
        loop.run(() -> { });
        loop.run(() -> { });
        assertThat(awaitFailure(read)).isInstanceOf(StreamClosedException.class);
        assertThat(loop.call(stream::closed)).isTrue();
    }

    @Test
    void aClosedChannelOrBadLimitsAreRefusedWithClearMessages() throws IOException {
        SocketChannel closedChannel = SocketChannel.open();
        closedChannel.close();
        assertThatThrownBy(() -> new IOStream(closedChannel, loop.loop()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'channel' must be open");
        assertThatThrownBy(() -> streamOver(pair, loop.loop(), 0, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("'maxBufferSize' must be in [1, "
                        + (Integer.MAX_VALUE - 16) + "] (was 0)");
        assertThatThrownBy(() -> streamOver(pair, loop.loop(), 10, -1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("'maxWriteBufferSize' must be >= 0, 0 meaning unlimited (was -1)");
        assertThatThrownBy(() -> loop.call(() -> stream.readBytes(-1)))
                .hasRootCauseMessage("'numBytes' must be >= 0 (was -1)");
        assertThatThrownBy(() -> loop.call(() -> stream.readUntil(new byte[0])))
                .hasRootCauseMessage("'delimiter' must not be empty");
    }

    @Test
    void readAndWriteOnAClosedStreamFailWithStreamClosed() {
        loop.run(stream::close);
        assertThat(awaitFailure(loop.call(() -> stream.readBytes(1)))).isInstanceOf(StreamClosedException.class);
        assertThat(awaitFailure(loop.call(() -> stream.write(new byte[1])))).isInstanceOf(StreamClosedException.class);
        assertThat(await(loop.call(stream::readUntilClose))).isEmpty();
    }

    @Test
    void aReadStartedInAWriteCallbackAndAWriteInAReadCallbackBothWork() throws IOException {
        // echo one line from inside the callbacks: read -> write -> read again
        CompletableFuture<String> second = new CompletableFuture<>();
        loop.run(() -> stream.readUntil(CRLF)
                .thenCompose(stream::write)
                .thenCompose(written -> stream.readUntil(CRLF))
                .thenAccept(line -> second.complete(text(line))));
        peerSends("ping\r\npong\r\n");
        assertThat(peerReceives(6)).isEqualTo("ping\r\n");
        assertThat(await(second)).isEqualTo("pong\r\n");
    }

    @Test
    void manySmallReadsDrainALargeInputInOrder() throws Exception {
        int total = 1024 * 1024;
        byte[] data = new byte[total];
        for (int i = 0; i < total; i++) {
            data[i] = (byte) (i % 251);
        }
        Thread writer = writeInBackground(data);
        CompletableFuture<Integer> checked = new CompletableFuture<>();
        loop.run(() -> readSmall(0, total, checked));
        assertThat(await(checked)).isEqualTo(total);
        writer.join();
        assertThat(loop.call(stream::readBufferCapacity)).isLessThanOrEqualTo(ReadBuffer.STEADY_CAPACITY);
    }

    private void readSmall(int offset, int total, CompletableFuture<Integer> done) {
        if (offset == total) {
            done.complete(offset);
            return;
        }
        stream.readBytes(Math.min(1000, total - offset)).whenComplete((bytes, error) -> {
            if (error != null) {
                done.completeExceptionally(error);
                return;
            }
            for (int i = 0; i < bytes.length; i++) {
                if (bytes[i] != (byte) ((offset + i) % 251)) {
                    done.completeExceptionally(new AssertionError("byte " + (offset + i) + " differs"));
                    return;
                }
            }
            readSmall(offset + bytes.length, total, done);
        });
    }

    @Test
    void aLargeReadUntilGrowsTheBufferForThatMessageOnlyThenShrinksBack() throws Exception {
        byte[] big = new byte[2 * 1024 * 1024 + 2];
        java.util.Arrays.fill(big, (byte) 'x');
        big[big.length - 2] = '\r';
        big[big.length - 1] = '\n';
        CompletableFuture<byte[]> read = loop.call(() -> stream.readUntil(CRLF));
        Thread writer = writeInBackground(big, "next\r\n".getBytes(ISO_8859_1));
        assertThat(await(read)).isEqualTo(big);
        assertThat(text(await(loop.call(() -> stream.readUntil(CRLF))))).isEqualTo("next\r\n");
        writer.join();
        assertThat(loop.call(stream::readBufferCapacity)).isLessThanOrEqualTo(ReadBuffer.STEADY_CAPACITY);
    }

    @Test
    void readIntoABufferWithNoRoomCompletesAtOnceWithZero() {
        assertThat(loop.call(() -> stream.readInto(ByteBuffer.allocate(0), false)).getNow(-1)).isZero();
        assertThat(loop.call(stream::reading)).isFalse();
    }

    @Test
    void aResetWhileWritesAreQueuedFailsThemWithTheResetAsCause() throws IOException {
        // more than the kernel buffers hold (the default write limit: 16 MiB), so that part of it
        // stays queued in the stream
        CompletableFuture<Void> write = loop.call(() -> stream.write(new byte[IOStream.DEFAULT_MAX_WRITE_BUFFER_SIZE]));
        assertThat(write).isNotDone();
        pair.far().setOption(StandardSocketOptions.SO_LINGER, 0);
        pair.far().close();
        Throwable failure = awaitFailure(write);
        assertThat(failure).isInstanceOf(StreamClosedException.class);
        assertThat(failure.getCause()).isInstanceOf(IOException.class).isSameAs(loop.call(stream::error));
        assertThat(loop.call(stream::writeBufferSize)).isZero();
    }

    /** Writes the chunks, in order, to the far end of the socket pair from a new thread, and returns it started. */
    private Thread writeInBackground(byte[]... chunks) {
        Thread writer = new Thread(() -> {
            try {
                for (byte[] chunk : chunks) {
                    ByteBuffer b = ByteBuffer.wrap(chunk);
                    while (b.hasRemaining()) {
                        pair.far().write(b);
                    }
                }
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
        writer.start();
        return writer;
    }
}
