package dev.ioloop.sample.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ioloop.sample.resp.RespEncoder;
import dev.ioloop.sample.store.StoreClock;
import dev.ioloop.sample.testing.FakeStoreClock;
import dev.ioloop.sample.testing.RunningServer;
import dev.ioloop.sample.testing.RunningServer.Client;
import dev.ioloop.sample.testing.Transcript;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The server over real sockets, byte for byte: every command's reply compared with what redis-server 7.0.15
 * answered (the recorded transcripts), protocol errors and the close that follows, pipelining, QUIT, limits.
 */
class RedisServerTests {

    @Test
    void everyCommandAnswersAsRedisOverARawSocket() throws Exception {
        transcriptOverSocket(0);
    }

    @Test
    void everyCommandAnswersAsRedisWhenConnectionsLiveOnOtherLoops() throws Exception {
        transcriptOverSocket(2);
    }

    private static void transcriptOverSocket(int connectionLoops) throws Exception {
        // The store's clock stands still, so TTL replies are exact whatever the machine's load.
        try (RunningServer running = new RunningServer(new RedisServerProperties(), new FakeStoreClock(1_000_000, FakeStoreClock.REALISTIC_UNIX_MILLIS), connectionLoops);
             Client client = running.connect()) {
            List<String> mismatches = new ArrayList<>();
            List<Transcript.Case> cases = new ArrayList<>(Transcript.load("redis-7.0.15.transcript"));
            cases.addAll(Transcript.load("redis-7.0.15-types.transcript"));
            for (String family : List.of("strings", "hashes", "lists", "sets", "zsets", "streams")) { // issue 15's
                cases.addAll(Transcript.load("redis-7.0.15-" + family + ".transcript"));
            }
            for (Transcript.Case c : cases) {
                client.send(c.request());
                String reply = client.readReply();
                String expected = new String(c.reply(), StandardCharsets.ISO_8859_1);
                if (!reply.equals(expected)) {
                    mismatches.add("line " + c.line() + " " + c.command() + ": redis " + Transcript.show(c.reply())
                            + " ours " + Transcript.show(reply.getBytes(StandardCharsets.ISO_8859_1)));
                }
            }
            assertThat(mismatches).isEmpty();
        }
    }

    @Test
    void requirepassAnswersAsRedisOverARawSocket() throws Exception {
        RedisServerProperties properties = new RedisServerProperties();
        properties.setRequirepass("secret");
        try (RunningServer running = new RunningServer(properties, StoreClock.system()); Client client = running.connect()) {
            for (Transcript.Case c : Transcript.load("redis-7.0.15-auth.transcript")) {
                client.send(c.request());
                assertThat(client.readReply()).as("line %d: %s", c.line(), c.command())
                        .isEqualTo(new String(c.reply(), StandardCharsets.ISO_8859_1));
            }
        }
    }

    @Test
    void malformedInputGetsRedisProtocolErrorThenTheConnectionCloses() throws Exception {
        protocolErrors(0);
    }

    @Test
    void malformedInputIsRefusedTheSameWhenConnectionsLiveOnOtherLoops() throws Exception {
        protocolErrors(2);
    }

    private static void protocolErrors(int connectionLoops) throws Exception {
        try (RunningServer running = new RunningServer(new RedisServerProperties(), StoreClock.system(), connectionLoops)) {
            for (String[] c : rawProtocolCases()) {
                byte[] request = Transcript.rawRequest(c[0]);
                String redis = new String(Transcript.unescape(c[1]), StandardCharsets.ISO_8859_1);
                try (Client client = running.connect()) {
                    try {
                        client.send(request);
                    } catch (java.net.SocketException closedMidWrite) {
                        // the server may close once it has refused a long line: the behaviour under test
                    }
                    if (redis.endsWith("<still open>")) {
                        String expected = redis.substring(0, redis.length() - "<still open>".length());
                        StringBuilder got = new StringBuilder();
                        while (got.length() < expected.length()) {
                            got.append(client.readReply());
                        }
                        assertThat(got.toString()).as(c[0]).isEqualTo(expected);
                        assertThat(client.call("PING")).isEqualTo("+PONG\r\n");
                    } else {
                        String got = new String(client.readUntilClosed(), StandardCharsets.ISO_8859_1);
                        assertThat(got).as(c[0]).isEqualTo(redis);
                    }
                }
            }
        }
    }

    @Test
    void pipelinedCommandsAreAnsweredInOrder() throws Exception {
        pipelined(0);
    }

