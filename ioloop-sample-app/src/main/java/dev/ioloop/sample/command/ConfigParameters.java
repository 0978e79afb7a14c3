package dev.ioloop.sample.command;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * The parameters CONFIG GET reads and CONFIG SET changes, by Redis 7.0's names (and their old aliases, such as
 * {@code hash-max-ziplist-entries}), with Redis's value syntax and error texts. The server registers the ones that
 * change its behaviour; {@link #withEncodingKnobs()} adds the encoding knobs, accepted and reported back with no effect
 * (this server has one representation per type, see OBJECT ENCODING).
 *
 * <p>A CONFIG SET of several parameters is all or nothing: every value is parsed and checked first
 * ({@link Setter#prepare}), and only then applied. Registration happens before the server starts; lookups and changes
 * run on the data loop's thread (an applied change publishes itself to other threads, see the server's runtime
 * configuration).
 */
public final class ConfigParameters {

    /** Parses and checks one value; returns the change to apply, or throws with Redis's reason. */
    @FunctionalInterface
    public interface Setter {
        /**
         * Returns the action that applies {@code value}, without applying it.
         *
         * @throws InvalidValueException with Redis's reason (the text after "- ") if the value is refused
         */
        Runnable prepare(String value);
    }

    /** A value CONFIG SET refuses; the message is Redis's reason, such as "argument must be a memory value". */
    public static final class InvalidValueException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        /** @param reason Redis's text */
        public InvalidValueException(String reason) {
            super(reason, null, false, false);
        }
    }

    /** One parameter: its name, current value, and setter (null: immutable). */
    record Parameter(String name, Supplier<String> value, @Nullable Setter setter) {
    }

    private final Map<String, Parameter> byName = new LinkedHashMap<>();
    /** Every name and alias, in registration order, for pattern matches. */
    private final List<String> names = new ArrayList<>();

    /**
     * Registers a parameter (and its aliases, which read and change the same value).
     *
     * @param setter how to change it, or null if CONFIG SET refuses it ("can't set immutable config")
     * @return this
     * @throws IllegalArgumentException if a name is taken
     */
    public ConfigParameters add(String name, Supplier<String> value, @Nullable Setter setter, String... aliases) {
        Parameter p = new Parameter(name, value, setter);
        register(name, p);
        for (String alias : aliases) {
            register(alias, p);
        }
        return this;
    }

    private void register(String name, Parameter p) {
        if (byName.putIfAbsent(name, p) != null) {
            throw new IllegalArgumentException("config parameter '" + name + "' is registered twice");
        }
        names.add(name);
    }

    /** Returns the parameter called {@code name} (any case) or by that alias, or null. */
    @Nullable Parameter lookup(String name) {
        return byName.get(name.toLowerCase(Locale.ROOT));
    }

    /** Returns every name and alias, in registration order. */
    Collection<String> names() {
        return names;
    }

    /**
     * Adds Redis 7.0's encoding knobs with their defaults, accepted with Redis's checks and reported back, with no
     * effect here.
     */
    public ConfigParameters withEncodingKnobs() {
        knob("hash-max-listpack-entries", 512, 0, Integer.MAX_VALUE, "hash-max-ziplist-entries");
        knob("hash-max-listpack-value", 64, 0, Integer.MAX_VALUE, "hash-max-ziplist-value");
        knob("zset-max-listpack-entries", 128, 0, Integer.MAX_VALUE, "zset-max-ziplist-entries");
        knob("zset-max-listpack-value", 64, 0, Integer.MAX_VALUE, "zset-max-ziplist-value");
        knob("list-max-listpack-size", -2, Integer.MIN_VALUE, Integer.MAX_VALUE, "list-max-ziplist-size");
        knob("list-compress-depth", 0, 0, Integer.MAX_VALUE);
        knob("set-max-intset-entries", 512, 0, Integer.MAX_VALUE);
        knob("stream-node-max-bytes", 4096, 0, Long.MAX_VALUE);
        knob("stream-node-max-entries", 100, 0, Long.MAX_VALUE);
        return this;
    }

    private void knob(String name, long initial, long min, long max, String... aliases) {
        long[] value = {initial};
        add(name, () -> Long.toString(value[0]), text -> {
            long v = integer(text, min, max);
            return () -> value[0] = v;
        }, aliases);
    }

    // ---------------------------------------------------------------- value syntax, as Redis's config.c

    /**
     * Parses a plain integer in {@code [min, max]}.
     *
     * @throws InvalidValueException "argument couldn't be parsed into an integer" or the range
     */
    public static long integer(String text, long min, long max) {
        long v;
        try {
            v = Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw new InvalidValueException("argument couldn't be parsed into an integer");
        }
        return inRange(v, min, max);
    }

    /**
     * Parses a memory value ({@code 100}, {@code 1k} = 1000, {@code 1kb} = 1024, m/mb, g/gb) in {@code [min, max]}.
     *
     * @throws InvalidValueException "argument must be a memory value" or the range
     */
    public static long memory(String text, long min, long max) {
        String t = text.toLowerCase(Locale.ROOT);
        long unit = 1;
        String[][] units = {{"gb", "1073741824"}, {"mb", "1048576"}, {"kb", "1024"}, {"g", "1000000000"},
                {"m", "1000000"}, {"k", "1000"}, {"b", "1"}};
        for (String[] u : units) {
            if (t.endsWith(u[0])) {
                unit = Long.parseLong(u[1]);
                t = t.substring(0, t.length() - u[0].length());
                break;
            }
        }
        if (t.isEmpty() || !t.chars().allMatch(Character::isDigit)) {
            throw new InvalidValueException("argument must be a memory value");
        }
        long v;
        try {
            v = Math.multiplyExact(Long.parseLong(t), unit);
        } catch (NumberFormatException | ArithmeticException e) {
            throw new InvalidValueException("argument must be a memory value");
        }
        return inRange(v, min, max);
    }

    /**
     * Checks a value Redis accepts against this server's own smaller ceiling (a Java array or int holds it).
     *
     * @throws InvalidValueException naming the ceiling if {@code v} is above it
     */
    public static long atMost(long v, long ceiling) {
        if (v > ceiling) {
            throw new InvalidValueException("argument must be at most " + ceiling + " on this server");
        }
        return v;
    }

    private static long inRange(long v, long min, long max) {
        if (v < min || v > max) {
            throw new InvalidValueException("argument must be between " + min + " and " + max + " inclusive");
        }
        return v;
    }

    /** A setter that checks with {@code parse} and applies with {@code apply}. */
    public static <T> Setter setter(java.util.function.Function<String, T> parse, Consumer<T> apply) {
        return text -> {
            T value = parse.apply(text);
            return () -> apply.accept(value);
        };
    }
}
