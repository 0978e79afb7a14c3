package dev.ioloop.iostream;

import static dev.ioloop.iostream.LoopThread.await;
import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.ioloop.testing.BackendSuite;
import dev.ioloop.test.IOLoopTest;

/**
 * An empty read buffer holds no array: socket reads go into the loop thread's shared array, and
 * only bytes no read has taken move into an array of the stream's own. Real loopback sockets.
 */
@IOLoopTest(makeCurrent = false)
public abstract class IOStreamSharedReadBufferTests extends BackendSuite {

    private static final byte[] LF = {'\n'};

    private LoopThread loop;
    private final List<SocketPair> pairs = new ArrayList<>();

    @BeforeEach
    void setUp() {
        loop = new LoopThread("shared-read-buffer-test");
    }

    @AfterEach
    void tearDown() throws Exception {
        loop.close();
        for (SocketPair pair : pairs) {
            pair.close();
        }
    }

    private SocketPair pair() throws IOException {
        SocketPair pair = SocketPair.open();
        pairs.add(pair);
        return pair;
    }

    private static void send(SocketPair pair, String text) throws IOException {
        ByteBuffer data = ByteBuffer.wrap(text.getBytes(ISO_8859_1));
        while (data.hasRemaining()) {
            pair.far().write(data);
        }
    }

    @Test
    void aStreamWhoseReadsTookEverythingHoldsNoReadArray() throws IOException {
        SocketPair pair = pair();
        IOStream stream = loop.call(() -> new IOStream(pair.near(), loop.loop()));
        CompletableFuture<byte[]> line = loop.call(() -> stream.readUntil(LF));
        send(pair, "hello\n");
        assertThat(new String(await(line), ISO_8859_1)).isEqualTo("hello\n");
        assertThat(loop.call(stream::readBufferCapacity)).isZero();
        assertThat(loop.call(stream::readBufferSize)).isZero();
        loop.run(stream::close);
    }

    @Test
    void bytesNoReadTookMoveIntoAnArrayOfTheStreamsOwnAndStayIntact() throws IOException {
        SocketPair pair = pair();
        IOStream stream = loop.call(() -> new IOStream(pair.near(), loop.loop()));
        CompletableFuture<byte[]> line = loop.call(() -> stream.readUntil(LF));
        send(pair, "one\ntw");
        assertThat(new String(await(line), ISO_8859_1)).isEqualTo("one\n");
        loop.awaitOnLoop("the rest buffered", () -> stream.readBufferSize() == 2);
        assertThat(loop.call(stream::readBufferCapacity)).isEqualTo(ReadBuffer.INITIAL_CAPACITY);
        // another stream on the same loop uses the shared array meanwhile
        SocketPair other = pair();
        IOStream otherStream = loop.call(() -> new IOStream(other.near(), loop.loop()));
        CompletableFuture<byte[]> otherLine = loop.call(() -> otherStream.readUntil(LF));
        send(other, "xxxxxxxxxxxxxxxx\n");
        assertThat(new String(await(otherLine), ISO_8859_1)).isEqualTo("xxxxxxxxxxxxxxxx\n");
        send(pair, "o\n");
        assertThat(new String(await(loop.call(() -> stream.readUntil(LF))), ISO_8859_1)).isEqualTo("two\n");
        assertThat(loop.call(stream::readBufferCapacity)).isZero();
        loop.run(stream::close);
        loop.run(otherStream::close);
    }

    @Test
    void manyStreamsOnOneLoopReceivingAtOnceEachGetOnlyTheirOwnBytes() throws Exception {
        int streams = 32;
        int linesEach = 2_000;
        List<IOStream> all = new ArrayList<>();
        List<CompletableFuture<Integer>> done = new ArrayList<>();
        AtomicInteger wrong = new AtomicInteger();
        for (int s = 0; s < streams; s++) {
            SocketPair pair = pair();
            IOStream stream = loop.call(() -> new IOStream(pair.near(), loop.loop()));
            all.add(stream);
            CompletableFuture<Integer> finished = new CompletableFuture<>();
            String expected = "stream-" + s + "-";
            loop.run(() -> readLines(stream, expected, linesEach, 0, wrong, finished));
            done.add(finished);
        }
        // every peer writes its lines in randomly sized pieces, all peers interleaved
        SplittableRandom random = new SplittableRandom(42);
        StringBuilder[] pending = new StringBuilder[streams];
        for (int s = 0; s < streams; s++) {
            pending[s] = new StringBuilder();
            for (int i = 0; i < linesEach; i++) {
                pending[s].append("stream-").append(s).append('-').append(i).append('\n');
            }
        }
        int[] sent = new int[streams];
        boolean more = true;
        while (more) {
            more = false;
            for (int s = 0; s < streams; s++) {
                int left = pending[s].length() - sent[s];
                if (left == 0) {
                    continue;
                }
                more = true;
                int n = Math.min(left, 1 + random.nextInt(3000));
                send(pairs.get(s), pending[s].substring(sent[s], sent[s] + n));
                sent[s] += n;
            }
        }
        for (CompletableFuture<Integer> finished : done) {
            assertThat(await(finished)).isEqualTo(linesEach);
        }
        assertThat(wrong.get()).isZero();
        for (IOStream stream : all) {
            assertThat(loop.call(stream::readBufferCapacity)).isZero();
            loop.run(stream::close);
        }
    }

    private static void readLines(IOStream stream, String prefix, int total, int got, AtomicInteger wrong,
                                  CompletableFuture<Integer> finished) {
        if (got == total) {
            finished.complete(got);
            return;
        }
        stream.readUntil(LF).whenComplete((line, error) -> {
            if (error != null) {
                finished.completeExceptionally(error);
                return;
            }
            if (!new String(line, ISO_8859_1).equals(prefix + got + "\n")) {
                wrong.incrementAndGet();
            }
            readLines(stream, prefix, total, got + 1, wrong, finished);
        });
    }
}
