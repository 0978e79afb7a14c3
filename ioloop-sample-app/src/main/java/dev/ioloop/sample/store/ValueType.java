package dev.ioloop.sample.store;

import org.jspecify.annotations.Nullable;

/** The value types this store holds, named as Redis's TYPE command names them. */
public enum ValueType {
    /** A binary-safe string ({@link StringValue}). */
    STRING("string"),
    /** A list of binary-safe strings ({@link ListValue}). */
    LIST("list"),
    /** A set of distinct binary-safe strings ({@link SetValue}). */
    SET("set"),
    /** A map of field to value, both binary-safe strings ({@link HashValue}). */
    HASH("hash"),
    /** A sorted set: members ordered by score ({@link SortedSetValue}). */
    ZSET("zset"),
    /** An append-only log of field-value entries under increasing IDs ({@link StreamValue}). */
    STREAM("stream");

    private final String redisName;

    ValueType(String redisName) {
        this.redisName = redisName;
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
