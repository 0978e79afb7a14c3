package dev.ioloop.sample.command;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ioloop.sample.resp.RespEncoder;
import dev.ioloop.sample.resp.RespFrame;
import dev.ioloop.sample.store.KeyValueStore;
import dev.ioloop.sample.testing.FakeStoreClock;
import dev.ioloop.sample.testing.TestServerInfo;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The everyday commands whose replies a transcript cannot pin down (the clock, randomness, the server's own limits),
 * run through the command table on a fake clock.
 */
class EverydayCommandTests {

    private final FakeStoreClock clock = new FakeStoreClock(1_000_000, FakeStoreClock.REALISTIC_UNIX_MILLIS + 123);
    private final KeyValueStore store = new KeyValueStore(clock, 7);
    private final CommandTable table = CommandTable.standard();
    private final CommandContext ctx = new CommandContext(store, new TestServerInfo(null), 1);

    private String run(String... words) {
        List<byte[]> args = new ArrayList<>();
        for (String w : words) {
            args.add(w.getBytes(StandardCharsets.ISO_8859_1));
        }
        RespFrame reply = table.dispatch(args, ctx);
        return new String(RespEncoder.encode(reply), StandardCharsets.ISO_8859_1);
    }

    @Test
    void timeAnswersTheClocksUnixTimeInSecondsAndMicroseconds() {
        assertThat(run("TIME")).isEqualTo("*2\r\n$10\r\n1700000000\r\n$6\r\n123000\r\n");
        clock.advanceMillis(2_001);
        assertThat(run("TIME")).isEqualTo("*2\r\n$10\r\n1700000002\r\n$6\r\n124000\r\n");
    }

    @Test
    void randomKeyReturnsEveryLiveKeyAndNeverAnExpiredOne() {
        for (int i = 0; i < 20; i++) {
            run("SET", "k" + i, "v");
        }
        run("PEXPIRE", "k0", "10");
        run("PEXPIRE", "k1", "10");
        clock.advanceMillis(11);
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 2_000; i++) {
            String reply = run("RANDOMKEY");
            seen.add(reply.substring(reply.indexOf('\n') + 1, reply.length() - 2));
        }
        assertThat(seen).hasSize(18).doesNotContain("k0", "k1");
    }

    @Test
    void expireAtUsesTheUnixClockWhileTtlCountsOnTheStoreClock() {
        run("SET", "k", "v");
        long unixSeconds = FakeStoreClock.REALISTIC_UNIX_MILLIS / 1000;
        assertThat(run("EXPIREAT", "k", Long.toString(unixSeconds + 100))).isEqualTo(":1\r\n");
        assertThat(run("PTTL", "k")).isEqualTo(":" + (100_000 - 123) + "\r\n");
        assertThat(run("EXPIRETIME", "k")).isEqualTo(":" + (unixSeconds + 100) + "\r\n");
        clock.advanceMillis(100_000 - 123);
        assertThat(run("EXISTS", "k")).isEqualTo(":1\r\n");
        clock.advanceMillis(1);
        assertThat(run("EXISTS", "k")).isEqualTo(":0\r\n");
    }

    @Test
    void lcsRefusesATableLargerThanItsLimitBeforeAllocatingIt() {
        int side = (int) Math.sqrt(Lcs.MAX_CELLS); // (side + 1)^2 cells: just over the limit
        run("SET", "a", "x".repeat(side));
        run("SET", "b", "y".repeat(side));
        assertThat(run("LCS", "a", "b", "LEN"))
                .isEqualTo("-ERR Insufficient memory, failed allocating transient memory for LCS\r\n");
        run("SET", "b", "x".repeat(side - 2)); // (side + 1) * (side - 1) cells: just under
        assertThat(run("LCS", "a", "b", "LEN")).isEqualTo(":" + (side - 2) + "\r\n");
    }

    @Test
    void hscanOfALargeHashReturnsEveryFieldOnceAcrossSteps() {
        for (int i = 0; i < 300; i++) {
            run("HSET", "h", "f" + i, "v" + i);
        }
        List<String> fields = new ArrayList<>();
        String cursor = "0";
        int steps = 0;
        do {
            RespFrame.RespArray reply = (RespFrame.RespArray) dispatch("HSCAN", "h", cursor, "COUNT", "25");
            cursor = text(reply.elements().get(0));
            List<RespFrame> items = ((RespFrame.RespArray) reply.elements().get(1)).elements();
            for (int i = 0; i < items.size(); i += 2) {
                String field = text(items.get(i));
                assertThat(text(items.get(i + 1))).isEqualTo("v" + field.substring(1));
                fields.add(field);
            }
            steps++;
        } while (!cursor.equals("0"));
        assertThat(steps).isGreaterThan(5);
        assertThat(fields).hasSize(300).doesNotHaveDuplicates();
    }

    @Test
    void randomPicksWithRepeatsAreBoundedAndAnsweredInFull() {
        run("HSET", "h", "a", "1", "b", "2");
        run("SADD", "s", "a", "b");
        assertThat(((RespFrame.RespArray) dispatch("HRANDFIELD", "h", "-1000", "WITHVALUES")).elements()).hasSize(2000);
        assertThat(run("HRANDFIELD", "h", "-1000001"))
                .startsWith("-ERR count is out of range: this server answers at most 1000000");
        List<RespFrame> picks = ((RespFrame.RespArray) dispatch("HRANDFIELD", "h", "1")).elements();
        assertThat(picks).hasSize(1);
        assertThat(text(picks.get(0))).isIn("a", "b");
    }

    @Test
    void xinfoStreamReportsLengthIdsCountersAndEdgeEntries() {
        for (int i = 1; i <= 150; i++) {
            run("XADD", "s", i + "-0", "f", "v" + i);
        }
        run("XDEL", "s", "150-0", "1-0");
        List<RespFrame> info = ((RespFrame.RespArray) dispatch("XINFO", "STREAM", "s")).elements();
        assertThat(text(info.get(0))).isEqualTo("length");
        assertThat(info.get(1)).isEqualTo(RespFrame.integer(148));
        assertThat(text(info.get(2))).isEqualTo("radix-tree-keys");
        assertThat(info.get(3)).isEqualTo(RespFrame.integer(2)); // 100 entries per node: 1-0..100-0, 101-0..150-0
        assertThat(text(info.get(6))).isEqualTo("last-generated-id");
        assertThat(text(info.get(7))).isEqualTo("150-0");
        assertThat(text(info.get(9))).isEqualTo("150-0"); // max-deleted-entry-id
        assertThat(info.get(11)).isEqualTo(RespFrame.integer(150)); // entries-added
        assertThat(text(info.get(13))).isEqualTo("2-0"); // recorded-first-entry-id
        assertThat(info.get(15)).isEqualTo(RespFrame.ZERO); // groups
        assertThat(run("XINFO", "STREAM", "s").split("\r\n")).contains("first-entry", "v2", "last-entry", "v149");
    }

    private RespFrame dispatch(String... words) {
        List<byte[]> args = new ArrayList<>();
        for (String w : words) {
            args.add(w.getBytes(StandardCharsets.ISO_8859_1));
        }
        return table.dispatch(args, ctx);
    }

    private static String text(RespFrame frame) {
        return new String(((RespFrame.BulkString) frame).bytes(), StandardCharsets.ISO_8859_1);
    }
}
