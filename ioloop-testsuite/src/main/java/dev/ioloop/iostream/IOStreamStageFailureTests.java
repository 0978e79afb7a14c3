package dev.ioloop.iostream;

import static dev.ioloop.iostream.LoopThread.await;
import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.slf4j.event.Level;
import org.junit.jupiter.api.Test;

import dev.ioloop.test.LogCapture;
import dev.ioloop.test.CapturedLog;
import dev.ioloop.test.IOLoopTest;

/**
 * A {@code Throwable} thrown in a {@code CompletableFuture} stage chained on a stream's future is
 * never swallowed: unless something handles the stage, it closes the stream with that cause and
 * reaches the loop's {@code handleCallbackException} once. Real loopback sockets; the far end is a
 * blocking channel the test drives.
 */
@IOLoopTest(makeCurrent = false)
public abstract class IOStreamStageFailureTests extends SocketPairStreamSuite {

    private static final byte[] CRLF = {'\r', '\n'};

    @Override
    protected String loopName() {
        return "stage-failure-test";
    }

    private void peerSends(String text) throws IOException {
        ByteBuffer data = ByteBuffer.wrap(text.getBytes(ISO_8859_1));
        while (data.hasRemaining()) {
            pair.far().write(data);
        }
    }

    /** Waits until the stream closed, then reads on the far end until EOF; true if EOF came. */
    private boolean peerSeesEof() throws IOException {
        loop.awaitOnLoop("the stream closed", stream::closed);
        ByteBuffer sink = ByteBuffer.allocate(256);
        while (true) {
            sink.clear();
            if (pair.far().read(sink) < 0) {
                return true;
            }
        }
    }

    private static long reports(LogCapture logs, Throwable error) {
        return logs.count(e -> e.level() == Level.ERROR && e.throwable() != null
                && e.throwable().getMessage() != null && e.throwable().getMessage().equals(error.getMessage()));
    }

    @Test
    void anErrorThrownInAStageChainedOnAPendingReadClosesTheStreamAndReachesTheLoopOnce() throws Exception {
        AssertionError boom = new AssertionError("boom in thenAccept");
        long errorsBefore = loop.loop().stats().callbackErrors();
        try (LogCapture logs = LogCapture.start()) {
            loop.run(() -> stream.readUntil(CRLF).thenAccept(line -> {
                throw boom;
            }));
            peerSends("hello\r\n");
            assertThat(peerSeesEof()).isTrue();
            assertThat(loop.call(stream::error)).isSameAs(boom);
            loop.awaitOnLoop("the report", () -> reports(logs, boom) == 1);
            assertThat(logs.count(Level.ERROR, "unhandled failure of a stage chained on IOStream")).isEqualTo(1);
        }
        assertThat(loop.loop().stats().callbackErrors() - errorsBefore).isEqualTo(1);
        assertThat(loop.loop().isRunning()).isTrue();
    }

    @Test
    void aStageChainedOnABufferedReadIsCheckedToo() throws Exception {
        // The read completes at once from buffered data, so CompletableFuture runs the stage inside
        // thenApply and sets its result without notifying anyone: the loop's next turn looks at it.
        peerSends("first\r\nsecond\r\n");
        loop.awaitOnLoop("both lines buffered", () -> stream.readBufferSize() == 15);
        IllegalStateException boom = new IllegalStateException("boom in thenApply");
        try (LogCapture logs = LogCapture.start()) {
            loop.run(() -> {
                CompletableFuture<byte[]> read = stream.readUntil(CRLF);
                assertThat(read.isDone()).isTrue();
                read.thenApply(line -> {
                    throw boom;
                });
            });
            assertThat(peerSeesEof()).isTrue();
            loop.awaitOnLoop("the report", () -> reports(logs, boom) == 1);
        }
        assertThat(loop.call(stream::error)).isSameAs(boom);
    }

    @Test
    void aFailureHandledFurtherDownTheChainIsNotReportedAndTheStreamStaysOpen() throws Exception {
        peerSends("bad\r\n");
        loop.awaitOnLoop("the line buffered", () -> stream.readBufferSize() == 5);
        CompletableFuture<String> answer = loop.call(() -> stream.readUntil(CRLF)
                .thenApply(line -> {
                    throw new IllegalArgumentException("cannot parse " + new String(line, ISO_8859_1).strip());
                })
                .thenApply(Object::toString)
                .exceptionally(e -> "handled: " + e.getCause().getMessage()));
        assertThat(await(answer)).isEqualTo("handled: cannot parse bad");
        // Later callbacks ran (the checks included) and the stream is still usable.
        peerSends("next\r\n");
        assertThat(new String(await(loop.call(() -> stream.readUntil(CRLF))), ISO_8859_1)).isEqualTo("next\r\n");
        assertThat(loop.call(stream::closed)).isFalse();
    }