    @Test
    void pipelinedCommandsAreAnsweredInOrderWhenConnectionsLiveOnOtherLoops() throws Exception {
        pipelined(2);
    }

    private static void pipelined(int connectionLoops) throws Exception {
        try (RunningServer running = new RunningServer(new RedisServerProperties(), StoreClock.system(), connectionLoops);
             Client client = running.connect()) {
            ByteArrayOutputStream batch = new ByteArrayOutputStream();
            int n = 20_000;
            for (int i = 0; i < n; i++) {
                batch.write(RespEncoder.encodeCommand(b("INCR"), b("counter")));
                batch.write(RespEncoder.encodeCommand(b("ECHO"), b("m" + i)));
            }
            client.send(batch.toByteArray());
            for (int i = 1; i <= n; i++) {
                assertThat(client.readReply()).isEqualTo(":" + i + "\r\n");
                String m = "m" + (i - 1);
                assertThat(client.readReply()).isEqualTo("$" + m.length() + "\r\n" + m + "\r\n");
            }
            assertThat(running.server().totalCommandsProcessed()).isGreaterThanOrEqualTo(2L * n);
        }
    }

    @Test
    void twoClientsSendingByteByByteEachGetOnlyTheirOwnReplies() throws Exception {
        try (RunningServer running = new RunningServer(new RedisServerProperties(), StoreClock.system());
             Client a = running.connect(); Client b = running.connect()) {
            byte[] fromA = concat(RespEncoder.encodeCommand(b("SET"), b("ka"), b("va")), b("ECHO aa\r\n"),
                    RespEncoder.encodeCommand(b("GET"), b("ka")));
            byte[] fromB = concat(RespEncoder.encodeCommand(b("ECHO"), b("bb")), b("SET kb vb\r\n"),
                    RespEncoder.encodeCommand(b("GET"), b("kb")));
            for (int i = 0; i < Math.max(fromA.length, fromB.length); i++) {
                // each byte may be its own read burst: every command is split at every position
                if (i < fromA.length) {
                    a.send(new byte[] {fromA[i]});
                }
                if (i < fromB.length) {
                    b.send(new byte[] {fromB[i]});
                }
            }
            assertThat(a.readReply() + a.readReply() + a.readReply()).isEqualTo("+OK\r\n$2\r\naa\r\n$2\r\nva\r\n");
            assertThat(b.readReply() + b.readReply() + b.readReply()).isEqualTo("$2\r\nbb\r\n+OK\r\n$2\r\nvb\r\n");
        }
    }

