package dev.ioloop.sample.command;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ioloop.sample.resp.RespEncoder;
import dev.ioloop.sample.store.KeyValueStore;
import dev.ioloop.sample.testing.FakeStoreClock;
import dev.ioloop.sample.testing.TestServerInfo;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A client holds the collections pub/sub, WATCH and MULTI need only while it uses them (issue 12: the memory of an
 * idle connection): a fresh client holds none, and one that leaves them all holds none again.
 */
class ClientStateTests {

    private final KeyValueStore store = new KeyValueStore(new FakeStoreClock(1_000_000), 1);
    private final SharedState shared = new SharedState(store);
    private final CommandTable table = CommandTable.standard();
    private final CommandContext client = new CommandContext(shared, new TestServerInfo(null), 1);

    @Test
    void aClientThatOnlyRunsOrdinaryCommandsHoldsNoFeatureState() {
        assertThat(client.holdsFeatureState()).isFalse();
        assertThat(run("PING")).isEqualTo("+PONG\r\n");
        assertThat(run("SET", "k", "v")).isEqualTo("+OK\r\n");
        assertThat(run("GET", "k")).isEqualTo("$1\r\nv\r\n");
        assertThat(run("UNWATCH")).isEqualTo("+OK\r\n");
        assertThat(run("UNSUBSCRIBE")).isEqualTo("*3\r\n$11\r\nunsubscribe\r\n$-1\r\n:0\r\n");
        assertThat(client.holdsFeatureState()).isFalse();
        assertThat(client.channels()).isEmpty();
        assertThat(client.patterns()).isEmpty();
        assertThat(client.watched()).isEmpty();
    }

    @Test
    void subscriptionsHoldStateUntilTheLastIsLeft() {
        run("SUBSCRIBE", "a", "b");
        run("PSUBSCRIBE", "p*");
        assertThat(client.holdsFeatureState()).isTrue();
        assertThat(client.subscriptionCount()).isEqualTo(3);
        run("UNSUBSCRIBE", "a");
        assertThat(client.channels()).containsExactly("b");
        run("UNSUBSCRIBE");
        assertThat(client.holdsFeatureState()).isTrue(); // the pattern is still held
        run("PUNSUBSCRIBE", "p*");
        assertThat(client.subscriptionCount()).isZero();
        assertThat(client.holdsFeatureState()).isFalse();
    }

    @Test
    void aDisconnectedSubscriberHoldsNothing() {
        run("SUBSCRIBE", "a");
        run("PSUBSCRIBE", "p*");
        shared.release(client);
        assertThat(client.holdsFeatureState()).isFalse();
        assertThat(shared.pubsub().channelCount()).isZero();
        assertThat(shared.pubsub().patternCount()).isZero();
    }

    @Test
    void watchesAndTransactionsHoldStateUntilTheyEnd() {
        run("WATCH", "k1", "k2");
        assertThat(client.watched()).hasSize(2);
        assertThat(client.holdsFeatureState()).isTrue();
        run("UNWATCH");
        assertThat(client.holdsFeatureState()).isFalse();

        run("WATCH", "k1");
        run("MULTI");
        run("SET", "k1", "v");
        assertThat(client.holdsFeatureState()).isTrue();
        assertThat(run("EXEC")).isEqualTo("*1\r\n+OK\r\n");
        assertThat(client.holdsFeatureState()).isFalse();

        run("MULTI");
        run("DISCARD");
        assertThat(client.holdsFeatureState()).isFalse();
    }

    @Test
    void aWatchIsStillSeenAfterTheListWasFreedAndMadeAgain() {
        CommandContext other = new CommandContext(shared, new TestServerInfo(null), 2);
        run("WATCH", "k");
        run("UNWATCH");
        run("WATCH", "k");
        dispatch(other, "SET", "k", "changed");
        run("MULTI");
        run("SET", "k", "mine");
        assertThat(run("EXEC")).isEqualTo("*-1\r\n");
        assertThat(run("GET", "k")).isEqualTo("$7\r\nchanged\r\n");
        assertThat(client.holdsFeatureState()).isFalse();
    }

    private String run(String... args) {
        return dispatch(client, args);
    }

    private String dispatch(CommandContext ctx, String... args) {
        List<byte[]> argv = new ArrayList<>();
        for (String s : args) {
            argv.add(s.getBytes(StandardCharsets.ISO_8859_1));
        }
        return new String(RespEncoder.encode(table.dispatch(argv, ctx)), StandardCharsets.ISO_8859_1);
    }
}
