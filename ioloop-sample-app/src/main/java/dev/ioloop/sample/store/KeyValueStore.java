package dev.ioloop.sample.store;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.SplittableRandom;
import org.jspecify.annotations.Nullable;

/**
 * An in-memory keyspace of strings, lists, sets, hashes, sorted sets and streams with optional expiry, as one Redis
 * database. Collections are changed in place by the commands; a command that empties one calls
 * {@link #deleteIfEmpty} (Redis never keeps an empty list, set, hash or sorted set; an empty stream stays).
 *
 * <p>Keys are ISO-8859-1 strings (one char per byte, so any bytes are a key). Expiry works as in Redis: a key is
 * removed when a command touches it after its time (lazy), and {@link #activeExpireCycle(long)} samples keys that
 * carry a time and removes expired ones, repeating while more than 10% of a sample was expired and stopping when
 * its time budget runs out (active). Times come from the {@link StoreClock}: milliseconds, and a key expires once
 * the clock is strictly past its time, as in Redis.
 *
 * <pre>{@code
 * KeyValueStore store = new KeyValueStore(StoreClock.system(), 42);
 * store.setString("k", "v".getBytes(), false);
 * store.setExpireTime("k", store.nowMillis() + 1000);
 * }</pre>
 *
 * <p>Memory: the store keeps an O(1) estimate of the heap its keys and values take ({@link #usedMemory()}, see
 * {@link MemoryUsage}), and {@link #overMaxmemory()} says when it is over {@link #setMaxmemory maxmemory}. A
 * collection handed out by a getter may be changed by the caller, so it is re-measured by {@link #settle()}, which
 * the command table calls after every command; a string is measured when it is set. String values are never changed
 * in place (APPEND and INCR store a new array), so a reply may reference a stored array without copying it.
 *
 * <p>Threading: loop thread only, like Redis's single thread: nothing here is synchronized. The exceptions are
 * {@link #stats()} and {@link #lastCycle()}, safe from any thread, which return what {@link #publishStats()} (run
 * on the owning thread, for example from the server's cron) last published.
 */
public final class KeyValueStore {

    /** {@link #expireTime} for a key that does not exist. */
    public static final long NO_KEY = -2;
    /** {@link #expireTime} for a key without an expiry time. */
    public static final long NO_EXPIRY = -1;

    /** Keys sampled per active-expiry round, as Redis's {@code ACTIVE_EXPIRE_CYCLE_KEYS_PER_LOOP}. */
    static final int KEYS_PER_ROUND = 20;
    /** A round that expired more than this percentage of its sample is followed by another. */
    static final int ACCEPTABLE_STALE_PERCENT = 10;

    private static final class Entry {
        final String key;
        Object value; // byte[], ArrayDeque<byte[]>, SetValue, LinkedHashMap<String, byte[]>, SortedSetValue, StreamValue
        long expireAt = NO_EXPIRY;
        int volatileIndex = -1;
        long bytes; // the last estimate of this key and its value, counted in usedMemory
        boolean dirty; // handed out as a collection since the last settle()

        Entry(String key, Object value) {
            this.key = key;
            this.value = value;
        }
    }

    private final StoreClock clock;
    private final SplittableRandom random;
    private final HashMap<String, Entry> map = new HashMap<>();
    /** The entries that carry an expiry time, for O(1) random sampling; each knows its index. */
    private Entry[] volatileEntries = new Entry[16];
    private int volatileCount;

    private long expiredKeys;
    private long usedMemory;
    private long maxmemory;
    /** Collections handed out since the last settle(): re-measured then. */
    private final ArrayList<Entry> dirty = new ArrayList<>();
    private long hits;
    private long misses;

    // ordering: written only by the owning thread in publishStats()/activeExpireCycle(); read from any thread.
    // A volatile reference to an immutable record is enough: readers see a consistent snapshot, never a torn one.
    private volatile StoreStats published = StoreStats.EMPTY;
    // ordering: as 'published'.
    private volatile long publishedMemory;
    // ordering: as 'published'.
    private volatile ExpiryCycle lastCycle = new ExpiryCycle(0, 0, false, 0);

