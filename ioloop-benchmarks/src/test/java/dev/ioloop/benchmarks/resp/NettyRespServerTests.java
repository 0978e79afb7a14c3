package dev.ioloop.benchmarks.resp;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Raw bytes over a real socket, replies compared byte for byte with Redis's. */
class NettyRespServerTests {

    private NettyRespServer server;
    private Socket socket;

    @BeforeEach
    void start() throws Exception {
        server = NettyRespServer.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        socket = new Socket(InetAddress.getLoopbackAddress(), server.address().getPort());
        socket.setSoTimeout(30_000);
    }

    @AfterEach
    void stop() throws IOException {
        socket.close();
        server.close();
    }

    @Test
    void answersPingInlineAndMultibulk() throws IOException {
        assertReply("PING\r\n*1\r\n$4\r\nping\r\n*2\r\n$4\r\nPING\r\n$2\r\nhi\r\n", "+PONG\r\n+PONG\r\n$2\r\nhi\r\n");
    }

    @Test
    void setThenGetReturnsTheValueAndAMissingKeyIsNull() throws IOException {
        assertReply("*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$3\r\nv\r\n\r\n*2\r\n$3\r\nGET\r\n$1\r\nk\r\nGET nope\r\n", "+OK\r\n$3\r\nv\r\n\r\n$-1\r\n");
    }

    @Test
    void answersAPipelinedBurstInOrder() throws IOException {
        StringBuilder request = new StringBuilder();
        StringBuilder expected = new StringBuilder();
        for (int i = 0; i < 200; i++) {
            request.append("SET key").append(i).append(' ').append(i).append("\r\nGET key").append(i).append("\r\n");
            String value = Integer.toString(i);
            expected.append("+OK\r\n$").append(value.length()).append("\r\n").append(value).append("\r\n");
        }
        assertReply(request.toString(), expected.toString());
    }

    @Test
    void answersUnknownCommandsAndWrongArityAndStaysOpen() throws IOException {
        String unknown = "-ERR unknown command 'FOO', with args beginning with: 'a' \r\n";
        String arity = "-ERR wrong number of arguments for 'get' command\r\n";
        assertReply("FOO a\r\nGET\r\nPING\r\n", unknown + arity + "+PONG\r\n");
    }

    @Test
    void answersConfigGetAsRedisBenchmarkExpects() throws IOException {
        assertReply("CONFIG GET appendonly\r\n", "*2\r\n$10\r\nappendonly\r\n$2\r\nno\r\n");
    }

    @Test
    void answersAProtocolErrorAndCloses() throws IOException {
        String error = "-ERR Protocol error: invalid multibulk length\r\n";
        assertReply("PING\r\n*x\r\n", "+PONG\r\n" + error);
        assertThat(socket.getInputStream().read()).isEqualTo(-1);
    }

    private void assertReply(String request, String expected) throws IOException {
        assertThat(exchange(request, expected.length())).isEqualTo(expected);
    }

    private String exchange(String request, int replyBytes) throws IOException {
        OutputStream out = socket.getOutputStream();
        out.write(request.getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
        InputStream in = socket.getInputStream();
        byte[] reply = in.readNBytes(replyBytes);
        return new String(reply, StandardCharsets.ISO_8859_1);
    }
}
