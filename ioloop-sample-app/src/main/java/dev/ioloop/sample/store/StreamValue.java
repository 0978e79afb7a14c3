package dev.ioloop.sample.store;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * A Redis stream: entries of field-value pairs under strictly increasing IDs, in a tree map by ID (O(log n) lookups,
 * ranges and deletes). The ID parts are unsigned 64-bit numbers held in {@code long}s. The stream remembers its last
 * ID even when it was created empty or emptied, the largest deleted ID and how many entries were ever added, as
 * Redis does. Redis keeps entries in radix-tree nodes of up to 100 entries each, and its approximate trimming
 * ({@code MAXLEN ~}, {@code MINID ~}) removes only whole nodes; so that trimming answers as Redis does, the stream
 * models those nodes: an entry opens a new node when the current one holds 100 entries, live or deleted (Redis also
 * opens one when the node passes 4 KiB, which this model ignores: with large entries Redis's nodes are smaller).
 *
 * <p>Not thread-safe: loop thread only, like the store that holds it.
 */
public final class StreamValue implements Value {

    /** The handle commands look this type up with. */
    public static final ValueKind<StreamValue> KIND = new ValueKind<>(ValueType.STREAM, StreamValue.class, StreamValue::new);

    @Override
    public ValueType type() {
        return ValueType.STREAM;
    }

    /** Always {@code stream}. */
    @Override
    public String encoding() {
        return "stream";
    }


    /**
     * A stream entry ID: milliseconds and a sequence number, both unsigned 64-bit, compared unsigned.
     *
     * @param ms the milliseconds part (unsigned)
     * @param seq the sequence part (unsigned)
     */
    public record StreamId(long ms, long seq) implements Comparable<StreamId> {
        /** {@code 0-0}, below every valid entry ID. */
        public static final StreamId ZERO = new StreamId(0, 0);

        @Override
        public int compareTo(StreamId other) {
            int c = Long.compareUnsigned(ms, other.ms);
            return c != 0 ? c : Long.compareUnsigned(seq, other.seq);
        }

        /** Returns Redis's form, {@code ms-seq}, both unsigned decimal. */
        @Override
        public String toString() {
            return Long.toUnsignedString(ms) + "-" + Long.toUnsignedString(seq);
        }
    }

    /** Redis 7.0's {@code stream-node-max-entries} default. */
    static final int NODE_MAX_ENTRIES = 100;

    /** One of Redis's radix-tree nodes, as far as trimming sees it. */
    private static final class Node {
        final StreamId firstId;
        StreamId lastId;
        int live;
        int total;

        Node(StreamId firstId) {
            this.firstId = firstId;
            this.lastId = firstId;
        }
    }

    private record Entry(StreamId id, byte[][] fieldsAndValues, Node node) {
    }

    private final TreeMap<StreamId, Entry> entries = new TreeMap<>();
    private final ArrayList<Node> nodes = new ArrayList<>();
    private StreamId lastId = StreamId.ZERO;
    private StreamId maxDeletedId = StreamId.ZERO;
    private long entriesAdded;

    /** Returns the ID of the last entry ever added ({@code 0-0} for a new stream). */
    public StreamId lastId() {
        return lastId;
    }

    /**
     * The entry list (24 + about 1.5 references per entry) and per entry its record (16), ID (24), field-and-value
     * array and their arrays; entries sampled.
     */
    @Override
    public long estimatedBytes() {
        int n = entries.size();
        long sampled = 0;
        int k = 0;
        for (Iterator<Entry> it = entries.values().iterator(); it.hasNext() && k < MemoryUsage.SAMPLES; k++) {
            byte[][] fields = it.next().fieldsAndValues();
            sampled += 16 + 24 + 16 + 4L * fields.length;
            for (byte[] f : fields) {
                sampled += MemoryUsage.array(f.length);
            }
        }
        return 24 + 16 + 24 + 6L * n + MemoryUsage.scaled(n, sampled, k);
    }

    /** False: an empty stream stays, as in Redis. */
    @Override
    public boolean isEmptyCollection() {
        return false;
    }

    /** Returns the number of entries. */
    public int length() {
        return entries.size();
    }

    /**
     * Returns the ID an auto-generated XADD gets at {@code nowMillis}: {@code now-0} if now is past the last ID's
     * milliseconds, else the last ID plus one (carrying into the milliseconds), or null when the last ID is the
     * greatest possible.
     */
    public @Nullable StreamId nextAutoId(long nowMillis) {
        if (Long.compareUnsigned(nowMillis, lastId.ms()) > 0) {
            return new StreamId(nowMillis, 0);
        }
        return increment(lastId);
    }

    /**
     * Returns the ID that {@code ms-*} gets: the last ID plus one in sequence if {@code ms} is the last ID's
     * milliseconds, else {@code ms-0}; null if that sequence is exhausted. The result may still not be greater
     * than the last ID (the caller checks).
     */
    public @Nullable StreamId nextIdFor(long ms) {
        if (ms == lastId.ms()) {
            return lastId.seq() == -1L ? null : new StreamId(ms, lastId.seq() + 1);
        }
        return new StreamId(ms, 0);
    }

    /**
     * Appends an entry.
     *
     * @param id its ID, greater than {@link #lastId()}
     * @param fieldsAndValues field, value, field, value... (not copied)
     * @throws IllegalArgumentException if {@code id} is not greater than the last ID, or the pairs are odd
     */
    public void append(StreamId id, byte[][] fieldsAndValues) {
        if (id.compareTo(lastId) <= 0) {
            throw new IllegalArgumentException("'id' must be greater than the last ID " + lastId + " (was " + id + ")");
        }
        if (fieldsAndValues.length == 0 || fieldsAndValues.length % 2 != 0) {
            throw new IllegalArgumentException("'fieldsAndValues' must hold field-value pairs (was "
                    + fieldsAndValues.length + " items)");
        }
        Node node = nodes.isEmpty() ? null : nodes.get(nodes.size() - 1);
        if (node == null || node.total >= NODE_MAX_ENTRIES) {
            node = new Node(id);
            nodes.add(node);
        }
        node.live++;
        node.total++;
        node.lastId = id;
        entries.put(id, new Entry(id, fieldsAndValues, node));
        lastId = id;
        entriesAdded++;
    }

    /** Returns the fields and values of the entry at {@code index} (0 = oldest); O(index). For tests. */
    public byte[][] fieldsAndValues(int index) {
        return entryAt(index).fieldsAndValues();
    }

    /** Returns the ID of the entry at {@code index} (0 = oldest); O(index). */
    public StreamId idAt(int index) {
        return entryAt(index).id();
    }

    private Entry entryAt(int index) {
        Iterator<Entry> it = entries.values().iterator();
        for (int i = 0; i < index; i++) {
            it.next();
        }
        return it.next();
    }

    /** One entry as readers see it: its ID and its fields and values (field, value, ...; not to be changed). */
    public record StreamEntry(StreamId id, byte[][] fieldsAndValues) {
    }

    /**
     * Returns up to {@code count} entries (0: all) with IDs in {@code [start, end]}, oldest first, or newest first if
     * {@code reverse}. O(log n + count).
     */
    public List<StreamEntry> range(StreamId start, StreamId end, long count, boolean reverse) {
        List<StreamEntry> out = new ArrayList<>();
        if (start.compareTo(end) > 0) {
            return out;
        }
        NavigableMap<StreamId, Entry> sub = entries.subMap(start, true, end, true);
        for (Entry e : (reverse ? sub.descendingMap() : sub).values()) {
            if (count > 0 && out.size() >= count) {
                break;
            }
            out.add(new StreamEntry(e.id(), e.fieldsAndValues()));
        }
        return out;
    }

    /** Returns the oldest entry, or null if empty. */
    public @Nullable StreamEntry first() {
        Map.Entry<StreamId, Entry> e = entries.firstEntry();
        return e == null ? null : new StreamEntry(e.getKey(), e.getValue().fieldsAndValues());
    }

    /** Returns the newest entry, or null if empty. */
    public @Nullable StreamEntry last() {
        Map.Entry<StreamId, Entry> e = entries.lastEntry();
        return e == null ? null : new StreamEntry(e.getKey(), e.getValue().fieldsAndValues());
    }

    /**
     * Deletes the entry {@code id} (XDEL); returns whether it existed. The largest deleted ID is remembered; a node
     * left without live entries is dropped, as Redis frees it.
     */
    public boolean delete(StreamId id) {
        Entry e = entries.remove(id);
        if (e == null) {
            return false;
        }
        if (id.compareTo(maxDeletedId) > 0) {
            maxDeletedId = id;
        }
        if (--e.node().live == 0) {
            nodes.remove(e.node());
        }
        return true;
    }

    /**
     * Trims from the oldest entry as Redis's {@code streamTrim}: to at most {@code maxlen} entries (when
     * {@code minId} is null) or to no entry below {@code minId}. Approximate trimming removes whole nodes only;
     * {@code limit} (0: none) stops before a node that would take the count deleted past it. Returns how many
     * entries were deleted.
     */
    public long trim(long maxlen, @Nullable StreamId minId, boolean approximate, long limit) {
        long deleted = 0;
        while (!nodes.isEmpty()) {
            if (minId == null && entries.size() <= maxlen) {
                break;
            }
            Node node = nodes.get(0);
            if (limit > 0 && deleted + node.live > limit) {
                break;
            }
            boolean removeNode = minId == null ? entries.size() - node.live >= maxlen : node.lastId.compareTo(minId) < 0;
            if (removeNode) {
                entries.subMap(node.firstId, true, node.lastId, true).clear();
                deleted += node.live;
                nodes.remove(0);
                continue;
            }
            if (approximate) {
                break;
            }
            Iterator<StreamId> it = entries.subMap(node.firstId, true, node.lastId, true).keySet().iterator();
            while (it.hasNext()) {
                StreamId id = it.next();
                if (minId == null ? entries.size() <= maxlen : id.compareTo(minId) >= 0) {
                    break;
                }
                it.remove();
                node.live--;
                deleted++;
            }
            break;
        }
        return deleted;
    }

    /** Returns the largest ID ever deleted by {@link #delete} ({@code 0-0} if none). */
    public StreamId maxDeletedId() {
        return maxDeletedId;
    }

    /** Returns how many entries were ever added (XINFO's entries-added). */
    public long entriesAdded() {
        return entriesAdded;
    }

    /** Returns the number of nodes in the model of Redis's radix tree (XINFO's radix-tree-keys). */
    public int nodeCount() {
        return nodes.size();
    }

    /**
     * Sets the last ID, and optionally the entries added and the largest deleted ID (XSETID); the caller has checked
     * them against the entries.
     *
     * @param entriesAdded the new count, or -1 to keep it
     * @param maxDeleted the new largest deleted ID, or null to keep it
     */
    public void setLastId(StreamId id, long entriesAdded, @Nullable StreamId maxDeleted) {
        this.lastId = id;
        if (entriesAdded != -1) {
            this.entriesAdded = entriesAdded;
        }
        if (maxDeleted != null) {
            this.maxDeletedId = maxDeleted;
        }
    }

    /** Returns a copy with the same entries and last ID (COPY); entries' arrays are shared, as they never change. */
    public StreamValue copy() {
        StreamValue copy = new StreamValue();
        for (Entry e : entries.values()) {
            copy.append(e.id(), e.fieldsAndValues());
        }
        copy.lastId = lastId;
        copy.maxDeletedId = maxDeletedId;
        copy.entriesAdded = entriesAdded;
        return copy;
    }

    private static @Nullable StreamId increment(StreamId id) {
        if (id.seq() != -1L) {
            return new StreamId(id.ms(), id.seq() + 1);
        }
        if (id.ms() != -1L) {
            return new StreamId(id.ms() + 1, 0);
        }
        return null;
    }
}
