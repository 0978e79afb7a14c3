package dev.ioloop.sample.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ioloop.sample.testing.FakeStoreClock;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The store's memory accounting: the sum of its per-key estimates after any mix of changes, including collections
 * changed in place, renames, expiry and flushes; maxmemory.
 */
class KeyValueStoreMemoryTests {

    private final FakeStoreClock clock = new FakeStoreClock(1_000_000);
    private final KeyValueStore store = new KeyValueStore(clock, 7);

    @Test
    void aStringCostsItsEntryKeyAndValue() {
        store.setString(k("key"), new byte[1000], false);
        assertThat(store.usedMemory()).isEqualTo(MemoryUsage.ENTRY_OVERHEAD + 8 + 16 + 16 + 1000); // entry, key, the StringValue, its array
        store.setString(k("key"), new byte[10], false);
        assertThat(store.usedMemory()).isEqualTo(MemoryUsage.ENTRY_OVERHEAD + 8 + 16 + 16 + 16);
        store.delete(k("key"));
        assertThat(store.usedMemory()).isZero();
    }

    @Test
    void aCollectionChangedInPlaceIsCountedOnceTheCommandSettles() {
        store.modifyOrCreate(k("list"), ListValue.KIND).add(new byte[100]);
        store.settle();
        long one = store.usedMemory();
        for (int i = 0; i < 999; i++) {
            store.modify(k("list"), ListValue.KIND).add(new byte[100]);
        }
        store.settle();
        // 1,000 elements of 100 bytes: each a 116-byte array plus its slot
        assertThat(store.usedMemory()).isGreaterThan(one + 999 * 116L).isLessThan(one + 999 * 140L);
        assertThat(store.invariantsHold()).isTrue();
    }

    @Test
    void anyMixOfChangesKeepsTheSumOfTheEstimatesAndEmptyingTheStoreReturnsToZero() {
        SplittableRandom random = new SplittableRandom(3);
        for (int i = 0; i < 20_000; i++) {
            String key = "k" + random.nextInt(200);
            byte[] value = ("v" + "x".repeat(random.nextInt(300))).getBytes(StandardCharsets.ISO_8859_1);
            try {
                switch (random.nextInt(12)) {
                    case 0 -> store.setString(k(key), value, random.nextBoolean());
                    case 1 -> store.modifyOrCreate(k(key), ListValue.KIND).addFirst(value);
                    case 2 -> store.modifyOrCreate(k(key), SetValue.KIND).add(new String(value, StandardCharsets.ISO_8859_1));
                    case 3 -> store.modifyOrCreate(k(key), HashValue.KIND).put("f" + random.nextInt(20), value);
                    case 4 -> store.modifyOrCreate(k(key), SortedSetValue.KIND).put("m" + random.nextInt(50), random.nextDouble());
                    case 5 -> store.modifyOrCreate(k(key), StreamValue.KIND).append(store.modifyOrCreate(k(key), StreamValue.KIND).nextAutoId(i), new byte[][] {value, value});
                    case 6 -> store.delete(k(key));
                    case 7 -> store.rename(k(key), k("k" + random.nextInt(200)));
                    case 8 -> store.setExpireTime(k(key), clock.millis() + random.nextInt(20));
                    case 9 -> {
                        var list = store.modify(k(key), ListValue.KIND);
                        if (list != null && !list.isEmpty()) {
                            list.pollLast();
                            store.deleteIfEmpty(k(key));
                        }
                    }
                    case 10 -> clock.advanceMillis(random.nextInt(5));
                    default -> store.activeExpireCycle(1_000_000);
                }
            } catch (WrongTypeException e) {
                // the key holds another type: as in Redis, nothing changed
            }
            store.settle();
            if (i % 500 == 0) {
                assertThat(store.invariantsHold()).as("after %d changes", i).isTrue();
            }
            if (i == 10_000) {
                store.clear();
                assertThat(store.usedMemory()).isZero();
            }
        }
        assertThat(store.invariantsHold()).isTrue();
        assertThat(store.usedMemory()).isPositive();
        for (int k = 0; k < 200; k++) {
            store.delete(k("k" + k));
        }
        assertThat(store.size()).isZero();
        assertThat(store.usedMemory()).isZero();
    }

    @Test
    void overMaxmemoryOnceTheEstimatePassesTheLimit() {
        assertThat(store.overMaxmemory()).isFalse(); // 0: no limit
        store.setMaxmemory(10_000);
        store.setString(k("a"), new byte[5_000], false);
        assertThat(store.overMaxmemory()).isFalse();
        store.setString(k("b"), new byte[5_000], false);
        assertThat(store.overMaxmemory()).isTrue();
        store.delete(k("a"));
        assertThat(store.overMaxmemory()).isFalse();
        assertThatThrownBy(() -> store.setMaxmemory(-1)).hasMessage("'maxmemory' must not be negative (was -1)");
    }

    private static Key k(String key) {
        return Key.of(key);
    }
}
