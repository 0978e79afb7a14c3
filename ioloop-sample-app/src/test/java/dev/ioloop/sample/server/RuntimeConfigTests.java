package dev.ioloop.sample.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ioloop.sample.store.StoreClock;
import dev.ioloop.sample.testing.RunningServer;
import dev.ioloop.sample.testing.RunningServer.Client;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * CONFIG SET changes what the running server does, not only what CONFIG GET answers: each parameter the issue names
 * is set over a socket and its effect observed on a real client.
 */
class RuntimeConfigTests {

    @Test
    void maxclientsRefusesTheNextClientOnceLowered() throws Exception {
        try (RunningServer running = new RunningServer(new RedisServerProperties(), StoreClock.system());
             Client first = running.connect();
             Client second = running.connect()) {
            assertThat(first.call("CONFIG", "SET", "maxclients", "2")).isEqualTo("+OK\r\n");
            assertThat(second.call("PING")).isEqualTo("+PONG\r\n");
            try (Client third = running.connect()) {
                assertThat(third.readReply()).isEqualTo("-ERR max number of clients reached\r\n");
            }
        }
    }

    @Test
    void timeoutClosesAnIdleClientAndSparesAnActiveOne() throws Exception {
        try (RunningServer running = new RunningServer(new RedisServerProperties(), StoreClock.system(), 2);
             Client admin = running.connect();
             Client idle = running.connect()) {
            assertThat(idle.call("PING")).isEqualTo("+PONG\r\n");
            assertThat(admin.call("CONFIG", "SET", "hz", "50", "timeout", "1")).isEqualTo("+OK\r\n");
            // the admin stays active (a PING per poll); the idle client is closed by the cron
            Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(() -> {
                assertThat(admin.call("PING")).isEqualTo("+PONG\r\n");
                return running.server().connectedClients() == 1;
            });
            assertThat(idle.isClosedByServer()).isTrue();
            assertThat(admin.call("CONFIG", "SET", "timeout", "0")).isEqualTo("+OK\r\n");
        }
    }

    @Test
    void timeoutClosesIdleClientsWhereverTheyJoinedAndKeepsTrackingTheOthers() throws Exception {
        // the server tracks clients in a list through the connections (ClientList): idle ones first, in the middle
        // and last are closed, a client that disconnects itself leaves it, and one that joins later is still seen
        try (RunningServer running = new RunningServer(new RedisServerProperties(), StoreClock.system());
             Client idleFirst = running.connect();
             Client active = running.connect();
             Client idleMiddle = running.connect();
             Client leaving = running.connect();
             Client idleLast = running.connect()) {
            for (Client c : new Client[] {idleFirst, active, idleMiddle, leaving, idleLast}) {
                assertThat(c.call("PING")).isEqualTo("+PONG\r\n");
            }
            assertThat(active.call("CONFIG", "SET", "hz", "50", "timeout", "1")).isEqualTo("+OK\r\n");
            Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(() -> {
                assertThat(active.call("PING")).isEqualTo("+PONG\r\n");
                assertThat(leaving.call("PING")).isEqualTo("+PONG\r\n");
                return running.server().connectedClients() == 2;
            });
            assertThat(idleFirst.isClosedByServer()).isTrue();
            assertThat(idleMiddle.isClosedByServer()).isTrue();
            assertThat(idleLast.isClosedByServer()).isTrue();
            leaving.close();
            try (Client late = running.connect()) {
                assertThat(late.call("PING")).isEqualTo("+PONG\r\n");
                Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(() -> {
                    assertThat(active.call("PING")).isEqualTo("+PONG\r\n");
                    return running.server().connectedClients() == 1;
                });
                assertThat(late.isClosedByServer()).isTrue();
            }
            assertThat(active.call("CONFIG", "SET", "timeout", "0")).isEqualTo("+OK\r\n");
        }
    }

    @Test
    void protoMaxBulkLenRefusesALongerBulkString() throws Exception {
        try (RunningServer running = new RunningServer(new RedisServerProperties(), StoreClock.system());
             Client client = running.connect()) {
            assertThat(client.call("CONFIG", "SET", "proto-max-bulk-len", "1mb")).isEqualTo("+OK\r\n");
            client.send("*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$1048577\r\n".getBytes(StandardCharsets.US_ASCII));
            assertThat(client.readReply()).isEqualTo("-ERR Protocol error: invalid bulk length\r\n");
            assertThat(client.isClosedByServer()).isTrue();
        }
    }

