package dev.ioloop.sample.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ioloop.sample.store.StoreClock;
import dev.ioloop.sample.testing.RunningServer;
import dev.ioloop.sample.testing.RunningServer.Client;
import dev.ioloop.sample.testing.Sessions;
import dev.ioloop.sample.testing.Transcript;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.awaitility.Awaitility;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Replays sessions of several clients recorded from a real redis-server 7.0.15 (transactions, blocking commands,
 * pub/sub) over real sockets, with connections on the data loop and on a group of two loops, and compares every
 * reply each client received byte for byte. A client that sent a command and has not received its reply yet (it is
 * blocked) is waited for on the server before another client goes on, so the order of the recording holds whichever
 * loop a connection lives on.
 */
class SessionTranscriptTests {

    static List<Arguments> sessions() {
        List<Arguments> all = new ArrayList<>();
        for (String file : List.of("redis-7.0.15-transactions.sessions", "redis-7.0.15-config.sessions",
                "redis-7.0.15-blocking.sessions", "redis-7.0.15-pubsub.sessions")) {
            for (int loops : new int[] {0, 2}) {
                all.add(Arguments.of(file, loops));
            }
        }
        return all;
    }

    @ParameterizedTest(name = "{0} with {1} connection loops")
    @MethodSource("sessions")
    void everySessionAnswersAsRedis(String file, int connectionLoops) throws Exception {
        List<String> mismatches = new ArrayList<>();
        try (RunningServer running = new RunningServer(new RedisServerProperties(), StoreClock.system(), connectionLoops)) {
            for (Sessions.Session session : Sessions.load(file)) {
                replay(running, session, mismatches);
            }
        }
        assertThat(mismatches).isEmpty();
    }

    private static void replay(RunningServer running, Sessions.Session session, List<String> mismatches) throws Exception {
        Map<String, Client> clients = new LinkedHashMap<>();
        Set<String> waiting = new HashSet<>(); // clients whose last command has no reply yet (blocked)
        try {
            List<Sessions.Step> steps = session.steps();
            for (int i = 0; i < steps.size(); i++) {
                Sessions.Step step = steps.get(i);
                if (step instanceof Sessions.Send send) {
                    Client client = clients.get(send.client());
                    if (client == null) {
                        client = running.connect();
                        clients.put(send.client(), client);
                    }
                    client.send(send.request());
                    if (!repliedTo(steps, i, send.client())) {
                        waiting.add(send.client());
                        int expected = waiting.size();
                        Awaitility.await().atMost(Duration.ofSeconds(30))
                                .until(() -> running.onLoop(() -> running.server().blockedClients()) >= expected);
                    }
                } else if (step instanceof Sessions.Receive receive) {
                    waiting.remove(receive.client());
                    String reply = clients.get(receive.client()).readReply();
                    String expected = new String(receive.reply(), StandardCharsets.ISO_8859_1);
                    if (!reply.equals(expected)) {
                        mismatches.add(session.name() + " line " + receive.line() + " client " + receive.client()
                                + ": redis " + Transcript.show(receive.reply()) + " ours "
                                + Transcript.show(reply.getBytes(StandardCharsets.ISO_8859_1)));
                    }
                } else if (step instanceof Sessions.Pause pause) {
                    Thread.sleep((long) (pause.seconds() * 1000)); // server time must pass (timeouts, expiry)
                }
            }
            for (Map.Entry<String, Client> c : clients.entrySet()) {
                if (c.getValue().buffered() > 0) {
                    mismatches.add(session.name() + " client " + c.getKey() + ": unexpected bytes after the session");
                }
            }
        } finally {
            for (Client c : clients.values()) {
                c.close();
            }
        }
    }

    /** Whether the replies that follow step {@code i} (before the next send) include one for {@code client}. */
    private static boolean repliedTo(List<Sessions.Step> steps, int i, String client) {
        for (int j = i + 1; j < steps.size() && !(steps.get(j) instanceof Sessions.Send); j++) {
            if (steps.get(j) instanceof Sessions.Receive r && r.client().equals(client)) {
                return true;
            }
        }
        return false;
    }
}
