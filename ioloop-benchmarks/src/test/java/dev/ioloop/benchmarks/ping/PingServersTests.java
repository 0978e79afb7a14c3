package dev.ioloop.benchmarks.ping;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.netty.channel.epoll.Epoll;
import io.netty.channel.uring.IoUring;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Each PING server over real sockets on 127.0.0.1: the same bytes answered, whatever the split or the pace. */
class PingServersTests {

    private static final String PONG = "+PONG\r\n";
    private static final String NOT_PING = "-ERR this server answers PING only\r\n";

    @ParameterizedTest
    @ValueSource(strings = {"jdk", "epoll", "ioloop", "uring", "ring"})
    void answersAPipelineSentInRandomPieces(String kind) throws Exception {
        StringBuilder request = new StringBuilder();
        StringBuilder expected = new StringBuilder();
        Random random = new Random(kind.hashCode());
        for (int i = 0; i < 3_000; i++) {
            int kind3 = random.nextInt(3);
            request.append(kind3 == 0 ? "PING\r\n" : kind3 == 1 ? "*1\r\n$4\r\nping\r\n"
                    : "*2\r\n$3\r\nGET\r\n$5\r\nkey\r\n\r\n"); // a 5-byte key with CR LF inside
            expected.append(kind3 == 2 ? NOT_PING : PONG);
        }
        byte[] bytes = request.toString().getBytes(StandardCharsets.US_ASCII);
        try (PingServer server = start(kind); Socket client = connect(server)) {
            OutputStream out = client.getOutputStream();
            for (int at = 0; at < bytes.length; ) {
                int piece = Math.min(bytes.length - at, 1 + random.nextInt(40));
                out.write(bytes, at, piece);
                out.flush();
                at += piece;
            }
            assertThat(read(client.getInputStream(), expected.length())).isEqualTo(expected.toString());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"jdk", "epoll", "ioloop", "uring", "ring"})
    void aClientThatReadsLateGetsEveryReplyAfterTheServerBlockedOnAFullSocket(String kind) throws Exception {
        // 8 MiB of PINGs make 9.3 MiB of replies: more than the client's 4 KiB receive buffer and the
        // server's send buffer (tcp_wmem's maximum, 4 MiB by default) hold, so the server's writes come
        // back short, and it must keep the rest and stop reading until the client reads
        int pings = 8 * 1024 * 1024 / 6;
        byte[] chunk = "PING\r\n".repeat(1024).getBytes(StandardCharsets.US_ASCII);
        try (PingServer server = start(kind); Socket client = new Socket()) {
            client.setReceiveBufferSize(4096);
            client.connect(server.address());
            client.setSoTimeout(30_000);
            AtomicLong written = new AtomicLong();
            AtomicLong lastProgressNanos = new AtomicLong(System.nanoTime());
            Thread writer = new Thread(() -> {
                try {
                    OutputStream out = client.getOutputStream();
                    for (int sent = 0; sent < pings; sent += 1024) {
                        out.write(chunk, 0, Math.min(1024, pings - sent) * 6);
                        written.addAndGet(chunk.length);
                        lastProgressNanos.set(System.nanoTime());
                    }
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            }, "late-reader-writer");
            writer.start();
            // start reading once everything is sent or the writer is held up by the server's back-pressure
            await().atMost(Duration.ofSeconds(60)).until(() -> !writer.isAlive()
                    || System.nanoTime() - lastProgressNanos.get() > Duration.ofMillis(300).toNanos());
            InputStream in = client.getInputStream();
            byte[] reply = new byte[PONG.length() * 1024];
            long replies = 0;
            while (replies < pings) {
                int want = (int) Math.min(reply.length, (pings - replies) * PONG.length());
                readFully(in, reply, want);
                for (int i = 0; i < want; i += PONG.length()) {
                    assertThat(new String(reply, i, PONG.length(), StandardCharsets.US_ASCII)).isEqualTo(PONG);
                }
                replies += want / PONG.length();
            }
            writer.join(60_000);
            assertThat(written.get()).isGreaterThanOrEqualTo((long) pings * 6);
            assertThat(replies).isEqualTo(pings);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"jdk", "epoll", "ioloop", "uring", "ring"})
    void aClientThatNeverReadsIsHeldUpWhileOthersAreServed(String kind) throws Exception {
        // 128 MiB of PINGs would make 149 MiB of replies. The kernel's buffers hold a few tens of MiB at most
        // (tcp_rmem's and tcp_wmem's maxima), so a bounded server stops reading long before the client has sent
        // half of it, while a server that queued replies without limit would take it all
        long total = 128L * 1024 * 1024;
        byte[] chunk = "PING\r\n".repeat(1024).getBytes(StandardCharsets.US_ASCII);
        try (PingServer server = start(kind); Socket client = new Socket(); Socket other = connect(server)) {
            client.setReceiveBufferSize(4096);
            client.connect(server.address());
            AtomicLong written = new AtomicLong();
            AtomicLong lastProgressNanos = new AtomicLong(System.nanoTime());
            Thread writer = new Thread(() -> {
                try {
                    OutputStream out = client.getOutputStream();
                    while (written.get() < total) {
                        out.write(chunk);
                        written.addAndGet(chunk.length);
                        lastProgressNanos.set(System.nanoTime());
                    }
                } catch (IOException e) {
                    // the test closes the client while it is held up: that ends the writer
                }
            }, "never-reading-writer");
            writer.start();
            await().atMost(Duration.ofSeconds(60)).until(() -> !writer.isAlive()
                    || System.nanoTime() - lastProgressNanos.get() > Duration.ofMillis(500).toNanos());
            assertThat(writer.isAlive()).as("the writer is held up by the server's back-pressure").isTrue();
            assertThat(written.get()).isLessThan(total / 2);
            other.setSoTimeout(30_000);
            other.getOutputStream().write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
            assertThat(read(other.getInputStream(), PONG.length())).isEqualTo(PONG);
            client.close();
            writer.join(30_000);
            assertThat(writer.isAlive()).isFalse();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"jdk", "epoll", "ioloop", "uring", "ring"})
    void malformedInputIsAnsweredWithTheProtocolErrorAndTheConnectionClosed(String kind) throws Exception {
        try (PingServer server = start(kind); Socket client = connect(server); Socket other = connect(server)) {
            client.getOutputStream().write("PING\r\n*1\r\n$x\r\n".getBytes(StandardCharsets.US_ASCII));
            String error = "-ERR Protocol error: invalid bulk length\r\n";
            assertThat(read(client.getInputStream(), PONG.length() + error.length())).isEqualTo(PONG + error);
            assertThat(client.getInputStream().read()).isEqualTo(-1);
            other.getOutputStream().write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
            assertThat(read(other.getInputStream(), PONG.length())).isEqualTo(PONG);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"jdk", "epoll", "ioloop", "uring", "ring"})
    void closingTheServerClosesItsConnections(String kind) throws Exception {
        PingServer server = start(kind);
        try (Socket client = connect(server)) {
            client.getOutputStream().write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
            assertThat(read(client.getInputStream(), PONG.length())).isEqualTo(PONG);
            server.close();
            assertThat(client.getInputStream().read()).isEqualTo(-1);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"kqueue", ""})
    void anUnknownKindIsRefusedByName(String kind) {
        assertThatThrownBy(() -> PingServers.start(kind, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unknown PING server '" + kind + "': expected jdk, epoll, ioloop, uring or ring");
    }

    private static PingServer start(String kind) throws Exception {
        if (kind.equals("epoll")) {
            Assumptions.assumeTrue(Epoll.isAvailable(), () -> "Netty's native epoll cannot load here: "
                    + Epoll.unavailabilityCause());
        }
        if (kind.equals("uring") || kind.equals("ring")) {
            Assumptions.assumeTrue(IoUring.isAvailable(), () -> "Netty's io_uring cannot load here: "
                    + IoUring.unavailabilityCause());
        }
        return PingServers.start(kind, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    }

    private static Socket connect(PingServer server) throws IOException {
        Socket socket = new Socket(InetAddress.getLoopbackAddress(), server.address().getPort());
        socket.setSoTimeout(30_000);
        return socket;
    }

    private static String read(InputStream in, int length) throws IOException {
        byte[] bytes = new byte[length];
        readFully(in, bytes, length);
        return new String(bytes, StandardCharsets.US_ASCII);
    }

    private static void readFully(InputStream in, byte[] into, int length) throws IOException {
        for (int at = 0; at < length; ) {
            int n = in.read(into, at, length - at);
            if (n < 0) {
                throw new IOException("EOF after " + at + " of " + length + " bytes");
            }
            at += n;
        }
    }
}
