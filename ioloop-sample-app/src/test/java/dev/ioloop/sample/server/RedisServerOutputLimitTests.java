package dev.ioloop.sample.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ioloop.sample.resp.RespEncoder;
import dev.ioloop.sample.store.StoreClock;
import dev.ioloop.sample.testing.LoopBackend;
import dev.ioloop.sample.testing.RunningServer;
import dev.ioloop.sample.testing.RunningServer.Client;
import dev.ioloop.test.FakeClock;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.springframework.util.unit.DataSize;

/**
 * Replies are bounded per client over real sockets: a client that pipelines more replies than it reads is slowed
 * (its pipeline waits) and still gets every reply; a reply over the hard output limit, or replies over the soft
 * limit for too long, close that client with a WARN line; other clients keep their data and the connection count
 * returns to where it was.
 */
class RedisServerOutputLimitTests {

    private static final int VALUE_BYTES = 100 * 1024;
    private static final Duration WAIT = Duration.ofSeconds(60);

    /** 1 MiB hard limit: far below what the 8,192 pipelined replies (800 MB) would need if they were held. */
    private static RedisServerProperties smallOutputLimit() {
        RedisServerProperties properties = new RedisServerProperties();
        properties.getClientOutputBufferLimit().setHard(DataSize.ofMegabytes(1));
        properties.getClientOutputBufferLimit().setSoft(DataSize.ofBytes(0));
        return properties;
    }

    @ParameterizedTest(name = "on {0}")
    @EnumSource(LoopBackend.class)
    void eightThousandPipelinedGetsOfALargeValueAllArriveWithinASmallOutputLimit(LoopBackend backend) throws Exception {
        backend.run(() -> pipelinedLargeGets(0));
    }

    @ParameterizedTest(name = "on {0}")
    @EnumSource(LoopBackend.class)
    void eightThousandPipelinedGetsOfALargeValueAllArriveWhenConnectionsLiveOnAGroup(LoopBackend backend)
            throws Exception {
        backend.run(() -> pipelinedLargeGets(2));
    }

    private static void pipelinedLargeGets(int connectionLoops) throws Exception {
        try (RunningServer running = new RunningServer(smallOutputLimit(), StoreClock.system(), connectionLoops);
             Client other = running.connect()) {
            byte[] value = value(VALUE_BYTES);
            other.send(RespEncoder.encodeCommand(b("SET"), b("bigkey000001"), value));
            assertThat(other.readReply()).isEqualTo("+OK\r\n");
            int before = running.server().connectedClients();
            int gets = 8192;
            byte[] get = b("*2\r\n$3\r\nGET\r\n$12\r\nbigkey000001\r\n");
            assertThat(get).hasSize(32);
            try (Socket socket = socket(running)) {
                ByteArrayOutputStream pipeline = new ByteArrayOutputStream();
                for (int i = 0; i < gets; i++) {
                    pipeline.write(get);
                }
                // the whole pipeline first (from another thread: the server answers while it arrives), then read
                CompletableFuture<Void> sent = CompletableFuture.runAsync(() -> send(socket, pipeline.toByteArray()));
                InputStream in = new java.io.BufferedInputStream(socket.getInputStream(), 1 << 16);
                byte[] header = b("$" + VALUE_BYTES + "\r\n");
                for (int i = 0; i < gets; i++) {
                    assertThat(in.readNBytes(header.length)).as("reply %d header", i).isEqualTo(header);
                    assertThat(Arrays.equals(in.readNBytes(VALUE_BYTES), value)).as("reply %d value", i).isTrue();
                    assertThat(in.readNBytes(2)).isEqualTo(b("\r\n"));
                    if (i == gets / 2) {
                        // meanwhile other clients are served and keep their data
                        assertThat(other.call("SET", "other", "still here")).isEqualTo("+OK\r\n");
                    }
                }
                sent.get(WAIT.toSeconds(), TimeUnit.SECONDS);
                socket.getOutputStream().write(b("PING\r\n"));
                assertThat(new String(in.readNBytes(7), StandardCharsets.ISO_8859_1)).isEqualTo("+PONG\r\n");
            }
            assertThat(other.call("GET", "other")).isEqualTo("$10\r\nstill here\r\n");
            assertThat(running.server().outputLimitCloses()).isZero();
            await().atMost(WAIT).until(() -> running.server().connectedClients() == before);
        }
    }

    @ParameterizedTest(name = "on {0}")
    @EnumSource(LoopBackend.class)
    void aClientThatPipelinesWithoutReadingIsHeldBackWithinTheLimitWhileOthersAreServed(LoopBackend backend)
            throws Exception {
        backend.run(RedisServerOutputLimitTests::flooderIsHeldBack);
    }

