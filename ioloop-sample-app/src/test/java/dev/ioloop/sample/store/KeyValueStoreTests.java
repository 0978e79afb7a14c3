package dev.ioloop.sample.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ioloop.sample.testing.FakeStoreClock;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The keyspace on a fake clock: lazy and active expiry, the cycle's time budget, SCAN's guarantee, stats. */
class KeyValueStoreTests {

    private final FakeStoreClock clock = new FakeStoreClock(1_000);
    private final KeyValueStore store = new KeyValueStore(clock, 7);

    @Test
    void aKeyLivesUntilTheClockIsPastItsTimeThenLazyAccessRemovesIt() {
        store.setString("k", b("v"), false);
        store.setExpireTime("k", clock.millis() + 100);
        clock.advanceMillis(100);
        assertThat(store.getString("k")).isEqualTo(b("v")); // at its time: still there, as in Redis (now > when)
        clock.advanceMillis(1);
        assertThat(store.size()).isEqualTo(1); // not removed until touched
        assertThat(store.getString("k")).isNull();
        assertThat(store.size()).isZero();
        assertThat(store.currentStats().expiredKeys()).isEqualTo(1);
        assertThat(store.invariantsHold()).isTrue();
    }

    @Test
    void anExpiryTimeNotInTheFutureRemovesTheKeyAtOnce() {
        store.setString("k", b("v"), false);
        assertThat(store.setExpireTime("k", clock.millis())).isTrue();
        assertThat(store.exists("k")).isFalse();
        assertThat(store.setExpireTime("missing", clock.millis() + 10)).isFalse();
    }

    @Test
    void setStringClearsTheExpiryUnlessAskedToKeepIt() {
        store.setString("k", b("v"), false);
        store.setExpireTime("k", clock.millis() + 100);
        store.setString("k", b("w"), true);
        assertThat(store.expireTime("k")).isEqualTo(clock.millis() + 100);
        store.setString("k", b("x"), false);
        assertThat(store.expireTime("k")).isEqualTo(KeyValueStore.NO_EXPIRY);
        assertThat(store.expiresCount()).isZero();
        assertThat(store.expireTime("nope")).isEqualTo(KeyValueStore.NO_KEY);
    }

    @Test
    void activeExpiryRemovesExpiredKeysWithoutTouchingThem() {
        for (int i = 0; i < 1000; i++) {
            store.setString("short" + i, b("v"), false);
            store.setExpireTime("short" + i, clock.millis() + 10);
            store.setString("long" + i, b("v"), false);
            store.setExpireTime("long" + i, clock.millis() + 1_000_000);
            store.setString("plain" + i, b("v"), false);
        }
        clock.advanceMillis(11);
        int rounds = 0;
        while (store.size() > 2000 && rounds++ < 1000) {
            store.activeExpireCycle(1_000_000_000L);
        }
        // Sampling stops once at most 10% of a sample is stale, so a few expired keys may wait for lazy expiry.
        assertThat(store.size()).isBetween(2000, 2100);
        assertThat(store.exists("long5")).isTrue();
        assertThat(store.exists("plain5")).isTrue();
        assertThat(store.invariantsHold()).isTrue();
        for (int i = 0; i < 1000; i++) {
            assertThat(store.exists("short" + i)).isFalse();
        }
        assertThat(store.currentStats().expiredKeys()).isEqualTo(1000);
    }

    @Test
    void activeExpiryStopsWhenItsBudgetIsSpent() {
        for (int i = 0; i < 10_000; i++) {
            store.setString("k" + i, b("v"), false);
            store.setExpireTime("k" + i, clock.millis() + 1);
        }
        clock.advanceMillis(2);
        clock.advanceOnEveryNanosRead(1_000_000); // each clock read costs 1 ms of fake time
        ExpiryCycle cycle = store.activeExpireCycle(5_000_000); // 5 ms budget
        assertThat(cycle.budgetExhausted()).isTrue();
        assertThat(cycle.expired()).isBetween(1, 5 * KeyValueStore.KEYS_PER_ROUND);
        assertThat(store.size()).isGreaterThan(9_000);
        assertThat(store.lastCycle()).isEqualTo(cycle);
    }

    @Test
    void activeExpiryStopsEarlyWhenFewSampledKeysAreExpired() {
        for (int i = 0; i < 1000; i++) {
            store.setString("k" + i, b("v"), false);
            store.setExpireTime("k" + i, clock.millis() + 1_000_000);
        }
        ExpiryCycle cycle = store.activeExpireCycle(1_000_000_000L);
        assertThat(cycle.expired()).isZero();
        assertThat(cycle.sampled()).isEqualTo(KeyValueStore.KEYS_PER_ROUND);
        assertThat(cycle.budgetExhausted()).isFalse();
        assertThatThrownBy(() -> store.activeExpireCycle(0)).hasMessage("'budgetNanos' must be positive (was 0)");
    }