    /**
     * Creates an empty store.
     *
     * @param clock the time source for expiry and the cycle budget
     * @param seed the seed of the random sampling in active expiry (fixed in tests, random in production)
     */
    public KeyValueStore(StoreClock clock, long seed) {
        this.clock = clock;
        this.random = new SplittableRandom(seed);
    }

    /** Returns the store's seeded generator (SPOP), loop thread only. */
    public SplittableRandom random() {
        return random;
    }

    /** Returns the clock's wall-clock time in Unix milliseconds (stream IDs); may jump, unlike {@link #nowMillis()}. */
    public long unixMillis() {
        return clock.unixMillis();
    }

    /** Returns the clock's current time in milliseconds. */
    public long nowMillis() {
        return clock.millis();
    }

    // ---------------------------------------------------------------- lookups

    /** Returns the string at {@code key}, or null if absent. Counts a keyspace hit or miss. */
    public byte @Nullable [] getString(String key) {
        Entry e = live(key);
        countLookup(e);
        if (e == null) {
            return null;
        }
        if (!(e.value instanceof byte[] bytes)) {
            throw new WrongTypeException();
        }
        return bytes;
    }

    /**
     * Returns the list at {@code key} for reading or changing in place, or null if absent. Counts a hit or miss.
     *
     * @throws WrongTypeException if the key holds another type
     */
    @SuppressWarnings("unchecked")
    public @Nullable ArrayDeque<byte[]> getList(String key) {
        return (ArrayDeque<byte[]>) lookup(key, ValueType.LIST);
    }

    /**
     * Returns the list at {@code key}, creating an empty one (without expiry) if absent.
     *
     * @throws WrongTypeException if the key holds another type
     */
    @SuppressWarnings("unchecked")
    public ArrayDeque<byte[]> getOrCreateList(String key) {
        return (ArrayDeque<byte[]>) lookupOrCreate(key, ValueType.LIST);
    }

    /** As {@link #getList}, for a set. */
    public @Nullable SetValue getSet(String key) {
        return (SetValue) lookup(key, ValueType.SET);
    }

    /** As {@link #getOrCreateList}, for a set. */
    public SetValue getOrCreateSet(String key) {
        return (SetValue) lookupOrCreate(key, ValueType.SET);
    }

    /** As {@link #getList}, for a hash (field to value, in insertion order). */
    @SuppressWarnings("unchecked")
    public @Nullable LinkedHashMap<String, byte[]> getHash(String key) {
        return (LinkedHashMap<String, byte[]>) lookup(key, ValueType.HASH);
    }

    /** As {@link #getOrCreateList}, for a hash. */
    @SuppressWarnings("unchecked")
    public LinkedHashMap<String, byte[]> getOrCreateHash(String key) {
        return (LinkedHashMap<String, byte[]>) lookupOrCreate(key, ValueType.HASH);
    }

    /** As {@link #getList}, for a sorted set. */
    public @Nullable SortedSetValue getSortedSet(String key) {
        return (SortedSetValue) lookup(key, ValueType.ZSET);
    }

    /** As {@link #getOrCreateList}, for a sorted set. */
    public SortedSetValue getOrCreateSortedSet(String key) {
        return (SortedSetValue) lookupOrCreate(key, ValueType.ZSET);
    }

    /** As {@link #getList}, for a stream. */
    public @Nullable StreamValue getStream(String key) {
        return (StreamValue) lookup(key, ValueType.STREAM);
    }

    /** As {@link #getOrCreateList}, for a stream. */
    public StreamValue getOrCreateStream(String key) {
        return (StreamValue) lookupOrCreate(key, ValueType.STREAM);
    }

    /**
     * Removes {@code key} if it holds an empty list, set, hash or sorted set (Redis never keeps those empty; an
     * empty stream stays).
     */
    public void deleteIfEmpty(String key) {
        Entry e = map.get(key);
        if (e != null && isEmptyCollection(e.value)) {
            removeEntry(e);
        }
    }

