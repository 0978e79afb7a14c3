package dev.ioloop.benchmarks.ping;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class PingProtocolTests {

    private static final String PONG = "+PONG\r\n";
    private static final String NOT_PING = "-ERR this server answers PING only\r\n";

    @Test
    void answersPingInlineAndMultibulkInAnyCaseAndRefusesEverythingElse() {
        String input = "PING\r\nping\n*1\r\n$4\r\npInG\r\nGET k\r\nPING x\r\n*2\r\n$4\r\nPING\r\n$1\r\nx\r\n"
                + "*1\r\n$3\r\nGET\r\n";
        assertThat(answerAll(input)).isEqualTo(PONG + PONG + PONG + NOT_PING + NOT_PING + NOT_PING + NOT_PING);
    }

    @Test
    void ignoresEmptyLinesAndEmptyArraysAsRedisDoes() {
        assertThat(answerAll("\r\n\n*0\r\nPING\r\n")).isEqualTo(PONG);
    }

    @Test
    void anIncompleteCommandIsLeftForLaterAtEverySplitOfAPipeline() {
        String input = "PING\r\n*1\r\n$4\r\nPING\r\nGET key\r\n*2\r\n$3\r\nGET\r\n$12\r\nbinary\r\nkey!\r\n\r\nping\n";
        String whole = answerAll(input);
        byte[] bytes = input.getBytes(StandardCharsets.US_ASCII);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        for (int split = 0; split <= bytes.length; split++) {
            ByteBuffer out = ByteBuffer.allocate(1024);
            int first = PingProtocol.answer(in, 0, split, out);
            assertThat(first).isBetween(0, split);
            int rest = PingProtocol.answer(in, first, bytes.length, out);
            assertThat(rest).isEqualTo(bytes.length);
            assertThat(text(out)).as("split at %d", split).isEqualTo(whole);
        }
    }

    @Test
    void stopsWhenTheOutputHasNoRoomForAnotherReply() {
        byte[] bytes = "PING\r\n".repeat(10).getBytes(StandardCharsets.US_ASCII);
        ByteBuffer out = ByteBuffer.allocate(PingProtocol.MAX_REPLY * 2 + 1);
        int answered = PingProtocol.answer(ByteBuffer.wrap(bytes), 0, bytes.length, out);
        int replies = (out.capacity() - PingProtocol.MAX_REPLY) / PONG.length() + 1; // answers while room >= MAX_REPLY
        assertThat(answered).isEqualTo(replies * 6);
        assertThat(text(out)).isEqualTo(PONG.repeat(replies));
    }

    @Test
    void malformedOrOversizedInputIsAProtocolErrorNamingTheProblem() {
        assertError("*x\r\n", "invalid multibulk length");
        assertError("*" + (PingProtocol.MAX_ARGS + 1) + "\r\n", "invalid multibulk length");
        assertError("*99999999999999999999\r\n", "invalid multibulk length");
        assertError("*1\n", "invalid multibulk length");
        assertError("*1\r\n$" + (PingProtocol.MAX_BULK + 1) + "\r\n", "invalid bulk length");
        assertError("*1\r\n$-1\r\n", "invalid bulk length");
        assertError("*1\r\nPING\r\n", "expected '$', got 'P'");
        assertError("*1\r\n$4\r\nPINGxx", "bulk argument not followed by CR LF");
        assertError("P".repeat(PingProtocol.MAX_LINE), "too big inline request");
        assertError("*1" + "1".repeat(PingProtocol.MAX_LINE), "too big mbulk count string");
        assertThat(PingProtocol.errorReply(new PingProtocolException("invalid bulk length")))
                .asString(StandardCharsets.US_ASCII).isEqualTo("-ERR Protocol error: invalid bulk length\r\n");
    }

    @Test
    void aLineOneByteShortOfTheLimitIsOnlyIncomplete() {
        byte[] bytes = "P".repeat(PingProtocol.MAX_LINE - 1).getBytes(StandardCharsets.US_ASCII);
        assertThat(PingProtocol.answer(ByteBuffer.wrap(bytes), 0, bytes.length, ByteBuffer.allocate(64))).isZero();
    }

    @Test
    void theLargestValidCommandFitsAConnectionsInputBuffer() {
        StringBuilder command = new StringBuilder("*" + PingProtocol.MAX_ARGS + "\r\n");
        for (int i = 0; i < PingProtocol.MAX_ARGS; i++) {
            command.append('$').append(PingProtocol.MAX_BULK).append("\r\n").append("a".repeat(PingProtocol.MAX_BULK))
                    .append("\r\n");
        }
        assertThat(answerAll(command.toString())).isEqualTo(NOT_PING);
        assertThat(command.length()).isLessThanOrEqualTo(PingProtocol.MAX_COMMAND);
        assertThat(PingProtocol.MAX_COMMAND).isLessThanOrEqualTo(PingSession.INPUT_CAPACITY);
        assertThat(NOT_PING.length()).isLessThanOrEqualTo(PingProtocol.MAX_REPLY);
    }

    private static void assertError(String input, String message) {
        byte[] bytes = input.getBytes(StandardCharsets.US_ASCII);
        assertThatThrownBy(() -> PingProtocol.answer(ByteBuffer.wrap(bytes), 0, bytes.length, ByteBuffer.allocate(64)))
                .as(input).isInstanceOf(PingProtocolException.class).hasMessage(message);
    }

    private static String answerAll(String input) {
        byte[] bytes = input.getBytes(StandardCharsets.US_ASCII);
        ByteBuffer out = ByteBuffer.allocate(4096);
        assertThat(PingProtocol.answer(ByteBuffer.wrap(bytes), 0, bytes.length, out)).isEqualTo(bytes.length);
        return text(out);
    }

    private static String text(ByteBuffer out) {
        return new String(out.array(), 0, out.position(), StandardCharsets.US_ASCII);
    }
}