    @Test
    void scanReturnsEveryKeyPresentThroughoutExactlyOnceWhileTheMapChanges() {
        for (int i = 0; i < 5000; i++) {
            store.setString("stable" + i, b("v"), false);
        }
        Set<String> seen = new HashSet<>();
        List<String> all = new java.util.ArrayList<>();
        long cursor = 0;
        int step = 0;
        do {
            ScanPage page = store.scan(cursor, 37, null, null);
            all.addAll(page.keys());
            seen.addAll(page.keys());
            // churn: add and remove other keys (forcing rehashes) between steps
            for (int j = 0; j < 50; j++) {
                store.setString("churn" + step + "-" + j, b("v"), false);
            }
            for (int j = 0; j < 50; j++) {
                store.delete("churn" + (step - 1) + "-" + j);
            }
            cursor = page.cursor();
            step++;
        } while (cursor != 0 && step < 100_000);
        for (int i = 0; i < 5000; i++) {
            assertThat(seen).contains("stable" + i);
        }
        assertThat(all.stream().filter(k -> k.startsWith("stable")).count()).isEqualTo(5000);
    }

    @Test
    void scanFiltersByPatternAndType() {
        store.setString("user:1", b("a"), false);
        store.setString("user:2", b("a"), false);
        store.modifyOrCreate("user:list", ListValue.KIND).add(b("x"));
        store.setString("other", b("a"), false);
        Set<String> strings = new HashSet<>(scanAll(new GlobPattern("user:*"), ValueType.STRING));
        assertThat(strings).containsExactlyInAnyOrder("user:1", "user:2");
        assertThat(scanAll(null, ValueType.LIST)).containsExactly("user:list");
        assertThat(store.keys(new GlobPattern("*"))).hasSize(4);
    }

    @Test
    void listsAreTypedAndEmptyListsRemoved() {
        ListValue list = store.modifyOrCreate("l", ListValue.KIND);
        list.add(b("a"));
        assertThat(store.type("l")).isEqualTo(ValueType.LIST);
        assertThatThrownBy(() -> store.getString("l")).isInstanceOf(WrongTypeException.class)
                .hasMessage("WRONGTYPE Operation against a key holding the wrong kind of value");
        store.setString("s", b("v"), false);
        assertThatThrownBy(() -> store.modify("s", ListValue.KIND)).isInstanceOf(WrongTypeException.class);
        list.clear();
        store.deleteIfEmpty("l");
        assertThat(store.exists("l")).isFalse();
    }

    @Test
    void everyCollectionTypeIsTypedAndEmptyOnesAreRemovedExceptStreams() {
        store.modifyOrCreate("set", SetValue.KIND).add("m");
        store.modifyOrCreate("hash", HashValue.KIND).put("f", b("v"));
        store.modifyOrCreate("zset", SortedSetValue.KIND).put("m", 1);
        store.modifyOrCreate("stream", StreamValue.KIND).append(new StreamValue.StreamId(1, 1), new byte[][] {b("f"), b("v")});
        assertThat(store.type("set")).isEqualTo(ValueType.SET);
        assertThat(store.type("hash")).isEqualTo(ValueType.HASH);
        assertThat(store.type("zset")).isEqualTo(ValueType.ZSET);
        assertThat(store.type("stream")).isEqualTo(ValueType.STREAM);
        assertThat(ValueType.byRedisName("ZSET")).isEqualTo(ValueType.ZSET);
        assertThatThrownBy(() -> store.modify("set", HashValue.KIND)).isInstanceOf(WrongTypeException.class);
        assertThatThrownBy(() -> store.modifyOrCreate("hash", SortedSetValue.KIND)).isInstanceOf(WrongTypeException.class);
        assertThatThrownBy(() -> store.modify("zset", StreamValue.KIND)).isInstanceOf(WrongTypeException.class);
        assertThatThrownBy(() -> store.modify("stream", SetValue.KIND)).isInstanceOf(WrongTypeException.class);
        assertThatThrownBy(() -> store.modify("set", ListValue.KIND)).isInstanceOf(WrongTypeException.class);
        assertThatThrownBy(() -> store.getString("hash")).isInstanceOf(WrongTypeException.class);
        assertThat(store.modify("missing", SetValue.KIND)).isNull();

        store.modify("set", SetValue.KIND).remove("m");
        store.modify("hash", HashValue.KIND).remove("f");
        store.modify("zset", SortedSetValue.KIND).remove("m");
        store.modifyOrCreate("empty-stream", StreamValue.KIND);
        for (String key : List.of("set", "hash", "zset", "stream", "empty-stream")) {
            store.deleteIfEmpty(key);
        }
        assertThat(store.exists("set")).isFalse();
        assertThat(store.exists("hash")).isFalse();
        assertThat(store.exists("zset")).isFalse();
        assertThat(store.exists("stream")).isTrue();
        assertThat(store.exists("empty-stream")).isTrue(); // Redis keeps empty streams (XADD NOMKSTREAM, XDEL)
    }

