package dev.ioloop.sample.store;

import java.util.function.Supplier;

/**
 * A typed handle on one collection type, for {@link KeyValueStore#read}, {@link KeyValueStore#modify} and
 * {@link KeyValueStore#modifyOrCreate}: it says which type the key must hold (else WRONGTYPE), returns the value as
 * its class, and makes an empty one. One constant per type, on the value class ({@link ListValue#KIND}, ...).
 *
 * @param <V> the value class
 */
public final class ValueKind<V extends Value> {

    private final ValueType type;
    private final Class<V> valueClass;
    private final Supplier<V> empty;

    ValueKind(ValueType type, Class<V> valueClass, Supplier<V> empty) {
        this.type = type;
        this.valueClass = valueClass;
        this.empty = empty;
    }

    /** Returns the type a key must hold. */
    public ValueType type() {
        return type;
    }

    /** Returns {@code value} as this kind's class, or throws {@link WrongTypeException} if it is another type. */
    V cast(Value value) {
        if (value.type() != type) {
            throw new WrongTypeException();
        }
        return valueClass.cast(value);
    }

    /** Returns a new, empty value of this kind. */
    V newEmpty() {
        return empty.get();
    }

    @Override
    public String toString() {
        return type.redisName();
    }
}
