package dev.ioloop.benchmarks.resp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class RespDecoderTests {

    private static final String PIPELINE = "*3\r\n$3\r\nSET\r\n$3\r\nkey\r\n$5\r\nva\r\nl\r\n"
            + "PING\r\n"
            + "\r\n"
            + "*0\r\n"
            + "  get   key\t x\n"
            + "*1\r\n$4\r\nPING\r\n"
            + "*2\r\n$4\r\nECHO\r\n$0\r\n\r\n";

    private static final List<List<String>> EXPECTED = List.of(
            List.of("SET", "key", "va\r\nl"),
            List.of("PING"),
            List.of("get", "key", "x"),
            List.of("PING"),
            List.of("ECHO", ""));

    @Test
    void decodesMultibulkAndInlineCommandsSplitAtEveryByte() {
        byte[] bytes = PIPELINE.getBytes(StandardCharsets.ISO_8859_1);
        for (int split = 0; split <= bytes.length; split++) {
            EmbeddedChannel channel = new EmbeddedChannel(new RespDecoder());
            channel.writeInbound(Unpooled.wrappedBuffer(Arrays.copyOfRange(bytes, 0, split)));
            channel.writeInbound(Unpooled.wrappedBuffer(Arrays.copyOfRange(bytes, split, bytes.length)));
            assertThat(drain(channel)).as("split at %d", split).isEqualTo(EXPECTED);
            channel.finishAndReleaseAll();
        }
    }

    @Test
    void decodesInputFedOneByteAtATime() {
        EmbeddedChannel channel = new EmbeddedChannel(new RespDecoder());
        for (byte b : PIPELINE.getBytes(StandardCharsets.ISO_8859_1)) {
            channel.writeInbound(Unpooled.wrappedBuffer(new byte[] {b}));
        }
        assertThat(drain(channel)).isEqualTo(EXPECTED);
        channel.finishAndReleaseAll();
    }

    @Test
    void rejectsANonNumericMultibulkLength() {
        assertProtocolError("*abc\r\n", "invalid multibulk length");
    }

    @Test
    void rejectsAMultibulkLengthOverRedisLimit() {
        assertProtocolError("*1048577\r\n", "invalid multibulk length");
    }

    @Test
    void rejectsAnArgumentThatIsNotABulkString() {
        assertProtocolError("*1\r\n:1\r\n", "expected '$', got ':'");
    }

    @Test
    void rejectsANegativeBulkLength() {
        assertProtocolError("*1\r\n$-5\r\n", "invalid bulk length");
    }

    @Test
    void rejectsAnInlineRequestOver64KiBWithoutNewline() {
        assertProtocolError("A".repeat(RespDecoder.MAX_INLINE + 1), "too big inline request");
    }

    private static void assertProtocolError(String input, String message) {
        EmbeddedChannel channel = new EmbeddedChannel(new RespDecoder());
        assertThatThrownBy(() -> channel.writeInbound(
                Unpooled.wrappedBuffer(input.getBytes(StandardCharsets.ISO_8859_1))))
                .isInstanceOf(DecoderException.class)
                .cause().isInstanceOf(RespProtocolException.class).hasMessage(message);
        channel.finishAndReleaseAll();
    }

    private static List<List<String>> drain(EmbeddedChannel channel) {
        List<List<String>> commands = new ArrayList<>();
        byte[][] command;
        while ((command = channel.readInbound()) != null) {
            List<String> words = new ArrayList<>();
            for (byte[] word : command) {
                words.add(new String(word, StandardCharsets.ISO_8859_1));
            }
            commands.add(words);
        }
        return commands;
    }
}
