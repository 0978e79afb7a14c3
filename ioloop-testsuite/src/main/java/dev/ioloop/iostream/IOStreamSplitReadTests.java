package dev.ioloop.iostream;

import static dev.ioloop.iostream.LoopThread.await;
import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;

import dev.ioloop.testing.BackendSuite;
import dev.ioloop.test.IOLoopTest;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Every read kind, with its message split into two TCP sends at every byte boundary, in both
 * orders: the first part already buffered when the read starts, and the read pending when the first
 * part arrives. The second part is sent only once the stream holds the first, so each split really
 * reaches the stream as two reads (the delimiter scan resumes across the boundary).
 */
@IOLoopTest(makeCurrent = false)
public abstract class IOStreamSplitReadTests extends BackendSuite {

    /** A multi-byte delimiter with a near miss before it, so a resumed scan can go wrong. */
    private static final String FRAMED = "k: v\r\n\rx\r\n\r\n";
    private static final byte[] END = "\r\n\r\n".getBytes(ISO_8859_1);

    enum Kind {
        READ_BYTES("0123456789abcdef", s -> s.readBytes(16).thenApply(IOStreamSplitReadTests::text)),
        READ_UNTIL(FRAMED, s -> s.readUntil(END).thenApply(IOStreamSplitReadTests::text)),
        READ_UNTIL_WITH_MAX_BYTES(FRAMED, s -> s.readUntil(END, FRAMED.length()).thenApply(IOStreamSplitReadTests::text)),
        READ_UNTIL_REGEX(FRAMED, s -> s.readUntilRegex(Pattern.compile("\r?\n\r?\n")).thenApply(IOStreamSplitReadTests::text)),
        READ_INTO("0123456789abcdef", s -> {
            ByteBuffer target = ByteBuffer.allocate(16);
            intoTarget = target;
            return s.readInto(target, false).thenApply(n -> new String(target.array(), 0, n, ISO_8859_1));
        }),
        READ_UNTIL_CLOSE("everything until the end", s -> s.readUntilClose().thenApply(IOStreamSplitReadTests::text));

        final String message;
        final Function<IOStream, CompletableFuture<String>> read;

        Kind(String message, Function<IOStream, CompletableFuture<String>> read) {
            this.message = message;
            this.read = read;
        }
    }

    /** One loop for the whole class (hundreds of parameterized cases), on the suite's backend. */
    private static @Nullable LoopThread loop;
    /** The last READ_INTO target (loop thread), to see how far a pending readInto got. */
    static ByteBuffer intoTarget = ByteBuffer.allocate(0);

    @BeforeEach
    void startLoopOnce() {
        if (loop == null) { // built by a test instance: after the backend was configured (BackendSuite)
            loop = new LoopThread("split-read-test");
        }
    }

    @AfterAll
    static void stopLoop() throws InterruptedException {
        if (loop != null) {
            loop.close();
            loop = null;
        }
    }

    static String text(byte[] bytes) {
        return new String(bytes, ISO_8859_1);
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void theMessageIsReadWholeWhateverTheSplitWhenTheFirstPartIsAlreadyBuffered(Kind kind) throws IOException {
        for (int split = 0; split <= kind.message.length(); split++) {
            try (SocketPair pair = SocketPair.open()) {
                IOStream stream = loop.call(() -> new IOStream(pair.near(), loop.loop()));
                send(pair, kind.message.substring(0, split));
                int buffered = split;
                loop.awaitOnLoop("the first " + split + " bytes are buffered", () -> stream.readBufferSize() == buffered);
                CompletableFuture<String> read = loop.call(() -> kind.read.apply(stream));
                finish(kind, pair, stream, split, read);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void theMessageIsReadWholeWhateverTheSplitWhenTheReadIsPendingFirst(Kind kind) throws IOException {
        for (int split = 0; split <= kind.message.length(); split++) {
            try (SocketPair pair = SocketPair.open()) {
                IOStream stream = loop.call(() -> new IOStream(pair.near(), loop.loop()));
                CompletableFuture<String> read = loop.call(() -> kind.read.apply(stream));
                send(pair, kind.message.substring(0, split));
                int sent = split;
                if (split == kind.message.length() && kind != Kind.READ_UNTIL_CLOSE) {
                    await(read); // the whole message was the first part: nothing stays buffered
                } else if (kind == Kind.READ_INTO) {
                    // bytes go straight into the read's own buffer, not the stream's
                    loop.awaitOnLoop("the first " + split + " bytes are in the target", () -> intoTarget.position() == sent);
                } else {
                    loop.awaitOnLoop("the first " + split + " bytes are buffered", () -> stream.readBufferSize() == sent);
                }
                finish(kind, pair, stream, split, read);
            }
        }
    }

    private static void finish(Kind kind, SocketPair pair, IOStream stream, int split, CompletableFuture<String> read)
            throws IOException {
        if (split < kind.message.length() || kind == Kind.READ_UNTIL_CLOSE) {
            assertThat(read).as("%s after %d of %d bytes", kind, split, kind.message.length()).isNotDone();
        }
        send(pair, kind.message.substring(split) + (kind == Kind.READ_UNTIL_CLOSE ? "" : "+tail"));
        if (kind == Kind.READ_UNTIL_CLOSE) {
            pair.far().shutdownOutput();
        }
        assertThat(await(read)).as("%s split at %d", kind, split).isEqualTo(kind.message);
        if (kind != Kind.READ_UNTIL_CLOSE) {
            assertThat(text(await(loop.call(() -> stream.readBytes(5))))).isEqualTo("+tail");
        }
        loop.run(stream::close);
    }

    private static void send(SocketPair pair, String text) throws IOException {
        ByteBuffer data = ByteBuffer.wrap(text.getBytes(ISO_8859_1));
        while (data.hasRemaining()) {
            pair.far().write(data);
        }
    }
}
