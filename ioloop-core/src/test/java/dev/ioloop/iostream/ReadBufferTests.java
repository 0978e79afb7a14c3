package dev.ioloop.iostream;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.Pipe;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * ReadBuffer's use of the thread's shared array, over pipes on the test thread (the streams' use of
 * it over real sockets, on every backend, is ioloop-testsuite's IOStreamSharedReadBufferTests).
 */
class ReadBufferTests {

    private Pipe first;
    private Pipe second;

    @BeforeEach
    void openPipes() throws IOException {
        first = Pipe.open();
        second = Pipe.open();
    }

    @AfterEach
    void closePipes() throws IOException {
        for (Pipe pipe : new Pipe[] {first, second}) {
            pipe.sink().close();
            pipe.source().close();
        }
    }

    private static void send(Pipe pipe, String text) throws IOException {
        ByteBuffer data = ByteBuffer.wrap(text.getBytes(ISO_8859_1));
        while (data.hasRemaining()) {
            pipe.sink().write(data);
        }
    }

    @Test
    void aReadIntoAnEmptyBufferBorrowsTheSharedArrayAndReleaseKeepsOnlyTheRest() throws IOException {
        ReadBuffer buffer = new ReadBuffer();
        send(first, "hello world");
        assertThat(buffer.readFrom(first.source(), 1024)).isEqualTo(11);
        assertThat(buffer.capacity()).isEqualTo(ReadBuffer.SHARED_CAPACITY);
        assertThat(new String(buffer.take(6), ISO_8859_1)).isEqualTo("hello ");
        buffer.releaseShared();
        assertThat(buffer.capacity()).isEqualTo(ReadBuffer.INITIAL_CAPACITY);
        assertThat(new String(buffer.take(5), ISO_8859_1)).isEqualTo("world");
        assertThat(buffer.capacity()).isZero();
    }

    @Test
    void aReadNestedInAnotherBuffersUseOfTheSharedArrayGetsAnArrayOfItsOwn() throws IOException {
        ReadBuffer outer = new ReadBuffer();
        ReadBuffer nested = new ReadBuffer();
        send(first, "outer bytes");
        send(second, "nested bytes");
        assertThat(outer.readFrom(first.source(), 1024)).isEqualTo(11);
        // while outer holds the shared array (a delivery in progress), another buffer reads
        assertThat(nested.readFrom(second.source(), 1024)).isEqualTo(12);
        assertThat(nested.capacity()).isEqualTo(ReadBuffer.INITIAL_CAPACITY);
        assertThat(new String(outer.take(11), ISO_8859_1)).isEqualTo("outer bytes");
        assertThat(new String(nested.take(12), ISO_8859_1)).isEqualTo("nested bytes");
        nested.releaseShared(); // a no-op: it never borrowed
        outer.releaseShared();
        // the shared array is free again for the next read
        send(second, "again");
        assertThat(nested.readFrom(second.source(), 1024)).isEqualTo(5);
        assertThat(nested.capacity()).isEqualTo(ReadBuffer.SHARED_CAPACITY);
        nested.releaseShared();
    }
}