    @Test
    void aWhenCompleteWhoseActionIsGivenTheFailureHandlesIt() throws Exception {
        // IOLoopTest fails the test on any ERROR: the stage whenComplete returns fails with the
        // failure its action saw, which is therefore not reported again.
        AtomicReference<Throwable> seen = new AtomicReference<>();
        peerSends("x\r\n");
        loop.awaitOnLoop("the line buffered", () -> stream.readBufferSize() == 3);
        loop.run(() -> stream.readUntil(CRLF)
                .thenApply(line -> {
                    throw new IllegalStateException("seen by whenComplete");
                })
                .whenComplete((v, e) -> seen.set(e)));
        loop.run(() -> { }); // the checks ran in an earlier turn
        assertThat(seen.get()).hasRootCauseMessage("seen by whenComplete");
        assertThat(loop.call(stream::closed)).isFalse();
    }

    @Test
    void aStageThatFailsOnlyBecauseThePeerLeftIsNotAnError() throws Exception {
        AtomicReference<Throwable> seen = new AtomicReference<>();
        try (LogCapture logs = LogCapture.start()) {
            CompletableFuture<Void> stage = loop.call(() -> stream.readUntil(CRLF).thenAccept(line -> { }));
            pair.far().close();
            stage.whenComplete((v, e) -> seen.set(e));
            loop.awaitOnLoop("the stream closed", stream::closed);
            // one more loop turn for the checks
            loop.run(() -> { });
            assertThat(logs.records().stream().filter(e -> e.isAtLeast(Level.WARN)).map(CapturedLog::message))
                    .isEmpty();
        }
        assertThat(seen.get()).hasCauseInstanceOf(StreamClosedException.class);
    }

    @Test
    void aStageRunByAnExecutorIsReportedWhenItFails() throws Exception {
        ExecutorService executor = Executors.newSingleThreadExecutor();
        RuntimeException boom = new RuntimeException("boom on the executor");
        try (LogCapture logs = LogCapture.start()) {
            peerSends("x\r\n");
            loop.awaitOnLoop("the line buffered", () -> stream.readBufferSize() == 3);
            loop.run(() -> stream.readUntil(CRLF).thenAcceptAsync(line -> {
                throw boom;
            }, executor));
            assertThat(peerSeesEof()).isTrue();
            loop.awaitOnLoop("the report", () -> reports(logs, boom) == 1);
        } finally {
            executor.shutdown();
            assertThat(executor.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
        }
    }

    @Test
    void aStageChainedOnAnotherThreadIsReportedOnceNothingCanHandleItAnyMore() throws Exception {
        RuntimeException boom = new RuntimeException("boom in a stage chained off the loop");
        try (LogCapture logs = LogCapture.start()) {
            CompletableFuture<byte[]> read = loop.call(() -> stream.readUntil(CRLF));
            read.thenAccept(line -> {
                throw boom;
            }); // chained on the test thread, and dropped
            peerSends("x\r\n");
            await(read);
            LoopThread.awaitCollecting("the report", () -> reports(logs, boom) == 1);
            assertThat(peerSeesEof()).isTrue();
        }
        assertThat(loop.call(stream::error)).isSameAs(boom);
    }

    @Test
    void aStageChainedOnAnotherThreadMayBeHandledAtAnyTimeWhileItIsReferenced() throws Exception {
        // The handler comes after the stage failed and after many loop turns and collections (a
        // thread that stalls for any time): the failure is handled, nothing is reported (the
        // extension fails the test on an ERROR) and the stream stays open.
        CompletableFuture<byte[]> read = loop.call(() -> stream.readUntil(CRLF));
        CompletableFuture<Void> stage = read.thenAccept(line -> {
            throw new IllegalStateException("handled later");
        });
        peerSends("x\r\n");
        await(read);
        for (int i = 0; i < 20; i++) {
            System.gc();
            loop.run(() -> { });
        }
        assertThat(loop.call(stream::closed)).isFalse();
        AtomicReference<Throwable> seen = new AtomicReference<>();
        stage.exceptionally(e -> {
            seen.set(e);
            return null;
        });
        stage = null; // unreachable from here: its check runs at the next collection
        LoopThread.awaitCollecting("every armed check ran", StreamFuture::collectionChecksIdle);
        loop.run(() -> { }); // a report the check queued would have run by now
        assertThat(seen.get()).hasRootCauseMessage("handled later");
        assertThat(loop.call(stream::closed)).isFalse();
    }

    @Test
    void aVirtualMachineErrorInAStageIsReportedAndStopsTheLoopAsAnyCallbacksWould() throws Exception {
        assumeTrue(pairKind().closesADeadLoopAnywhere(), "a loop that died on its thread cannot be closed on another");
        OutOfMemoryError oom = new OutOfMemoryError("simulated in a stage");
        try (LogCapture logs = LogCapture.start()) {
            loop.run(() -> stream.readUntil(CRLF).whenComplete((line, e) -> {
                throw oom;
            }));
            peerSends("go\r\n");
            long deadline = System.nanoTime() + LoopThread.WAIT.toNanos();
            while (loop.loop().isRunning() && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            assertThat(loop.loop().isRunning()).isFalse();
            assertThat(reports(logs, oom)).isEqualTo(1);
            assertThat(nearOpen(pair)).as("the stream's socket").isFalse();
        }
    }
}