    /** Returns the type at {@code key}, or null if absent. Not counted as a hit or miss. */
    public @Nullable ValueType type(String key) {
        Entry e = live(key);
        return e == null ? null : ValueType.of(e.value);
    }

    /** Returns whether {@code key} exists (and has not expired). */
    public boolean exists(String key) {
        return live(key) != null;
    }

    // ---------------------------------------------------------------- changes

    /**
     * Stores a string at {@code key}, replacing any value of any type.
     *
     * @param keepTtl whether an existing expiry time survives (SET KEEPTTL); otherwise it is cleared
     */
    public void setString(String key, byte[] value, boolean keepTtl) {
        Entry e = live(key);
        if (e == null) {
            e = new Entry(key, value);
            map.put(key, e);
            measure(e);
            return;
        }
        e.value = value;
        measure(e);
        if (!keepTtl) {
            clearExpiry(e);
        }
    }

    /** Removes {@code key}; returns whether it existed. */
    public boolean delete(String key) {
        Entry e = live(key);
        if (e == null) {
            return false;
        }
        removeEntry(e);
        return true;
    }

    /**
     * Moves the value and expiry time of {@code from} to {@code to}, replacing what {@code to} held.
     *
     * @return false if {@code from} does not exist
     */
    public boolean rename(String from, String to) {
        Entry e = live(from);
        if (e == null) {
            return false;
        }
        if (from.equals(to)) {
            return true;
        }
        long expireAt = e.expireAt;
        Object value = e.value;
        removeEntry(e);
        Entry old = map.get(to);
        if (old != null) {
            removeEntry(old);
        }
        Entry moved = new Entry(to, value);
        map.put(to, moved);
        measure(moved);
        if (expireAt != NO_EXPIRY) {
            setExpiry(moved, expireAt);
        }
        return true;
    }

    /** Removes every key. */
    public void clear() {
        map.clear();
        usedMemory = 0;
        dirty.clear();
        Arrays.fill(volatileEntries, 0, volatileCount, null);
        volatileCount = 0;
    }

    // ---------------------------------------------------------------- expiry

    /**
     * Returns the absolute expiry time of {@code key} in clock milliseconds, {@link #NO_EXPIRY} if it has none, or
     * {@link #NO_KEY} if it does not exist.
     */
    public long expireTime(String key) {
        Entry e = live(key);
        return e == null ? NO_KEY : e.expireAt;
    }

    /**
     * Sets the absolute expiry time of an existing {@code key}; a time not after now removes the key at once.
     *
     * @return false if the key does not exist
     */
    public boolean setExpireTime(String key, long atMillis) {
        Entry e = live(key);
        if (e == null) {
            return false;
        }
        if (atMillis <= clock.millis()) {
            removeEntry(e);
            expiredKeys++;
            return true;
        }
        setExpiry(e, atMillis);
        return true;
    }

    /** Clears the expiry time of {@code key}; returns whether it had one. */
    public boolean persist(String key) {
        Entry e = live(key);
        if (e == null || e.expireAt == NO_EXPIRY) {
            return false;
        }
        clearExpiry(e);
        return true;
    }

