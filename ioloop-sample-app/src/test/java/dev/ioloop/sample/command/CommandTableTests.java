package dev.ioloop.sample.command;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ioloop.sample.resp.RespEncoder;
import dev.ioloop.sample.store.KeyValueStore;
import dev.ioloop.sample.testing.FakeStoreClock;
import dev.ioloop.sample.testing.TestServerInfo;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The replies the Redis transcript cannot pin down (they depend on time, order or the server): TTLs as the clock
 * moves, KEYS and SCAN contents, COMMAND, CONFIG GET, CLIENT ID, the unknown-command text's truncation, XADD's
 * clock-based IDs, and SPOP and SMEMBERS on sets larger than one member (Redis's order is its hash table's).
 */
class CommandTableTests {

    private final FakeStoreClock clock = new FakeStoreClock(5_000);
    private final KeyValueStore store = new KeyValueStore(clock, 1);
    private final CommandContext ctx = new CommandContext(store, new TestServerInfo(null), 77);
    private final CommandTable table = CommandTable.standard();

    @Test
    void ttlsCountDownWithTheClockAndKeysExpireAfterTheirTime() {
        assertThat(run("SET", "k", "v", "PX", "1500")).isEqualTo("+OK\r\n");
        assertThat(run("PTTL", "k")).isEqualTo(":1500\r\n");
        assertThat(run("TTL", "k")).isEqualTo(":2\r\n"); // Redis rounds: (1500 + 500) / 1000
        clock.advanceMillis(1000);
        assertThat(run("PTTL", "k")).isEqualTo(":500\r\n");
        assertThat(run("TTL", "k")).isEqualTo(":1\r\n");
        clock.advanceMillis(500);
        assertThat(run("PTTL", "k")).isEqualTo(":0\r\n");
        clock.advanceMillis(1);
        assertThat(run("GET", "k")).isEqualTo("$-1\r\n");
        assertThat(run("TTL", "k")).isEqualTo(":-2\r\n");
        assertThat(run("SETEX", "s", "2", "v")).isEqualTo("+OK\r\n");
        clock.advanceMillis(2001);
        assertThat(run("EXISTS", "s")).isEqualTo(":0\r\n");
    }

    @Test
    void xaddAutoIdsFollowTheClockAndStayAboveTheLastId() {
        assertThat(run("XADD", "x", "*", "f", "v")).isEqualTo("$6\r\n5000-0\r\n");
        assertThat(run("XADD", "x", "*", "f", "v")).isEqualTo("$6\r\n5000-1\r\n");
        clock.advanceMillis(1);
        assertThat(run("XADD", "x", "*", "f", "v")).isEqualTo("$6\r\n5001-0\r\n");
        assertThat(run("XADD", "x", "9000-5", "f", "v")).isEqualTo("$6\r\n9000-5\r\n");
        assertThat(run("XADD", "x", "*", "f", "v")).isEqualTo("$6\r\n9000-6\r\n"); // clock behind the last ID
        assertThat(run("XADD", "x", "NOMKSTREAM", "*", "f", "v")).isEqualTo("$6\r\n9000-7\r\n");
        assertThat(run("XADD", "x", "MAXLEN", "5", "*", "f", "v")).isEqualTo("$6\r\n9000-8\r\n");
        assertThat(run("XLEN", "x")).isEqualTo(":5\r\n");
    }

    @Test
    void spopAndSmembersCoverEveryMemberOnce() {
        run("SADD", "s", "a", "b", "c", "d", "e");
        assertThat(bulkStrings(run("SMEMBERS", "s"))).containsExactlyInAnyOrder("a", "b", "c", "d", "e");
        List<String> popped = new ArrayList<>(bulkStrings(run("SPOP", "s", "2")));
        assertThat(popped).hasSize(2).doesNotHaveDuplicates();
        popped.add(run("SPOP", "s").split("\r\n")[1]);
        popped.addAll(bulkStrings(run("SPOP", "s", "10")));
        assertThat(popped).containsExactlyInAnyOrder("a", "b", "c", "d", "e");
        assertThat(run("EXISTS", "s")).isEqualTo(":0\r\n");
    }