    @Test
    void collectionsExpireRenameAndScanByType() {
        store.modifyOrCreate("s", SetValue.KIND).add("m");
        store.modifyOrCreate("z", SortedSetValue.KIND).put("m", 1);
        store.setExpireTime("s", clock.millis() + 10);
        assertThat(store.rename("z", "z2")).isTrue();
        assertThat(store.modify("z2", SortedSetValue.KIND).score("m")).isEqualTo(1.0);
        assertThat(scanAll(null, ValueType.ZSET)).containsExactly("z2");
        assertThat(scanAll(null, ValueType.SET)).containsExactly("s");
        clock.advanceMillis(11);
        assertThat(store.modify("s", SetValue.KIND)).isNull();
        assertThat(store.invariantsHold()).isTrue();
    }

    @Test
    void renameMovesValueAndExpiry() {
        store.setString("a", b("1"), false);
        store.setExpireTime("a", clock.millis() + 500);
        store.setString("b", b("2"), false);
        assertThat(store.rename("a", "b")).isTrue();
        assertThat(store.getString("b")).isEqualTo(b("1"));
        assertThat(store.expireTime("b")).isEqualTo(clock.millis() + 500);
        assertThat(store.exists("a")).isFalse();
        assertThat(store.rename("a", "c")).isFalse();
        assertThat(store.invariantsHold()).isTrue();
    }

    @Test
    void statsArePublishedForOtherThreads() {
        store.setString("a", b("1"), false);
        store.getString("a");
        store.getString("zz");
        assertThat(store.stats()).isEqualTo(StoreStats.EMPTY);
        store.publishStats();
        assertThat(store.stats()).isEqualTo(new StoreStats(1, 0, 0, 1, 1));
    }

    @Test
    void manyRandomOperationsKeepTheExpiryIndexConsistent() {
        java.util.SplittableRandom r = new java.util.SplittableRandom(3);
        for (int i = 0; i < 50_000; i++) {
            String key = "k" + r.nextInt(500);
            switch (r.nextInt(6)) {
                case 0 -> store.setString(key, b("v"), r.nextBoolean());
                case 1 -> store.setExpireTime(key, clock.millis() + r.nextInt(50));
                case 2 -> store.delete(key);
                case 3 -> store.persist(key);
                case 4 -> store.rename(key, "k" + r.nextInt(500));
                default -> clock.advanceMillis(1);
            }
            if (i % 1000 == 0) {
                store.activeExpireCycle(1_000_000);
                assertThat(store.invariantsHold()).isTrue();
            }
        }
        assertThat(store.invariantsHold()).isTrue();
    }

    private List<String> scanAll(GlobPattern pattern, ValueType type) {
        List<String> keys = new java.util.ArrayList<>();
        long cursor = 0;
        do {
            ScanPage page = store.scan(cursor, 2, pattern, type);
            keys.addAll(page.keys());
            cursor = page.cursor();
        } while (cursor != 0);
        return keys;
    }

    @Test
    void everyChangeIsReportedToTheListenerAndReadsAreNot() {
        List<String> modified = new java.util.ArrayList<>();
        List<Boolean> flushedWithKeys = new java.util.ArrayList<>();
        store.setListener(new KeyspaceListener() {
            @Override
            public void keyModified(String key) {
                modified.add(key);
            }

            @Override
            public void flushing(KeyValueStore s) {
                flushedWithKeys.add(s.exists("b"));
            }
        });
        store.setString("a", b("1"), false);
        store.getString("a");
        store.read("missing", ListValue.KIND);
        assertThat(store.modify("missing", ListValue.KIND)).isNull();
        store.modifyOrCreate("l", ListValue.KIND).add(b("x"));
        store.read("l", ListValue.KIND);
        assertThat(modified).containsExactly("a", "l");
        modified.clear();
        store.rename("l", "b");
        store.setExpireTime("b", clock.millis() + 10);
        store.persist("b");
        store.setExpireTime("a", clock.millis() + 10);
        clock.advanceMillis(11);
        assertThat(store.isExpiredInPlace("a")).isTrue();
        store.exists("a"); // lazy expiry is not a change (as in Redis 7.0)
        assertThat(store.isExpiredInPlace("a")).isFalse();
        store.delete("b");
        store.delete("b"); // nothing to delete: no change
        assertThat(modified).containsExactly("l", "b", "b", "b", "a", "b");
        store.setString("b", b("2"), false);
        store.clear();
        assertThat(flushedWithKeys).containsExactly(true);
    }

    @Test
    void aValueKnowsItsTypeAndAWrongKindIsRefusedWithoutCreatingAnything() {
        store.modifyOrCreate("z", SortedSetValue.KIND).put("m", 1);
        assertThat(store.value("z")).isInstanceOf(SortedSetValue.class);
        assertThat(store.value("z").type()).isEqualTo(ValueType.ZSET);
        assertThatThrownBy(() -> store.modifyOrCreate("z", HashValue.KIND)).isInstanceOf(WrongTypeException.class);
        assertThat(store.read("z", SortedSetValue.KIND).score("m")).isEqualTo(1.0);
        store.set("copy", new StringValue(b("v")), false);
        assertThat(store.getString("copy")).isEqualTo(b("v"));
        assertThat(store.invariantsHold()).isTrue();
    }

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }
}
