package dev.ioloop.sample.resp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every frame type encodes to Redis's exact bytes. */
class RespEncoderTests {

    @Test
    void encodesEveryFrameTypeAsRedisDoes() {
        assertThat(text(RespFrame.OK)).isEqualTo("+OK\r\n");
        assertThat(text(RespFrame.error("ERR syntax error"))).isEqualTo("-ERR syntax error\r\n");
        assertThat(text(RespFrame.integer(0))).isEqualTo(":0\r\n");
        assertThat(text(RespFrame.integer(-12345))).isEqualTo(":-12345\r\n");
        assertThat(text(RespFrame.integer(Long.MAX_VALUE))).isEqualTo(":9223372036854775807\r\n");
        assertThat(text(RespFrame.integer(Long.MIN_VALUE))).isEqualTo(":-9223372036854775808\r\n");
        assertThat(text(RespFrame.bulk("héllo"))).isEqualTo("$6\r\nh\u00c3\u00a9llo\r\n");
        assertThat(text(RespFrame.bulk(""))).isEqualTo("$0\r\n\r\n");
        assertThat(text(RespFrame.NULL_BULK)).isEqualTo("$-1\r\n");
        assertThat(text(RespFrame.NULL_ARRAY)).isEqualTo("*-1\r\n");
        assertThat(text(RespFrame.EMPTY_ARRAY)).isEqualTo("*0\r\n");
        assertThat(text(new RespFrame.RespArray(List.of(RespFrame.bulk("a"), RespFrame.integer(1),
                new RespFrame.RespArray(List.of(RespFrame.NULL_BULK)))))).isEqualTo("*3\r\n$1\r\na\r\n:1\r\n*1\r\n$-1\r\n");
    }

    @Test
    void encodesCommandsAsMultibulk() {
        assertThat(new String(RespEncoder.encodeCommand("GET".getBytes(), "k".getBytes()), StandardCharsets.ISO_8859_1))
                .isEqualTo("*2\r\n$3\r\nGET\r\n$1\r\nk\r\n");
    }

    @Test
    void statusAndErrorLinesRejectLineBreaks() {
        assertThatThrownBy(() -> RespFrame.error("ERR a\r\nb")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'message'");
        assertThatThrownBy(() -> new RespFrame.SimpleString("a\nb")).hasMessageContaining("'text'");
    }

    @Test
    void replyBufferGrowsAndClears() {
        ReplyBuffer out = new ReplyBuffer(1);
        for (int i = 0; i < 1000; i++) {
            RespEncoder.encode(RespFrame.integer(i), out);
        }
        assertThat(out.size()).isGreaterThan(4000);
        out.clear();
        assertThat(out.size()).isZero();
        assertThatThrownBy(() -> new ReplyBuffer(0)).hasMessage("'initialCapacity' must be positive (was 0)");
    }

    @Test
    void clearAndTrimForgetsTheContentsAndDropsBackToTheKeptCapacity() {
        ReplyBuffer out = new ReplyBuffer(8);
        out.put(new byte[100]);
        out.clearAndTrim(16);
        assertThat(out.size()).isZero();
        assertThat(out.array()).hasSize(16);
        out.putAscii("+OK").crlf();
        out.clearAndTrim(16);
        assertThat(out.array()).hasSize(16);
        assertThat(out.toByteArray()).isEmpty();
        assertThatThrownBy(() -> out.clearAndTrim(0)).hasMessage("'maxCapacity' must be positive (was 0)");
    }

    private static String text(RespFrame frame) {
        return new String(RespEncoder.encode(frame), StandardCharsets.ISO_8859_1);
    }
}