    @Test
    void keysAndScanReturnTheMatchingKeys() {
        run("MSET", "user:1", "a", "user:2", "b", "order:1", "c");
        run("RPUSH", "user:list", "x");
        assertThat(bulkStrings(run("KEYS", "user:?"))).containsExactlyInAnyOrder("user:1", "user:2");
        assertThat(bulkStrings(run("KEYS", "*"))).hasSize(4);
        assertThat(bulkStrings(run("SCAN", "0", "MATCH", "user:*", "TYPE", "list", "COUNT", "100")))
                .containsExactly("0", "user:list");
        assertThat(bulkStrings(run("SCAN", "0", "TYPE", "hash", "COUNT", "100"))).containsExactly("0");
        // Redis 7.0.15 compares type names: an unknown one matches nothing, without an error
        assertThat(bulkStrings(run("SCAN", "0", "TYPE", "nosuchtype", "COUNT", "100"))).containsExactly("0");
    }

    @Test
    void commandDescribesTheTableInRedis7Shape() {
        assertThat(run("COMMAND", "COUNT")).isEqualTo(":" + table.all().size() + "\r\n");
        // Redis 7.0.15's own entry (ACL categories, key specs), recorded; byte-exact in redis-7.0.15-config.sessions
        assertThat(run("COMMAND", "INFO", "get", "nosuch")).startsWith(
                "*2\r\n*10\r\n$3\r\nget\r\n:2\r\n*2\r\n+readonly\r\n+fast\r\n:1\r\n:1\r\n:1\r\n*3\r\n+@read\r\n")
                .endsWith("$-1\r\n");
        assertThat(run("COMMAND")).startsWith("*" + table.all().size() + "\r\n");
        assertThat(run("COMMAND", "DOCS", "get")).startsWith("*2\r\n$3\r\nget\r\n*");
    }

    @Test
    void configGetMatchesPatternsAndAliasesInRegistrationOrder() {
        // the server's own parameters are replayed over sockets (redis-7.0.15-config.sessions); here the knobs alone
        assertThat(run("CONFIG", "GET", "hash-max-*-entries")).isEqualTo("*4\r\n$25\r\nhash-max-listpack-entries\r\n"
                + "$3\r\n512\r\n$24\r\nhash-max-ziplist-entries\r\n$3\r\n512\r\n");
        assertThat(run("CONFIG", "GET", "nosuch", "set-max-intset-entries")).isEqualTo(
                "*2\r\n$22\r\nset-max-intset-entries\r\n$3\r\n512\r\n");
        assertThat(run("CONFIG", "SET", "x", "y")).isEqualTo("-ERR Unknown option or number of arguments for CONFIG SET - 'x'\r\n");
    }

    @Test
    void clientIdAndInfoDescribeThisClientAndServer() {
        assertThat(run("CLIENT", "ID")).isEqualTo(":77\r\n");
        assertThat(run("CLIENT", "SETINFO", "LIB-NAME", "jedis")).isEqualTo("+OK\r\n");
        String info = run("INFO", "clients");
        assertThat(info).isEqualTo("$" + "# Clients\r\nconnected_clients:1\r\nmaxclients:10000\r\nblocked_clients:0\r\n".length()
                + "\r\n# Clients\r\nconnected_clients:1\r\nmaxclients:10000\r\nblocked_clients:0\r\n\r\n");
        assertThat(run("INFO", "nosuchsection")).isEqualTo("$0\r\n\r\n");
    }

    @Test
    void unknownCommandTextIsTruncatedAndKeptOnOneLine() {
        String longArg = "x".repeat(200);
        String reply = run("NOPE", longArg, "more");
        assertThat(reply).isEqualTo("-ERR unknown command 'NOPE', with args beginning with: '" + "x".repeat(128) + "' \r\n");
        assertThat(run("NO\r\nPE")).isEqualTo("-ERR unknown command 'NO  PE', with args beginning with: \r\n");
    }

    @Test
    void dispatchRejectsAnEmptyCommandLine() {
        assertThatThrownBy(() -> table.dispatch(List.of(), ctx)).hasMessage("'args' must not be empty");
    }

    private String run(String... args) {
        List<byte[]> argv = new ArrayList<>();
        for (String a : args) {
            argv.add(a.getBytes(StandardCharsets.ISO_8859_1));
        }
        return new String(RespEncoder.encode(table.dispatch(argv, ctx)), StandardCharsets.ISO_8859_1);
    }

    /** The bulk strings of a (possibly nested) array reply, in order. */
    private static List<String> bulkStrings(String reply) {
        List<String> out = new ArrayList<>();
        String[] lines = reply.split("\r\n");
        for (int i = 0; i < lines.length; i++) {
            if (lines[i].startsWith("$") && !lines[i].equals("$-1")) {
                out.add(lines[++i]);
            }
        }
        return out;
    }
}