    /**
     * Removes expired keys by random sampling, as Redis's active expiry: rounds of {@value #KEYS_PER_ROUND} samples
     * continue while a round found more than {@value #ACCEPTABLE_STALE_PERCENT}% expired, and stop once
     * {@code budgetNanos} have passed on the clock. The clock is read once per round, so one round may overrun the
     * budget by the cost of {@value #KEYS_PER_ROUND} lookups.
     *
     * @param budgetNanos the time budget of this run, in nanoseconds
     * @return what the run did (also kept for {@link #lastCycle()})
     * @throws IllegalArgumentException if {@code budgetNanos} is not positive
     */
    public ExpiryCycle activeExpireCycle(long budgetNanos) {
        if (budgetNanos <= 0) {
            throw new IllegalArgumentException("'budgetNanos' must be positive (was " + budgetNanos + ")");
        }
        long start = clock.nanos();
        long now = clock.millis();
        int sampled = 0;
        int expired = 0;
        boolean exhausted = false;
        while (volatileCount > 0) {
            int round = Math.min(KEYS_PER_ROUND, volatileCount);
            int expiredInRound = 0;
            for (int i = 0; i < round && volatileCount > 0; i++) {
                Entry e = volatileEntries[random.nextInt(volatileCount)];
                if (now > e.expireAt) {
                    removeEntry(e);
                    expiredInRound++;
                }
            }
            sampled += round;
            expired += expiredInRound;
            if (clock.nanos() - start >= budgetNanos) {
                exhausted = true;
                break;
            }
            if (expiredInRound * 100 <= round * ACCEPTABLE_STALE_PERCENT) {
                break;
            }
        }
        expiredKeys += expired;
        ExpiryCycle cycle = new ExpiryCycle(sampled, expired, exhausted, clock.nanos() - start);
        lastCycle = cycle; // ordering: volatile write publishes the immutable record
        return cycle;
    }

    // ---------------------------------------------------------------- whole keyspace

    /** Returns the number of keys, including expired keys not yet removed (as Redis's DBSIZE). */
    public int size() {
        return map.size();
    }

    /** Returns the number of keys that carry an expiry time. */
    public int expiresCount() {
        return volatileCount;
    }

    /** Returns every live key matching {@code pattern}, in no particular order; removes expired keys it meets. */
    public List<String> keys(GlobPattern pattern) {
        long now = clock.millis();
        List<String> result = new ArrayList<>();
        List<Entry> dead = new ArrayList<>();
        for (Entry e : map.values()) {
            if (isExpired(e, now)) {
                dead.add(e);
            } else if (pattern.matches(e.key)) {
                result.add(e.key);
            }
        }
        removeExpired(dead);
        return result;
    }

    /**
     * One SCAN step. Keys are visited in the order of their bit-reversed hash, Redis's reverse-binary idea: the
     * cursor is a position in that order, so a key present for the whole iteration is returned exactly once, however
     * the map is resized or changed in between. Each step is O(n) in the number of keys.
     *
     * @param cursor 0 to start, else the cursor the previous step returned
     * @param count how many keys to examine in this step (the step may return more when hashes collide, or fewer
     *     after filtering)
     * @param pattern keys to return, or null for all
     * @param type the type to return, or null for all
     * @throws IllegalArgumentException if {@code count} is below 1
     */
    public ScanPage scan(long cursor, int count, @Nullable GlobPattern pattern, @Nullable ValueType type) {
        if (count < 1) {
            throw new IllegalArgumentException("'count' must be positive (was " + count + ")");
        }
        long maxPosition = 0xFFFF_FFFFL;
        if (cursor < 0 || cursor > maxPosition + 1) {
            return new ScanPage(0, List.of());
        }
        long from = cursor == 0 ? 0 : cursor - 1;
        // pass 1: the count smallest positions >= from (a max-heap keeps them)
        PriorityQueue<Long> smallest = new PriorityQueue<>(count + 1, (a, b) -> Long.compare(b, a));
        for (String key : map.keySet()) {
            long position = position(key);
            if (position >= from && (smallest.size() < count || position < smallest.peek())) {
                smallest.add(position);
                if (smallest.size() > count) {
                    smallest.poll();
                }
            }
        }
        if (smallest.isEmpty()) {
            return new ScanPage(0, List.of());
        }
        long last = smallest.peek();
        // pass 2: every key in [from, last] (all keys of a colliding position together), and the next position
        long now = clock.millis();
        long next = Long.MAX_VALUE;
        List<String> keys = new ArrayList<>();
        List<Entry> dead = new ArrayList<>();
        for (Entry e : map.values()) {
            long position = position(e.key);
            if (position > last) {
                next = Math.min(next, position);
            } else if (position >= from) {
                if (isExpired(e, now)) {
                    dead.add(e);
                } else if ((pattern == null || pattern.matches(e.key)) && (type == null || typeOf(e) == type)) {
                    keys.add(e.key);
                }
            }
        }
        removeExpired(dead);
        return new ScanPage(next == Long.MAX_VALUE ? 0 : next + 1, keys);
    }

