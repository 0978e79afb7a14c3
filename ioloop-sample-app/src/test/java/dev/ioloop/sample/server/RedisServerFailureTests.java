package dev.ioloop.sample.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ioloop.sample.command.CommandTable;
import dev.ioloop.sample.store.StoreClock;
import dev.ioloop.sample.testing.RunningServer;
import dev.ioloop.sample.testing.RunningServer.Client;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Nothing thrown while a client's commands run is swallowed: a command that throws an {@code Error} (a bug) gets the
 * replies before it out, reaches the loop's funnel once (logged at ERROR), closes that client only and frees its slot,
 * whether connections live on the data loop or hop from a group.
 */
class RedisServerFailureTests {

    private static final CommandTable WITH_A_BUG = CommandTable.standard().with("boom", 1, (args, ctx) -> {
        throw new AssertionError("a bug in the boom command");
    });

    @Test
    void anErrorInACommandClosesThatClientAndIsLoggedOnce() throws Exception {
        failingCommand(0);
    }

    @Test
    void anErrorInACommandClosesThatClientAndIsLoggedOnceWhenConnectionsLiveOnAGroup() throws Exception {
        failingCommand(2);
    }

    private static void failingCommand(int connectionLoops) throws Exception {
        try (RunningServer running = new RunningServer(new RedisServerProperties(), StoreClock.system(), connectionLoops, WITH_A_BUG);
             Client other = running.connect()) {
            running.expectLog("a bug in the boom command");
            assertThat(other.call("SET", "kept", "1")).isEqualTo("+OK\r\n");
            int before = running.server().connectedClients();
            try (Client victim = running.connect()) {
                victim.send("SET k v\r\nBOOM\r\nGET k\r\n".getBytes(StandardCharsets.ISO_8859_1));
                assertThat(new String(victim.readUntilClosed(), StandardCharsets.ISO_8859_1)).isEqualTo("+OK\r\n");
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> running.countLogs("a bug in the boom command") >= 1);
            await().atMost(Duration.ofSeconds(30)).until(() -> running.server().connectedClients() == before);
            assertThat(running.countLogs("a bug in the boom command")).isEqualTo(1);
            assertThat(other.call("GET", "k")).isEqualTo("$1\r\nv\r\n");
            assertThat(other.call("GET", "kept")).isEqualTo("$1\r\n1\r\n");
        }
    }
}
