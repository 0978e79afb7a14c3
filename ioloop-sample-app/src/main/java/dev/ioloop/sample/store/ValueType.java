package dev.ioloop.sample.store;

import org.jspecify.annotations.Nullable;

/** The value types this store holds, named as Redis's TYPE command names them. */
public enum ValueType {
    /** A binary-safe string ({@code byte[]}). */
    STRING("string"),
    /** A list of binary-safe strings ({@code ArrayDeque<byte[]>}). */
    LIST("list");

    private final String redisName;

    ValueType(String redisName) {
        this.redisName = redisName;
    }

    /** Returns the name TYPE answers, such as {@code "string"}. */
    public String redisName() {
        return redisName;
    }

    /** Returns the type Redis calls {@code name} (case-insensitive), or null if this store has no such type. */
    public static @Nullable ValueType byRedisName(String name) {
        for (ValueType t : values()) {
            if (t.redisName.equalsIgnoreCase(name)) {
                return t;
            }
        }
        return null;
    }
}