    private static byte[] concat(byte[]... parts) throws java.io.IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            all.write(part);
        }
        return all.toByteArray();
    }

    @Test
    void aClientThatSendsThenShutsDownItsOutputStillGetsEveryReply() throws Exception {
        try (RunningServer running = new RunningServer(new RedisServerProperties(), StoreClock.system());
             java.net.Socket socket = new java.net.Socket("127.0.0.1", running.server().port())) {
            socket.setSoTimeout(30_000);
            socket.getOutputStream().write(b("PING\r\nSET a 1\r\nGET a\r\n"));
            socket.shutdownOutput(); // as `nc -N` does after its input
            assertThat(new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1))
                    .isEqualTo("+PONG\r\n+OK\r\n$1\r\n1\r\n");
        }
    }

    @Test
    void quitAnswersOkThenCloses() throws Exception {
        try (RunningServer running = new RunningServer(new RedisServerProperties(), StoreClock.system());
             Client client = running.connect()) {
            client.send("SET", "k", "v");
            client.send("QUIT");
            client.send("GET", "k"); // never run
            assertThat(new String(client.readUntilClosed(), StandardCharsets.ISO_8859_1)).isEqualTo("+OK\r\n+OK\r\n");
        }
    }

    @Test
    void aClientOverTheQueryBufferLimitIsRefusedAndClosedWhileOthersAreUnaffected() throws Exception {
        RedisServerProperties properties = new RedisServerProperties();
        properties.setQueryBufferLimit(64 * 1024);
        try (RunningServer running = new RunningServer(properties, StoreClock.system());
             Client good = running.connect(); Client bad = running.connect()) {
            assertThat(good.call("SET", "kept", "value")).isEqualTo("+OK\r\n");
            bad.send("SET", "x", "1");
            byte[] big = new byte[200 * 1024];
            Arrays.fill(big, (byte) 'a');
            bad.send(b("*3\r\n$3\r\nSET\r\n$3\r\nbig\r\n$" + (1024 * 1024) + "\r\n"));
            try {
                bad.send(big);
            } catch (java.net.SocketException closedMidWrite) {
                // the server may close before all bytes are sent: that is the behaviour under test
            }
            String answer = new String(bad.readUntilClosed(), StandardCharsets.ISO_8859_1);
            assertThat(answer).isEqualTo("+OK\r\n-ERR Protocol error: unfinished command exceeds the query buffer limit of 65536 bytes\r\n");
            assertThat(good.call("GET", "kept")).isEqualTo("$5\r\nvalue\r\n");
            assertThat(good.call("GET", "x")).isEqualTo("$1\r\n1\r\n");
            assertThat(good.call("EXISTS", "big")).isEqualTo(":0\r\n");
            assertThat(running.server().protocolErrors()).isEqualTo(1);
        }
    }

    @Test
    void aValueAsLargeAsTheLimitAllowsIsStoredAndReturnedWhole() throws Exception {
        RedisServerProperties properties = new RedisServerProperties();
        properties.setQueryBufferLimit(4 * 1024 * 1024);
        try (RunningServer running = new RunningServer(properties, StoreClock.system()); Client client = running.connect()) {
            byte[] value = new byte[3 * 1024 * 1024];
            for (int i = 0; i < value.length; i++) {
                value[i] = (byte) i;
            }
            client.send(RespEncoder.encodeCommand(b("SET"), b("big"), value));
            assertThat(client.readReply()).isEqualTo("+OK\r\n");
            client.send("GET", "big");
            String reply = client.readReply();
            String header = "$" + value.length + "\r\n";
            assertThat(reply).startsWith(header);
            assertThat(reply.substring(header.length(), reply.length() - 2).getBytes(StandardCharsets.ISO_8859_1)).isEqualTo(value);
        }
    }

    @Test
    void clientsOverMaxclientsAreToldAndDisconnected() throws Exception {
        RedisServerProperties properties = new RedisServerProperties();
        properties.setMaxclients(2);
        try (RunningServer running = new RunningServer(properties, StoreClock.system());
             Client one = running.connect(); Client two = running.connect()) {
            assertThat(one.call("PING")).isEqualTo("+PONG\r\n");
            assertThat(two.call("PING")).isEqualTo("+PONG\r\n");
            try (Client three = running.connect()) {
                assertThat(new String(three.readUntilClosed(), StandardCharsets.ISO_8859_1))
                        .isEqualTo("-ERR max number of clients reached\r\n");
            }
            assertThat(one.call("PING")).isEqualTo("+PONG\r\n");
            assertThat(running.server().rejectedConnections()).isEqualTo(1);
        }
    }

    @Test
    void infoReportsSectionsInRedisFormat() throws Exception {
        try (RunningServer running = new RunningServer(new RedisServerProperties(), StoreClock.system());
             Client client = running.connect()) {
            client.call("SET", "a", "1");
            client.call("SET", "b", "2", "EX", "100");
            String info = client.call("INFO");
            assertThat(info).startsWith("$").contains("\r\n# Server\r\nredis_version:7.0.15\r\n")
                    .contains("\r\n\r\n# Clients\r\nconnected_clients:1\r\n")
                    .contains("\r\n\r\n# Memory\r\nused_memory:").contains("\r\n\r\n# Stats\r\n")
                    .contains("\r\n\r\n# Keyspace\r\ndb0:keys=2,expires=1,avg_ttl=0\r\n")
                    .contains("tcp_port:" + running.server().port() + "\r\n");
            String keyspace = client.call("INFO", "keyspace");
            assertThat(keyspace).isEqualTo("$" + "# Keyspace\r\ndb0:keys=2,expires=1,avg_ttl=0\r\n".length()
                    + "\r\n# Keyspace\r\ndb0:keys=2,expires=1,avg_ttl=0\r\n\r\n");
        }
    }

    static List<String[]> rawProtocolCases() throws Exception {
        List<String[]> cases = new ArrayList<>();
        try (var in = RedisServerTests.class.getResourceAsStream("/redis-7.0.15-protocol.transcript")) {
            String[] lines = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1).split("\n");
            for (int i = 0; i < lines.length; i++) {
                if (lines[i].startsWith(">")) {
                    cases.add(new String[] {lines[i].substring(1), lines[i + 1].substring(1)});
                }
            }
        }
        return cases;
    }

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }
}
