package dev.ioloop.sample.store;

import java.util.ArrayDeque;
import java.util.Iterator;

/**
 * A list value: a deque of binary-safe elements, head first. Commands use the deque's own methods
 * ({@code addFirst}, {@code pollLast}, iteration); this class adds only what the store needs of a value.
 *
 * <p>Not thread-safe: the store's thread only.
 */
public final class ListValue extends ArrayDeque<byte[]> implements Value {

    private static final long serialVersionUID = 1L;

    /** The handle commands look lists up with. */
    public static final ValueKind<ListValue> KIND = new ValueKind<>(ValueType.LIST, ListValue.class, ListValue::new);

    /** Creates an empty list. */
    public ListValue() {
        super();
    }

    @Override
    public ValueType type() {
        return ValueType.LIST;
    }

    /** The deque (24), its array (about 1.5 references per element), each element; elements sampled. */
    @Override
    public long estimatedBytes() {
        int n = size();
        long sampled = 0;
        int k = 0;
        for (Iterator<byte[]> it = iterator(); it.hasNext() && k < MemoryUsage.SAMPLES; k++) {
            sampled += MemoryUsage.array(it.next().length);
        }
        return 24 + 16 + 6L * n + MemoryUsage.scaled(n, sampled, k);
    }

    @Override
    public boolean isEmptyCollection() {
        return isEmpty();
    }

    /** Always {@code quicklist}: Redis 7.0's name for its general list encoding, the one this server has. */
    @Override
    public String encoding() {
        return "quicklist";
    }
}