    @Test
    void clientQueryBufferLimitRefusesALongerUnfinishedCommand() throws Exception {
        try (RunningServer running = new RunningServer(new RedisServerProperties(), StoreClock.system());
             Client client = running.connect()) {
            assertThat(client.call("CONFIG", "SET", "client-query-buffer-limit", "1mb")).isEqualTo("+OK\r\n");
            client.send("*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$2000000\r\n".getBytes(StandardCharsets.US_ASCII));
            client.send(new byte[1_100_000]);
            assertThat(client.readReply()).startsWith("-ERR Protocol error: unfinished command exceeds the query buffer limit");
            assertThat(client.isClosedByServer()).isTrue();
        }
    }

    @Test
    void clientOutputBufferLimitClosesAClientWhoseReplyIsOverTheNewHardLimit() throws Exception {
        try (RunningServer running = new RunningServer(new RedisServerProperties(), StoreClock.system());
             Client client = running.connect()) {
            running.expectLog("closed for overcoming of output buffer limits");
            assertThat(client.call("SET", "big", "x".repeat(900_000))).isEqualTo("+OK\r\n");
            assertThat(client.call("CONFIG", "SET", "client-output-buffer-limit", "normal 100kb 0 0")).isEqualTo("+OK\r\n");
            client.send("GET", "big");
            assertThat(client.readUntilClosed()).isEmpty(); // closed instead of receiving 900 KB
            assertThat(running.server().outputLimitCloses()).isEqualTo(1);
        }
    }

    @Test
    void maxmemoryAndRequirepassApplyAtOnce() throws Exception {
        try (RunningServer running = new RunningServer(new RedisServerProperties(), StoreClock.system());
             Client client = running.connect()) {
            assertThat(client.call("CONFIG", "SET", "maxmemory", "1")).isEqualTo("+OK\r\n");
            assertThat(client.call("SET", "k", "v")).isEqualTo("+OK\r\n"); // the first key takes it over 1 byte
            assertThat(client.call("SET", "k2", "v")).isEqualTo("-OOM command not allowed when used memory > 'maxmemory'.\r\n");
            assertThat(client.call("CONFIG", "SET", "maxmemory", "0", "requirepass", "pw")).isEqualTo("+OK\r\n");
            assertThat(client.call("SET", "k2", "v")).isEqualTo("+OK\r\n"); // already authenticated: stays so
            try (Client other = running.connect()) {
                assertThat(other.call("GET", "k")).isEqualTo("-NOAUTH Authentication required.\r\n");
                assertThat(other.call("AUTH", "pw")).isEqualTo("+OK\r\n");
            }
        }
    }

    @Test
    void hzReschedulesTheCronSoKeysExpireActively() throws Exception {
        try (RunningServer running = new RunningServer(new RedisServerProperties(), StoreClock.system());
             Client client = running.connect()) {
            for (int i = 0; i < 50; i++) {
                client.call("SET", "k" + i, "v", "PX", "50");
            }
            assertThat(client.call("CONFIG", "SET", "hz", "100")).isEqualTo("+OK\r\n");
            // nobody touches the keys: only the cron the new hz started can remove them
            Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> client.call("DBSIZE").equals(":0\r\n"));
            assertThat(running.onLoop(() -> running.server().hz())).isEqualTo(100);
        }
    }

    @Test
    void resetstatZeroesTheCounters() throws Exception {
        try (RunningServer running = new RunningServer(new RedisServerProperties(), StoreClock.system());
             Client client = running.connect()) {
            client.call("GET", "missing");
            client.call("SET", "k", "v");
            client.call("GET", "k");
            assertThat(client.call("CONFIG", "RESETSTAT")).isEqualTo("+OK\r\n");
            String info = client.call("INFO", "stats");
            assertThat(info).contains("keyspace_hits:0\r\n").contains("keyspace_misses:0\r\n")
                    .contains("total_connections_received:0\r\n");
        }
    }
}
