package dev.ioloop.sample.store;

import org.jspecify.annotations.Nullable;

/** The value types this store holds, named as Redis's TYPE command names them. */
public enum ValueType {
    /** A binary-safe string ({@code byte[]}). */
    STRING("string"),
    /** A list of binary-safe strings ({@code ArrayDeque<byte[]>}). */
    LIST("list"),
    /** A set of distinct binary-safe strings ({@link SetValue}). */
    SET("set"),
    /** A map of field to value, both binary-safe strings ({@code LinkedHashMap<String, byte[]>}). */
    HASH("hash"),
    /** A sorted set: members ordered by score ({@link SortedSetValue}). */
    ZSET("zset"),
    /** An append-only log of field-value entries under increasing IDs ({@link StreamValue}). */
    STREAM("stream");

    private final String redisName;

    ValueType(String redisName) {
        this.redisName = redisName;
    }

    /**
     * Returns the type of a stored value object.
     *
     * @throws IllegalArgumentException if {@code value} is not one of the store's value classes
     */
    static ValueType of(Object value) {
        if (value instanceof byte[]) {
            return STRING;
        } else if (value instanceof java.util.ArrayDeque<?>) {
            return LIST;
        } else if (value instanceof SetValue) {
            return SET;
        } else if (value instanceof java.util.LinkedHashMap<?, ?>) {
            return HASH;
        } else if (value instanceof SortedSetValue) {
            return ZSET;
        } else if (value instanceof StreamValue) {
            return STREAM;
        }
        throw new IllegalArgumentException("'value' must be a store value (was " + value.getClass().getName() + ")");
    }

    /** Returns the name TYPE answers, such as {@code "string"}. */
    public String redisName() {
        return redisName;
    }

    /** Returns the type Redis calls {@code name} (case-insensitive), or null if there is no such type. */
    public static @Nullable ValueType byRedisName(String name) {
        for (ValueType t : values()) {
            if (t.redisName.equalsIgnoreCase(name)) {
                return t;
            }
        }
        return null;
    }
}
