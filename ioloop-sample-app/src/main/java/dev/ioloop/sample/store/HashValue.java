package dev.ioloop.sample.store;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A hash value: fields (ISO-8859-1 strings, one char per byte) to binary-safe values, in insertion order (as Redis's
 * small listpack hashes answer HGETALL). Commands use the map's own methods; this class adds only what the store
 * needs of a value.
 *
 * <p>Not thread-safe: the store's thread only.
 */
public final class HashValue extends LinkedHashMap<String, byte[]> implements Value {

    private static final long serialVersionUID = 1L;

    /** The handle commands look hashes up with. */
    public static final ValueKind<HashValue> KIND = new ValueKind<>(ValueType.HASH, HashValue.class, HashValue::new);

    /** Creates an empty hash. */
    public HashValue() {
        super();
    }

    @Override
    public ValueType type() {
        return ValueType.HASH;
    }

    /** The map (56), its table (about 2 references per entry), each linked entry (40), field and value; sampled. */
    @Override
    public long estimatedBytes() {
        int n = size();
        long sampled = 0;
        int k = 0;
        for (Iterator<Map.Entry<String, byte[]>> it = entrySet().iterator(); it.hasNext() && k < MemoryUsage.SAMPLES; k++) {
            Map.Entry<String, byte[]> e = it.next();
            sampled += 40 + MemoryUsage.string(e.getKey().length()) + MemoryUsage.array(e.getValue().length);
        }
        return 56 + 16 + 8L * n + MemoryUsage.scaled(n, sampled, k);
    }

    @Override
    public boolean isEmptyCollection() {
        return isEmpty();
    }

    /**
     * Always {@code hashtable}: the one representation this server has (the listpack knobs are accepted by CONFIG SET
     * and have no effect, so a small hash is not reported as {@code listpack}).
     */
    @Override
    public String encoding() {
        return "hashtable";
    }
}