    private static void flooderIsHeldBack() throws Exception {
        try (RunningServer running = new RunningServer(smallOutputLimit(), StoreClock.system());
             Client other = running.connect()) {
            other.send(RespEncoder.encodeCommand(b("SET"), b("big"), value(VALUE_BYTES)));
            assertThat(other.readReply()).isEqualTo("+OK\r\n");
            int before = running.server().connectedClients();
            Socket flooder = socket(running);
            // writes GETs until its socket blocks (the server stopped reading it): never reads a reply
            Thread writer = new Thread(() -> {
                byte[] gets = b("GET big\r\n".repeat(1000));
                try {
                    while (true) {
                        flooder.getOutputStream().write(gets);
                    }
                } catch (IOException closed) {
                    // the test closes the socket
                }
            }, "flooder");
            writer.setDaemon(true);
            writer.start();
            await().atMost(WAIT).until(() -> running.server().netOutputBytes() > 8L * VALUE_BYTES);
            long commandsThen = running.server().totalCommandsProcessed();
            for (int i = 0; i < 100; i++) {
                assertThat(other.call("INCR", "served")).isEqualTo(":" + (i + 1) + "\r\n");
            }
            // the flooder is held back: its commands stopped running (at most its paused pipeline ran meanwhile)
            // and it was not closed, so its unwritten replies never passed the 1 MiB hard limit
            assertThat(running.server().totalCommandsProcessed() - commandsThen).isLessThan(100 + 2_000);
            assertThat(running.server().outputLimitCloses()).isZero();
            assertThat(running.server().connectedClients()).isEqualTo(before + 1);
            flooder.close();
            writer.join(WAIT.toMillis());
            await().atMost(WAIT).until(() -> running.server().connectedClients() == before);
        }
    }

    @ParameterizedTest(name = "on {0}")
    @EnumSource(LoopBackend.class)
    void aReplyOverTheHardLimitClosesThatClientWithALogLineAndOthersKeepTheirData(LoopBackend backend)
            throws Exception {
        backend.run(RedisServerOutputLimitTests::aReplyOverTheHardLimitClosesThatClient);
    }

    private static void aReplyOverTheHardLimitClosesThatClient() throws Exception {
        RedisServerProperties properties = smallOutputLimit();
        properties.setQueryBufferLimit(4 * 1024 * 1024);
        try (RunningServer running = new RunningServer(properties, StoreClock.system());
             Client other = running.connect()) {
            running.expectLog("overcoming of output buffer limits");
            other.send(RespEncoder.encodeCommand(b("SET"), b("huge"), value(2 * 1024 * 1024)));
            assertThat(other.readReply()).isEqualTo("+OK\r\n");
            for (int i = 0; i < 20_000; i++) {
                other.send(RespEncoder.encodeCommand(b("RPUSH"), b("list"), value(100)));
            }
            for (int i = 0; i < 20_000; i++) {
                other.readReply();
            }
            int before = running.server().connectedClients();
            try (Client greedy = running.connect()) {
                greedy.send("GET", "huge"); // 2 MiB: refused whole, as Redis drops a client over its hard limit
                assertThat(greedy.readUntilClosed()).isEmpty();
            }
            try (Client greedy = running.connect()) {
                greedy.send("LRANGE", "list", "0", "-1"); // 2.3 MB encoded: refused before it is encoded
                assertThat(greedy.readUntilClosed()).isEmpty();
            }
            assertThat(running.server().outputLimitCloses()).isEqualTo(2);
            assertThat(running.countLogs("closed for overcoming of output buffer limits")).isEqualTo(2);
            assertThat(running.countLogs("over the hard limit of 1048576 bytes")).isEqualTo(2);
            assertThat(other.call("STRLEN", "huge")).isEqualTo(":" + (2 * 1024 * 1024) + "\r\n");
            assertThat(other.call("LLEN", "list")).isEqualTo(":20000\r\n");
            await().atMost(WAIT).until(() -> running.server().connectedClients() == before);
        }
    }

