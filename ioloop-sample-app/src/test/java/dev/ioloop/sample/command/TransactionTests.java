package dev.ioloop.sample.command;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ioloop.sample.resp.RespEncoder;
import dev.ioloop.sample.store.Key;
import dev.ioloop.sample.store.KeyValueStore;
import dev.ioloop.sample.testing.FakeStoreClock;
import dev.ioloop.sample.testing.TestServerInfo;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The transaction cases a recording cannot pin down because they depend on when a key expires (on a fake clock
 * here), and the release of a disconnected client's watches.
 */
class TransactionTests {

    private final FakeStoreClock clock = new FakeStoreClock(1_000_000, FakeStoreClock.REALISTIC_UNIX_MILLIS);
    private final KeyValueStore store = new KeyValueStore(clock, 1);
    private final SharedState shared = new SharedState(store);
    private final CommandTable table = CommandTable.standard();
    private final CommandContext a = new CommandContext(shared, new TestServerInfo(null), 1);
    private final CommandContext b = new CommandContext(shared, new TestServerInfo(null), 2);

    @Test
    void aWatchedKeyThatExpiresBeforeExecFailsTheTransactionEvenIfNobodyTouchedIt() {
        run(a, "SET", "k", "v", "PX", "100");
        run(a, "WATCH", "k");
        clock.advanceMillis(101);
        run(a, "MULTI");
        run(a, "SET", "other", "1");
        assertThat(run(a, "EXEC")).isEqualTo("*-1\r\n");
        assertThat(run(a, "GET", "other")).isEqualTo("$-1\r\n");
    }

    @Test
    void aKeyAlreadyExpiredAtWatchDoesNotFailTheTransaction() {
        run(a, "SET", "k", "v", "PX", "100");
        clock.advanceMillis(101);
        run(a, "WATCH", "k"); // expired (not yet removed) when watched: as Redis's watchedKey.expired
        run(a, "MULTI");
        run(a, "PING");
        assertThat(run(a, "EXEC")).isEqualTo("*1\r\n+PONG\r\n");
    }

    @Test
    void anotherClientsChangeInsideItsOwnExecFailsAWatcher() {
        run(a, "WATCH", "k");
        run(b, "MULTI");
        run(b, "INCR", "k");
        run(b, "EXEC");
        run(a, "MULTI");
        run(a, "PING");
        assertThat(run(a, "EXEC")).isEqualTo("*-1\r\n");
    }

    @Test
    void aReleasedClientLeavesNoWatchBehind() {
        run(a, "WATCH", "k1", "k2", "k2");
        run(b, "WATCH", "k2");
        assertThat(shared.watches().watchedKeyCount()).isEqualTo(2);
        shared.release(a);
        assertThat(shared.watches().watchedKeyCount()).isEqualTo(1);
        run(b, "UNWATCH");
        assertThat(shared.watches().watchedKeyCount()).isZero();
    }

    @Test
    void execOverMaxmemoryIsRefusedWhenAQueuedCommandMayAddData() {
        run(a, "MULTI");
        run(a, "SET", "k", "v");
        store.setMaxmemory(1);
        store.setString(k("big"), new byte[100], false); // over maxmemory now
        assertThat(run(a, "EXEC")).isEqualTo(
                "-EXECABORT Transaction discarded because of: OOM command not allowed when used memory > 'maxmemory'.\r\n");
        assertThat(a.inMulti()).isFalse();
    }

    private String run(CommandContext ctx, String... args) {
        List<byte[]> argv = new ArrayList<>();
        for (String s : args) {
            argv.add(s.getBytes(StandardCharsets.ISO_8859_1));
        }
        return new String(RespEncoder.encode(table.dispatch(argv, ctx)), StandardCharsets.ISO_8859_1);
    }

    private static Key k(String key) {
        return Key.of(key);
    }
}
