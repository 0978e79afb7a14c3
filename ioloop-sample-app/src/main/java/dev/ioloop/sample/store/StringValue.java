package dev.ioloop.sample.store;

/**
 * A string value: binary-safe bytes, never changed in place (APPEND and INCR store a new array), so a reply may
 * reference them without copying.
 *
 * @param bytes the value (not copied; must not be changed once stored)
 */
public record StringValue(byte[] bytes) implements Value {

    /** The longest string OBJECT ENCODING reports as {@code embstr} in Redis 7.0. */
    static final int EMBSTR_MAX = 44;

    @Override
    public ValueType type() {
        return ValueType.STRING;
    }

    /** The array: 16-byte header, padded to 8; the record (16). */
    @Override
    public long estimatedBytes() {
        return 16 + MemoryUsage.array(bytes.length);
    }

    @Override
    public boolean isEmptyCollection() {
        return false;
    }

    /** {@code int} for a canonical 64-bit decimal of at most 20 bytes, {@code embstr} up to 44 bytes, else {@code raw}. */
    @Override
    public String encoding() {
        if (bytes.length <= 20 && isCanonicalLong(bytes)) {
            return "int";
        }
        return bytes.length <= EMBSTR_MAX ? "embstr" : "raw";
    }

    private static boolean isCanonicalLong(byte[] b) {
        if (b.length == 0) {
            return false;
        }
        try {
            long v = Long.parseLong(new String(b, java.nio.charset.StandardCharsets.ISO_8859_1));
            return Long.toString(v).length() == b.length;
        } catch (NumberFormatException e) {
            return false;
        }
    }
}