    @Test
    void repliesOverTheSoftLimitForSoftSecondsCloseTheClient() throws Exception {
        RedisServerProperties properties = new RedisServerProperties();
        properties.setQueryBufferLimit(16 * 1024 * 1024);
        properties.getClientOutputBufferLimit().setHard(DataSize.ofMegabytes(64));
        properties.getClientOutputBufferLimit().setSoft(DataSize.ofMegabytes(1));
        properties.getClientOutputBufferLimit().setSoftSeconds(Duration.ofSeconds(1));
        try (RunningServer running = new RunningServer(properties, StoreClock.system());
             Client other = running.connect()) {
            running.expectLog("overcoming of output buffer limits");
            // more than the kernel's socket buffers hold, so most of it stays unwritten while nobody reads
            other.send(RespEncoder.encodeCommand(b("SET"), b("big"), value(12 * 1024 * 1024)));
            assertThat(other.readReply()).isEqualTo("+OK\r\n");
            try (Socket slow = socket(running, 64 * 1024)) {
                long sentAt = System.nanoTime();
                slow.getOutputStream().write(b("GET big\r\n"));
                await().atMost(WAIT).until(() -> running.server().outputLimitCloses() == 1);
                assertThat(System.nanoTime() - sentAt).isGreaterThanOrEqualTo(Duration.ofSeconds(1).toNanos());
            }
            assertThat(running.countLogs("over the soft limit of 1048576 bytes")).isEqualTo(1);
            assertThat(other.call("STRLEN", "big")).isEqualTo(":" + (12 * 1024 * 1024) + "\r\n");
        }
    }

    @Test
    void aSlowSubscriberOverThePubsubSoftLimitForItsSecondsIsClosedAndAFastOneIsNot() throws Exception {
        // the loop's clock is a fake one: the soft limit's 10 seconds pass only when the test moves it
        FakeClock loopClock = new FakeClock();
        try (RunningServer running = new RunningServer(new RedisServerProperties(), StoreClock.system(), loopClock);
             Client admin = running.connect();
             Client fast = running.connect();
             Socket slow = socket(running, 4096)) {
            running.expectLog("overcoming of output buffer limits");
            // no hard limit for either class and no soft limit for normal clients: only the pub/sub soft limit acts
            assertThat(admin.call("CONFIG", "SET", "client-output-buffer-limit", "normal 0 0 0 pubsub 0 256kb 10"))
                    .isEqualTo("+OK\r\n");
            slow.getOutputStream().write(RespEncoder.encodeCommand(b("SUBSCRIBE"), b("ch"))); // and never reads
            assertThat(fast.call("SUBSCRIBE", "ch")).isEqualTo("*3\r\n$9\r\nsubscribe\r\n$2\r\nch\r\n:1\r\n");
            await().atMost(WAIT).until(() -> admin.call("PUBSUB", "NUMSUB", "ch").endsWith(":2\r\n"));
            String payload = "x".repeat(4096);
            String message = "*3\r\n$7\r\nmessage\r\n$2\r\nch\r\n$4096\r\n" + payload + "\r\n";
            // 16 MB to each subscriber: far more than the kernel's buffers hold for the slow one (tcp_wmem max 4 MiB
            // here), so well over 256 KiB of its replies wait unwritten; the fast one reads each message at once
            for (int i = 0; i < 4000; i++) {
                assertThat(admin.call("PUBLISH", "ch", payload)).isEqualTo(":2\r\n");
                assertThat(fast.readReply()).isEqualTo(message);
            }
            assertThat(running.server().outputLimitCloses()).as("no loop time has passed").isZero();
            loopClock.advance(Duration.ofSeconds(9));
            assertThat(admin.call("PING")).isEqualTo("+PONG\r\n"); // wakes the loop, which sees the new time
            assertThat(running.onLoop(() -> running.server().outputLimitCloses())).as("9 s of 10").isZero();
            loopClock.advance(Duration.ofSeconds(1));
            assertThat(admin.call("PING")).isEqualTo("+PONG\r\n");
            await().atMost(WAIT).until(() -> running.server().outputLimitCloses() == 1);
            assertThat(running.countLogs("over the soft limit of 262144 bytes")).isEqualTo(1);
            await().atMost(WAIT).until(() -> admin.call("PUBSUB", "NUMSUB", "ch").endsWith(":1\r\n"));
            // the fast subscriber, over no limit at any moment, is still subscribed and gets the next message
            assertThat(admin.call("PUBLISH", "ch", payload)).isEqualTo(":1\r\n");
            assertThat(fast.readReply()).isEqualTo(message);
            assertThat(running.server().outputLimitCloses()).isEqualTo(1);
        }
    }

    private static Socket socket(RunningServer running) throws IOException {
        return socket(running, 256 * 1024);
    }

    private static Socket socket(RunningServer running, int receiveBuffer) throws IOException {
        Socket socket = new Socket();
        socket.setReceiveBufferSize(receiveBuffer); // before connect, so the window is sized for it
        socket.connect(new InetSocketAddress("127.0.0.1", running.server().port()), 10_000);
        socket.setSoTimeout((int) WAIT.toMillis());
        return socket;
    }

    private static void send(Socket socket, byte[] bytes) {
        try {
            socket.getOutputStream().write(bytes);
            socket.getOutputStream().flush();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static byte[] value(int size) {
        byte[] v = new byte[size];
        for (int i = 0; i < size; i++) {
            v[i] = (byte) ('a' + i % 26);
        }
        return v;
    }

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }
}
