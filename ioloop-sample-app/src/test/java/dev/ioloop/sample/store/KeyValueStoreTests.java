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
        store.setString(k("k"), b("v"), false);
        store.setExpireTime(k("k"), clock.millis() + 100);
        clock.advanceMillis(100);
        assertThat(store.getString(k("k"))).isEqualTo(b("v")); // at its time: still there, as in Redis (now > when)
        clock.advanceMillis(1);
        assertThat(store.size()).isEqualTo(1); // not removed until touched
        assertThat(store.getString(k("k"))).isNull();
        assertThat(store.size()).isZero();
        assertThat(store.currentStats().expiredKeys()).isEqualTo(1);
        assertThat(store.invariantsHold()).isTrue();
    }

    @Test
    void anExpiryTimeNotInTheFutureRemovesTheKeyAtOnce() {
        store.setString(k("k"), b("v"), false);
        assertThat(store.setExpireTime(k("k"), clock.millis())).isTrue();
        assertThat(store.exists(k("k"))).isFalse();
        assertThat(store.setExpireTime(k("missing"), clock.millis() + 10)).isFalse();
    }

    @Test
    void setStringClearsTheExpiryUnlessAskedToKeepIt() {
        store.setString(k("k"), b("v"), false);
        store.setExpireTime(k("k"), clock.millis() + 100);
        store.setString(k("k"), b("w"), true);
        assertThat(store.expireTime(k("k"))).isEqualTo(clock.millis() + 100);
        store.setString(k("k"), b("x"), false);
        assertThat(store.expireTime(k("k"))).isEqualTo(KeyValueStore.NO_EXPIRY);
        assertThat(store.expiresCount()).isZero();
        assertThat(store.expireTime(k("nope"))).isEqualTo(KeyValueStore.NO_KEY);
    }

    @Test
    void activeExpiryRemovesExpiredKeysWithoutTouchingThem() {
        for (int i = 0; i < 1000; i++) {
            store.setString(k("short" + i), b("v"), false);
            store.setExpireTime(k("short" + i), clock.millis() + 10);
            store.setString(k("long" + i), b("v"), false);
            store.setExpireTime(k("long" + i), clock.millis() + 1_000_000);
            store.setString(k("plain" + i), b("v"), false);
        }
        clock.advanceMillis(11);
        int rounds = 0;
        while (store.size() > 2000 && rounds++ < 1000) {
            store.activeExpireCycle(1_000_000_000L);
        }
        // Sampling stops once at most 10% of a sample is stale, so a few expired keys may wait for lazy expiry.
        assertThat(store.size()).isBetween(2000, 2100);
        assertThat(store.exists(k("long5"))).isTrue();
        assertThat(store.exists(k("plain5"))).isTrue();
        assertThat(store.invariantsHold()).isTrue();
        for (int i = 0; i < 1000; i++) {
            assertThat(store.exists(k("short" + i))).isFalse();
        }
        assertThat(store.currentStats().expiredKeys()).isEqualTo(1000);
    }

    @Test
    void activeExpiryStopsWhenItsBudgetIsSpent() {
        for (int i = 0; i < 10_000; i++) {
            store.setString(k("k" + i), b("v"), false);
            store.setExpireTime(k("k" + i), clock.millis() + 1);
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
            store.setString(k("k" + i), b("v"), false);
            store.setExpireTime(k("k" + i), clock.millis() + 1_000_000);
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
            store.setString(k("stable" + i), b("v"), false);
        }
        Set<String> seen = new HashSet<>();
        List<String> all = new java.util.ArrayList<>();
        long cursor = 0;
        int step = 0;
        do {
            ScanPage page = store.scan(cursor, 37, null, null);
            all.addAll(names(page));
            seen.addAll(names(page));
            // churn: add and remove other keys (forcing rehashes) between steps
            for (int j = 0; j < 50; j++) {
                store.setString(k("churn" + step + "-" + j), b("v"), false);
            }
            for (int j = 0; j < 50; j++) {
                store.delete(k("churn" + (step - 1) + "-" + j));
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
        store.setString(k("user:1"), b("a"), false);
        store.setString(k("user:2"), b("a"), false);
        store.modifyOrCreate(k("user:list"), ListValue.KIND).add(b("x"));
        store.setString(k("other"), b("a"), false);
        Set<String> strings = new HashSet<>(scanAll(new GlobPattern("user:*"), ValueType.STRING));
        assertThat(strings).containsExactlyInAnyOrder("user:1", "user:2");
        assertThat(scanAll(null, ValueType.LIST)).containsExactly("user:list");
        assertThat(store.keys(new GlobPattern("*"))).hasSize(4);
    }

    @Test
    void listsAreTypedAndEmptyListsRemoved() {
        ListValue list = store.modifyOrCreate(k("l"), ListValue.KIND);
        list.add(b("a"));
        assertThat(store.type(k("l"))).isEqualTo(ValueType.LIST);
        assertThatThrownBy(() -> store.getString(k("l"))).isInstanceOf(WrongTypeException.class)
                .hasMessage("WRONGTYPE Operation against a key holding the wrong kind of value");
        store.setString(k("s"), b("v"), false);
        assertThatThrownBy(() -> store.modify(k("s"), ListValue.KIND)).isInstanceOf(WrongTypeException.class);
        list.clear();
        store.deleteIfEmpty(k("l"));
        assertThat(store.exists(k("l"))).isFalse();
    }

    @Test
    void everyCollectionTypeIsTypedAndEmptyOnesAreRemovedExceptStreams() {
        store.modifyOrCreate(k("set"), SetValue.KIND).add("m");
        store.modifyOrCreate(k("hash"), HashValue.KIND).put("f", b("v"));
        store.modifyOrCreate(k("zset"), SortedSetValue.KIND).put("m", 1);
        store.modifyOrCreate(k("stream"), StreamValue.KIND).append(new StreamValue.StreamId(1, 1), new byte[][] {b("f"), b("v")});
        assertThat(store.type(k("set"))).isEqualTo(ValueType.SET);
        assertThat(store.type(k("hash"))).isEqualTo(ValueType.HASH);
        assertThat(store.type(k("zset"))).isEqualTo(ValueType.ZSET);
        assertThat(store.type(k("stream"))).isEqualTo(ValueType.STREAM);
        assertThat(ValueType.byRedisName("ZSET")).isEqualTo(ValueType.ZSET);
        assertThatThrownBy(() -> store.modify(k("set"), HashValue.KIND)).isInstanceOf(WrongTypeException.class);
        assertThatThrownBy(() -> store.modifyOrCreate(k("hash"), SortedSetValue.KIND)).isInstanceOf(WrongTypeException.class);
        assertThatThrownBy(() -> store.modify(k("zset"), StreamValue.KIND)).isInstanceOf(WrongTypeException.class);
        assertThatThrownBy(() -> store.modify(k("stream"), SetValue.KIND)).isInstanceOf(WrongTypeException.class);
        assertThatThrownBy(() -> store.modify(k("set"), ListValue.KIND)).isInstanceOf(WrongTypeException.class);
        assertThatThrownBy(() -> store.getString(k("hash"))).isInstanceOf(WrongTypeException.class);
        assertThat(store.modify(k("missing"), SetValue.KIND)).isNull();

        store.modify(k("set"), SetValue.KIND).remove("m");
        store.modify(k("hash"), HashValue.KIND).remove("f");
        store.modify(k("zset"), SortedSetValue.KIND).remove("m");
        store.modifyOrCreate(k("empty-stream"), StreamValue.KIND);
        for (String key : List.of("set", "hash", "zset", "stream", "empty-stream")) {
            store.deleteIfEmpty(k(key));
        }
        assertThat(store.exists(k("set"))).isFalse();
        assertThat(store.exists(k("hash"))).isFalse();
        assertThat(store.exists(k("zset"))).isFalse();
        assertThat(store.exists(k("stream"))).isTrue();
        assertThat(store.exists(k("empty-stream"))).isTrue(); // Redis keeps empty streams (XADD NOMKSTREAM, XDEL)
    }

    @Test
    void collectionsExpireRenameAndScanByType() {
        store.modifyOrCreate(k("s"), SetValue.KIND).add("m");
        store.modifyOrCreate(k("z"), SortedSetValue.KIND).put("m", 1);
        store.setExpireTime(k("s"), clock.millis() + 10);
        assertThat(store.rename(k("z"), k("z2"))).isTrue();
        assertThat(store.modify(k("z2"), SortedSetValue.KIND).score("m")).isEqualTo(1.0);
        assertThat(scanAll(null, ValueType.ZSET)).containsExactly("z2");
        assertThat(scanAll(null, ValueType.SET)).containsExactly("s");
        clock.advanceMillis(11);
        assertThat(store.modify(k("s"), SetValue.KIND)).isNull();
        assertThat(store.invariantsHold()).isTrue();
    }

    @Test
    void renameMovesValueAndExpiry() {
        store.setString(k("a"), b("1"), false);
        store.setExpireTime(k("a"), clock.millis() + 500);
        store.setString(k("b"), b("2"), false);
        assertThat(store.rename(k("a"), k("b"))).isTrue();
        assertThat(store.getString(k("b"))).isEqualTo(b("1"));
        assertThat(store.expireTime(k("b"))).isEqualTo(clock.millis() + 500);
        assertThat(store.exists(k("a"))).isFalse();
        assertThat(store.rename(k("a"), k("c"))).isFalse();
        assertThat(store.invariantsHold()).isTrue();
    }

    @Test
    void statsArePublishedForOtherThreads() {
        store.setString(k("a"), b("1"), false);
        store.getString(k("a"));
        store.getString(k("zz"));
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
                case 0 -> store.setString(k(key), b("v"), r.nextBoolean());
                case 1 -> store.setExpireTime(k(key), clock.millis() + r.nextInt(50));
                case 2 -> store.delete(k(key));
                case 3 -> store.persist(k(key));
                case 4 -> store.rename(k(key), k("k" + r.nextInt(500)));
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
            keys.addAll(names(page));
            cursor = page.cursor();
        } while (cursor != 0);
        return keys;
    }

    @Test
    void aProbeIsOnlyLookedUpWithTheStoreAndItsListenerKeepCopies() {
        List<Key> told = new java.util.ArrayList<>();
        store.setListener(new KeyspaceListener() {
            @Override
            public void keyModified(Key key) {
                told.add(key);
            }

            @Override
            public void flushing(KeyValueStore s) {
            }
        });
        byte[] request = b("xxnewyy");
        Key probe = Key.probe();
        store.setString(probe.reset(request, 2, 3), b("1"), false); // a new key: the store keeps a copy
        store.setString(probe.reset(request, 2, 3), b("2"), false); // an existing one: the store's key is reused
        store.setExpireTime(probe.reset(request, 2, 3), clock.millis() + 100);
        store.persist(probe.reset(request, 2, 3));
        store.modifyOrCreate(probe.reset(request, 0, 2), ListValue.KIND).add(b("x"));
        store.rename(probe.reset(request, 0, 2), Key.probe().reset(b("-zz"), 1, 2));
        java.util.Arrays.fill(request, (byte) '?'); // the next request overwrites the bytes the probe pointed at
        assertThat(store.getString(k("new"))).isEqualTo(b("2"));
        assertThat(store.exists(k("zz"))).isTrue();
        assertThat(store.getString(probe.reset(b("-new-"), 1, 3))).isEqualTo(b("2"));
        assertThat(told).extracting(Key::toString).containsExactly("new", "new", "new", "new", "xx", "xx", "zz");
        assertThat(told).noneMatch(key -> key == probe);
        store.settle(); // as the command table does after each command
        assertThat(store.invariantsHold()).isTrue();
    }

    @Test
    void everyChangeIsReportedToTheListenerAndReadsAreNot() {
        List<String> modified = new java.util.ArrayList<>();
        List<Boolean> flushedWithKeys = new java.util.ArrayList<>();
        store.setListener(new KeyspaceListener() {
            @Override
            public void keyModified(Key key) {
                modified.add(key.toString());
            }

            @Override
            public void flushing(KeyValueStore s) {
                flushedWithKeys.add(s.exists(k("b")));
            }
        });
        store.setString(k("a"), b("1"), false);
        store.getString(k("a"));
        store.read(k("missing"), ListValue.KIND);
        assertThat(store.modify(k("missing"), ListValue.KIND)).isNull();
        store.modifyOrCreate(k("l"), ListValue.KIND).add(b("x"));
        store.read(k("l"), ListValue.KIND);
        assertThat(modified).containsExactly("a", "l");
        modified.clear();
        store.rename(k("l"), k("b"));
        store.setExpireTime(k("b"), clock.millis() + 10);
        store.persist(k("b"));
        store.setExpireTime(k("a"), clock.millis() + 10);
        clock.advanceMillis(11);
        assertThat(store.isExpiredInPlace(k("a"))).isTrue();
        store.exists(k("a")); // lazy expiry is not a change (as in Redis 7.0)
        assertThat(store.isExpiredInPlace(k("a"))).isFalse();
        store.delete(k("b"));
        store.delete(k("b")); // nothing to delete: no change
        assertThat(modified).containsExactly("l", "b", "b", "b", "a", "b");
        store.setString(k("b"), b("2"), false);
        store.clear();
        assertThat(flushedWithKeys).containsExactly(true);
    }

    @Test
    void aValueKnowsItsTypeAndAWrongKindIsRefusedWithoutCreatingAnything() {
        store.modifyOrCreate(k("z"), SortedSetValue.KIND).put("m", 1);
        assertThat(store.value(k("z"))).isInstanceOf(SortedSetValue.class);
        assertThat(store.value(k("z")).type()).isEqualTo(ValueType.ZSET);
        assertThatThrownBy(() -> store.modifyOrCreate(k("z"), HashValue.KIND)).isInstanceOf(WrongTypeException.class);
        assertThat(store.read(k("z"), SortedSetValue.KIND).score("m")).isEqualTo(1.0);
        store.set(k("copy"), new StringValue(b("v")), false);
        assertThat(store.getString(k("copy"))).isEqualTo(b("v"));
        assertThat(store.invariantsHold()).isTrue();
    }

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static List<String> names(ScanPage page) {
        return page.keys().stream().map(Key::toString).toList();
    }

    private static Key k(String key) {
        return Key.of(key);
    }
}
