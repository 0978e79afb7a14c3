package dev.ioloop.sample.store;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.jspecify.annotations.Nullable;

/**
 * An in-memory keyspace of {@link Value}s (strings, lists, sets, hashes, sorted sets, streams) with optional expiry,
 * as one Redis database. Commands look values up by kind: {@link #read} to read, {@link #modify} or
 * {@link #modifyOrCreate} to change a collection in place; a command that empties one calls {@link #deleteIfEmpty}
 * (Redis never keeps an empty list, set, hash or sorted set; an empty stream stays). Every change is reported to the
 * {@link KeyspaceListener} (WATCH, blocked clients). The expiry index and the SCAN order live in {@link ExpiryIndex}
 * and {@link ScanCursor}.
 *
 * <p>Keys are {@link Key}s: bytes with a hash computed once, compared as bytes. Any key may be a
 * {@linkplain Key#probe() probe} over a request's bytes: the store only looks up with it, and keeps (and tells its
 * listener) the key of its own entry. Expiry works as in Redis: a key is
 * removed when a command touches it after its time (lazy), and {@link #activeExpireCycle(long)} samples keys that
 * carry a time and removes expired ones, repeating while more than 10% of a sample was expired and stopping when
 * its time budget runs out (active). Times come from the {@link StoreClock}: milliseconds, and a key expires once
 * the clock is strictly past its time, as in Redis.
 *
 * <pre>{@code
 * KeyValueStore store = new KeyValueStore(StoreClock.system(), 42);
 * store.setString(Key.of("k"), "v".getBytes(), false);
 * store.setExpireTime(Key.of("k"), store.nowMillis() + 1000);
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

    private final StoreClock clock;
    private final SplittableRandom random;
    private final HashMap<Key, StoreEntry> map = new HashMap<>();
    private final ExpiryIndex expiries = new ExpiryIndex();
    private KeyspaceListener listener = KeyspaceListener.NONE;

    private long expiredKeys;
    private long usedMemory;
    private long maxmemory;
    /** Collections handed out since the last settle(): re-measured then. */
    private final ArrayList<StoreEntry> dirty = new ArrayList<>();
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

    /**
     * Sets who is told of changed keys (WATCH, blocking pops). One listener; the server combines its parts.
     */
    public void setListener(KeyspaceListener listener) {
        this.listener = listener;
    }

    // ---------------------------------------------------------------- lookups

    /** Returns the string at {@code key}, or null if absent. Counts a keyspace hit or miss. */
    public byte @Nullable [] getString(Key key) {
        StoreEntry e = live(key);
        countLookup(e);
        if (e == null) {
            return null;
        }
        if (!(e.value instanceof StringValue string)) {
            throw new WrongTypeException();
        }
        return string.bytes();
    }

    /**
     * Returns the value at {@code key} for reading, or null if absent; the caller must not change it. Counts a
     * keyspace hit or miss.
     *
     * <pre>{@code ListValue list = store.read(key, ListValue.KIND); }</pre>
     *
     * @throws WrongTypeException if the key holds another type
     */
    public <V extends Value> @Nullable V read(Key key, ValueKind<V> kind) {
        StoreEntry e = live(key);
        countLookup(e);
        return e == null ? null : kind.cast(e.value);
    }

    /**
     * Returns the value at {@code key} for changing in place, or null if absent. The key counts as modified (WATCH,
     * blocked clients) and its memory is re-measured after the command. A command that empties a collection calls
     * {@link #deleteIfEmpty}.
     *
     * @throws WrongTypeException if the key holds another type
     */
    public <V extends Value> @Nullable V modify(Key key, ValueKind<V> kind) {
        StoreEntry e = live(key);
        countLookup(e);
        if (e == null) {
            return null;
        }
        V value = kind.cast(e.value);
        handOut(e);
        return value;
    }

    /**
     * As {@link #modify}, creating an empty value (without expiry) if the key is absent.
     *
     * @throws WrongTypeException if the key holds another type
     */
    public <V extends Value> V modifyOrCreate(Key key, ValueKind<V> kind) {
        StoreEntry e = live(key);
        if (e == null) {
            e = new StoreEntry(key.stable(), kind.newEmpty());
            map.put(e.key, e);
            measure(e);
        }
        V value = kind.cast(e.value);
        handOut(e);
        return value;
    }

    /**
     * Returns the value at {@code key} of whatever type, or null if absent, for commands that treat every type
     * (OBJECT, MEMORY USAGE, COPY). Not counted as a hit or miss; the caller must not change it.
     */
    public @Nullable Value value(Key key) {
        StoreEntry e = live(key);
        return e == null ? null : e.value;
    }

    /**
     * Removes {@code key} if it holds an empty list, set, hash or sorted set (Redis never keeps those empty; an
     * empty stream stays).
     */
    public void deleteIfEmpty(Key key) {
        StoreEntry e = map.get(key);
        if (e != null && e.value.isEmptyCollection()) {
            removeEntry(e);
        }
    }

    /**
     * Returns the estimated heap bytes of {@code key} and its value (MEMORY USAGE; what maxmemory counts), or null if
     * absent. Not counted as a hit or miss.
     */
    public @Nullable Long memoryUsage(Key key) {
        StoreEntry e = live(key);
        return e == null ? null : MemoryUsage.entry(key, e.value);
    }

    /** Returns the type at {@code key}, or null if absent. Not counted as a hit or miss. */
    public @Nullable ValueType type(Key key) {
        StoreEntry e = live(key);
        return e == null ? null : e.value.type();
    }

    /**
     * Returns whether {@code key} is still held but its time has passed (it will be removed when touched or sampled).
     * Does not remove it. WATCH uses it: a watched key that expires makes EXEC fail, as in Redis 7.0.
     */
    public boolean isExpiredInPlace(Key key) {
        StoreEntry e = map.get(key);
        return e != null && e.isExpiredAt(clock.millis());
    }

    /** Returns whether {@code key} exists (and has not expired). */
    public boolean exists(Key key) {
        return live(key) != null;
    }

    // ---------------------------------------------------------------- changes

    /**
     * Stores a string at {@code key}, replacing any value of any type.
     *
     * @param keepTtl whether an existing expiry time survives (SET KEEPTTL); otherwise it is cleared
     */
    public void setString(Key key, byte[] value, boolean keepTtl) {
        set(key, new StringValue(value), keepTtl);
    }

    /**
     * Stores {@code value} at {@code key}, replacing any value of any type (SET, and the STORE forms of commands that
     * build a whole value).
     *
     * @param keepTtl whether an existing expiry time survives (SET KEEPTTL); otherwise it is cleared
     */
    public void set(Key key, Value value, boolean keepTtl) {
        StoreEntry e = live(key);
        if (e == null) {
            e = new StoreEntry(key.stable(), value); // a probe is only looked up with, never kept
            map.put(e.key, e);
        } else {
            e.value = value;
            if (!keepTtl) {
                expiries.clear(e);
            }
        }
        measure(e);
        listener.keyModified(e.key);
    }

    /** Removes {@code key}; returns whether it existed. */
    public boolean delete(Key key) {
        StoreEntry e = live(key);
        if (e == null) {
            return false;
        }
        removeEntry(e);
        listener.keyModified(e.key);
        return true;
    }

    /**
     * Moves the value and expiry time of {@code from} to {@code to}, replacing what {@code to} held.
     *
     * @return false if {@code from} does not exist
     */
    public boolean rename(Key from, Key to) {
        StoreEntry e = live(from);
        if (e == null) {
            return false;
        }
        if (from.equals(to)) {
            return true;
        }
        long expireAt = e.expireAt;
        Value value = e.value;
        removeEntry(e);
        StoreEntry old = map.get(to);
        if (old != null) {
            removeEntry(old);
        }
        StoreEntry moved = new StoreEntry(to.stable(), value);
        map.put(moved.key, moved);
        measure(moved);
        if (expireAt != NO_EXPIRY) {
            expiries.set(moved, expireAt);
        }
        listener.keyModified(e.key);
        listener.keyModified(moved.key);
        return true;
    }

    /** Removes every key. */
    public void clear() {
        listener.flushing(this);
        map.clear();
        usedMemory = 0;
        dirty.clear();
        expiries.removeAll();
    }

    // ---------------------------------------------------------------- expiry

    /**
     * Returns the absolute expiry time of {@code key} in clock milliseconds, {@link #NO_EXPIRY} if it has none, or
     * {@link #NO_KEY} if it does not exist.
     */
    public long expireTime(Key key) {
        StoreEntry e = live(key);
        return e == null ? NO_KEY : e.expireAt;
    }

    /**
     * Sets the absolute expiry time of an existing {@code key}; a time not after now removes the key at once.
     *
     * @return false if the key does not exist
     */
    public boolean setExpireTime(Key key, long atMillis) {
        StoreEntry e = live(key);
        if (e == null) {
            return false;
        }
        listener.keyModified(e.key);
        if (atMillis <= clock.millis()) {
            removeEntry(e);
            expiredKeys++;
            return true;
        }
        expiries.set(e, atMillis);
        return true;
    }

    /** Clears the expiry time of {@code key}; returns whether it had one. */
    public boolean persist(Key key) {
        StoreEntry e = live(key);
        if (e == null || e.expireAt == NO_EXPIRY) {
            return false;
        }
        expiries.clear(e);
        listener.keyModified(e.key);
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
        while (expiries.size() > 0) {
            int round = Math.min(KEYS_PER_ROUND, expiries.size());
            int expiredInRound = 0;
            for (int i = 0; i < round && expiries.size() > 0; i++) {
                StoreEntry e = expiries.sample(random);
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
        return expiries.size();
    }

    /** Returns every live key matching {@code pattern}, in no particular order; removes expired keys it meets. */
    public List<Key> keys(GlobPattern pattern) {
        long now = clock.millis();
        List<Key> result = new ArrayList<>();
        List<StoreEntry> dead = new ArrayList<>();
        for (StoreEntry e : map.values()) {
            if (e.isExpiredAt(now)) {
                dead.add(e);
            } else if (pattern.matches(e.key)) {
                result.add(e.key);
            }
        }
        removeExpired(dead);
        return result;
    }

    /**
     * One SCAN step (see {@link ScanCursor}): a key present for the whole iteration is returned exactly once. Each
     * step is O(n) in the number of keys; expired keys met are removed.
     *
     * @param cursor 0 to start, else the cursor the previous step returned
     * @param count how many keys to examine in this step (the step may return more when hashes collide, or fewer
     *     after filtering)
     * @param pattern keys to return, or null for all
     * @param type the type to return, or null for all
     * @throws IllegalArgumentException if {@code count} is below 1
     */
    public ScanPage scan(long cursor, int count, @Nullable GlobPattern pattern, @Nullable ValueType type) {
        ScanCursor.Step step = ScanCursor.step(map.values(), cursor, count);
        long now = clock.millis();
        List<Key> keys = new ArrayList<>();
        List<StoreEntry> dead = new ArrayList<>();
        for (StoreEntry e : step.visited()) {
            if (e.isExpiredAt(now)) {
                dead.add(e);
            } else if ((pattern == null || pattern.matches(e.key)) && (type == null || e.value.type() == type)) {
                keys.add(e.key);
            }
        }
        removeExpired(dead);
        return new ScanPage(step.next(), keys);
    }

    /**
     * Returns a key chosen uniformly at random among the live ones, or null if there is none (RANDOMKEY). Expired keys
     * met are removed, as Redis does. O(n) in the number of keys: a hash map has no random access, so this walks to a
     * random position (Redis's dictionary answers in O(1)); at most 100 tries land on expired keys before the last
     * one met is returned as Redis returns it.
     */
    public @Nullable Key randomKey() {
        long now = clock.millis();
        for (int tries = 0; !map.isEmpty(); tries++) {
            int skip = random.nextInt(map.size());
            java.util.Iterator<StoreEntry> it = map.values().iterator();
            StoreEntry e = it.next();
            for (int i = 0; i < skip; i++) {
                e = it.next();
            }
            if (!e.isExpiredAt(now) || tries >= 100) {
                return e.key;
            }
            removeEntry(e);
            expiredKeys++;
        }
        return null;
    }

    // ---------------------------------------------------------------- stats

    /**
     * Publishes the current counters for {@link #stats()}. Loop thread only; the server calls it from its cron,
     * so readers see values at most one cron period old.
     */
    public void publishStats() {
        // ordering: volatile write publishes the immutable record to other threads.
        published = new StoreStats(map.size(), expiries.size(), expiredKeys, hits, misses);
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
            StoreEntry e = dirty.get(i);
            e.dirty = false;
            if (map.get(e.key) == e) {
                measure(e);
            }
        }
        dirty.clear();
    }

    /** Takes a new estimate of {@code e}, a live entry, and counts the difference. */
    private void measure(StoreEntry e) {
        long bytes = MemoryUsage.entry(e.key, e.value);
        usedMemory += bytes - e.bytes;
        e.bytes = bytes;
    }

    /** A collection is handed out for changing: the key counts as modified; re-measure it at the next settle(). */
    private void handOut(StoreEntry e) {
        if (!e.dirty) {
            e.dirty = true;
            dirty.add(e);
        }
        listener.keyModified(e.key);
    }

    /** Returns the counters as last published. Safe from any thread. */
    public StoreStats stats() {
        return published; // ordering: volatile read pairs with the write in publishStats()
    }

    /** Zeroes the keyspace hits, misses and expired-key counts (CONFIG RESETSTAT). */
    public void resetStats() {
        hits = 0;
        misses = 0;
        expiredKeys = 0;
    }

    /** Returns the counters now. Loop thread only (INFO uses it). */
    public StoreStats currentStats() {
        return new StoreStats(map.size(), expiries.size(), expiredKeys, hits, misses);
    }

    /** Returns what the last active-expiry run did. Safe from any thread. */
    public ExpiryCycle lastCycle() {
        return lastCycle; // ordering: volatile read pairs with the write in activeExpireCycle()
    }

    // ---------------------------------------------------------------- internals

    /** Returns the entry if present and not expired; removes it (lazy expiry) if expired. */
    private @Nullable StoreEntry live(Key key) {
        StoreEntry e = map.get(key);
        // the clock is read only for a key that has an expiry time (most lookups skip it)
        if (e != null && e.hasExpiry() && e.isExpiredAt(clock.millis())) {
            removeEntry(e);
            expiredKeys++;
            return null;
        }
        return e;
    }

    private void countLookup(@Nullable StoreEntry e) {
        if (e == null) {
            misses++;
        } else {
            hits++;
        }
    }

    private void removeExpired(List<StoreEntry> dead) {
        for (StoreEntry e : dead) {
            removeEntry(e);
        }
        expiredKeys += dead.size();
    }

    private void removeEntry(StoreEntry e) {
        map.remove(e.key);
        usedMemory -= e.bytes;
        e.bytes = 0;
        expiries.clear(e);
    }

    /** For tests: the entries' consistency (each expiring entry indexed once, memory estimates summed). */
    boolean invariantsHold() {
        if (!expiries.consistent()) {
            return false;
        }
        int withExpiry = 0;
        long bytes = 0;
        for (Map.Entry<Key, StoreEntry> me : map.entrySet()) {
            StoreEntry e = me.getValue();
            if (e.hasExpiry()) {
                withExpiry++;
                if (e.expiryIndexSlot < 0) {
                    return false;
                }
            }
            if (dirty.isEmpty() && e.bytes != MemoryUsage.entry(e.key, e.value)) {
                return false; // settled entries carry their current estimate
            }
            bytes += e.bytes;
        }
        return withExpiry == expiries.size() && bytes == usedMemory;
    }
}
