package dev.ioloop.sample.store;

import java.util.ArrayList;
import org.jspecify.annotations.Nullable;

/**
 * A Redis stream, append-only: entries of field-value pairs under strictly increasing IDs. The ID parts are
 * unsigned 64-bit numbers held in {@code long}s. Only XADD and XLEN use it, so entries are kept in an array list in
 * ID order; the stream remembers its last ID even when it was created empty, as Redis does.
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

    private record Entry(StreamId id, byte[][] fieldsAndValues) {
    }

    private final ArrayList<Entry> entries = new ArrayList<>();
    private StreamId lastId = StreamId.ZERO;

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
        int k = Math.min(n, MemoryUsage.SAMPLES);
        for (int i = 0; i < k; i++) {
            byte[][] fields = entries.get(i).fieldsAndValues();
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
        entries.add(new Entry(id, fieldsAndValues));
        lastId = id;
    }

    /** Returns the fields and values of the entry at {@code index} (0 = oldest). For tests and future readers. */
    public byte[][] fieldsAndValues(int index) {
        return entries.get(index).fieldsAndValues();
    }

    /** Returns the ID of the entry at {@code index} (0 = oldest). */
    public StreamId idAt(int index) {
        return entries.get(index).id();
    }

    /** Returns a copy with the same entries and last ID (COPY); entries' arrays are shared, as they never change. */
    public StreamValue copy() {
        StreamValue copy = new StreamValue();
        copy.entries.addAll(entries);
        copy.lastId = lastId;
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