    // ---------------------------------------------------------------- stats

    /**
     * Publishes the current counters for {@link #stats()}. Loop thread only; the server calls it from its cron,
     * so readers see values at most one cron period old.
     */
    public void publishStats() {
        // ordering: volatile write publishes the immutable record to other threads.
        published = new StoreStats(map.size(), volatileCount, expiredKeys, hits, misses);
        publishedMemory = usedMemory; // ordering: volatile write, single writer
    }

    /** Returns {@link #usedMemory()} as last published. Safe from any thread. */
    public long publishedUsedMemory() {
        return publishedMemory; // ordering: volatile read pairs with the write in publishStats()
    }

    // ---------------------------------------------------------------- memory

    /** Returns the estimated heap bytes of every key and value (see {@link MemoryUsage}), as of the last settle. */
    public long usedMemory() {
        return usedMemory;
    }

    /** Returns the limit set by {@link #setMaxmemory}, in bytes; 0 for none. */
    public long maxmemory() {
        return maxmemory;
    }

    /**
     * Sets the keyspace's memory limit, in bytes (Redis's {@code maxmemory}); 0 for none.
     *
     * @throws IllegalArgumentException if negative
     */
    public void setMaxmemory(long bytes) {
        if (bytes < 0) {
            throw new IllegalArgumentException("'maxmemory' must not be negative (was " + bytes + ")");
        }
        this.maxmemory = bytes;
    }

    /** Returns whether the keyspace uses more than maxmemory (then commands that may add data are refused). */
    public boolean overMaxmemory() {
        return maxmemory > 0 && usedMemory > maxmemory;
    }

    /**
     * Re-measures the collections handed out since the last call (the caller may have changed them). Called after
     * every command; O(number of collections handed out).
     */
    public void settle() {
        int n = dirty.size();
        if (n == 0) {
            return;
        }
        for (int i = 0; i < n; i++) {
            Entry e = dirty.get(i);
            e.dirty = false;
            if (map.get(e.key) == e) {
                measure(e);
            }
        }
        dirty.clear();
    }

    /** Takes a new estimate of {@code e}, a live entry, and counts the difference. */
    private void measure(Entry e) {
        long bytes = MemoryUsage.entry(e.key, e.value);
        usedMemory += bytes - e.bytes;
        e.bytes = bytes;
    }

    /** A collection is handed out: re-measure it at the next settle(). */
    private Object handOut(Entry e) {
        if (!e.dirty) {
            e.dirty = true;
            dirty.add(e);
        }
        return e.value;
    }

    /** Returns the counters as last published. Safe from any thread. */
    public StoreStats stats() {
        return published; // ordering: volatile read pairs with the write in publishStats()
    }

    /** Returns the counters now. Loop thread only (INFO uses it). */
    public StoreStats currentStats() {
        return new StoreStats(map.size(), volatileCount, expiredKeys, hits, misses);
    }

    /** Returns what the last active-expiry run did. Safe from any thread. */
    public ExpiryCycle lastCycle() {
        return lastCycle; // ordering: volatile read pairs with the write in activeExpireCycle()
    }

    // ---------------------------------------------------------------- internals

    /** Returns the entry if present and not expired; removes it (lazy expiry) if expired. */
    private @Nullable Entry live(String key) {
        Entry e = map.get(key);
        if (e != null && e.expireAt != NO_EXPIRY && isExpired(e, clock.millis())) {
            removeEntry(e);
            expiredKeys++;
            return null;
        }
        return e;
    }

    private static boolean isExpired(Entry e, long now) {
        return e.expireAt != NO_EXPIRY && now > e.expireAt;
    }

    private void countLookup(@Nullable Entry e) {
        if (e == null) {
            misses++;
        } else {
            hits++;
        }
    }

    private static ValueType typeOf(Entry e) {
        return ValueType.of(e.value);
    }

    /** Returns the live value at {@code key} if it has {@code type}, null if absent; counts a hit or miss. */
    private @Nullable Object lookup(String key, ValueType type) {
        Entry e = live(key);
        countLookup(e);
        if (e == null) {
            return null;
        }
        if (ValueType.of(e.value) != type) {
            throw new WrongTypeException();
        }
        return handOut(e);
    }

    /** Returns the live value at {@code key} if it has {@code type}, creating an empty one if absent. */
    private Object lookupOrCreate(String key, ValueType type) {
        Entry e = live(key);
        if (e == null) {
            e = new Entry(key, newValue(type));
            map.put(key, e);
            measure(e);
            return handOut(e);
        }
        if (ValueType.of(e.value) != type) {
            throw new WrongTypeException();
        }
        return handOut(e);
    }

    private static Object newValue(ValueType type) {
        switch (type) {
            case LIST:
                return new ArrayDeque<byte[]>();
            case SET:
                return new SetValue();
            case HASH:
                return new LinkedHashMap<String, byte[]>();
            case ZSET:
                return new SortedSetValue();
            case STREAM:
                return new StreamValue();
            default:
                throw new IllegalArgumentException("'type' must be a collection type (was " + type + ")");
        }
    }

    private static boolean isEmptyCollection(Object value) {
        return (value instanceof ArrayDeque<?> list && list.isEmpty())
                || (value instanceof SetValue set && set.isEmpty())
                || (value instanceof LinkedHashMap<?, ?> hash && hash.isEmpty())
                || (value instanceof SortedSetValue zset && zset.isEmpty());
    }

    private static long position(String key) {
        return Integer.toUnsignedLong(Integer.reverse(key.hashCode()));
    }

    private void removeExpired(List<Entry> dead) {
        for (Entry e : dead) {
            removeEntry(e);
        }
        expiredKeys += dead.size();
    }

    private void removeEntry(Entry e) {
        map.remove(e.key);
        usedMemory -= e.bytes;
        e.bytes = 0;
        clearExpiry(e);
    }

    private void setExpiry(Entry e, long atMillis) {
        if (e.volatileIndex < 0) {
            if (volatileCount == volatileEntries.length) {
                volatileEntries = Arrays.copyOf(volatileEntries, volatileCount * 2);
            }
            e.volatileIndex = volatileCount;
            volatileEntries[volatileCount++] = e;
        }
        e.expireAt = atMillis;
    }

    private void clearExpiry(Entry e) {
        int i = e.volatileIndex;
        if (i >= 0) {
            Entry lastEntry = volatileEntries[--volatileCount];
            volatileEntries[i] = lastEntry;
            lastEntry.volatileIndex = i;
            volatileEntries[volatileCount] = null;
            e.volatileIndex = -1;
        }
        e.expireAt = NO_EXPIRY;
    }

    /** For tests: the entries' consistency (each expiring entry indexed once, at its index). */
    boolean invariantsHold() {
        for (int i = 0; i < volatileCount; i++) {
            Entry e = volatileEntries[i];
            if (e.volatileIndex != i || map.get(e.key) != e || e.expireAt == NO_EXPIRY) {
                return false;
            }
        }
        int withExpiry = 0;
        long bytes = 0;
        for (Map.Entry<String, Entry> me : map.entrySet()) {
            Entry e = me.getValue();
            if (e.expireAt != NO_EXPIRY) {
                withExpiry++;
            }
            if (dirty.isEmpty() && e.bytes != MemoryUsage.entry(e.key, e.value)) {
                return false; // settled entries carry their current estimate
            }
            bytes += e.bytes;
        }
        return withExpiry == volatileCount && bytes == usedMemory;
    }
}
