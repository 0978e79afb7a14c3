package dev.ioloop.sample.resp;

/**
 * Strict decimal parsing with Redis's rules ({@code string2ll}): optional {@code -}, no {@code +}, no leading zeros,
 * no spaces, at most 20 characters, within the range of a signed 64-bit integer.
 *
 * <p>Stateless and thread-safe.
 */
public final class AsciiNumbers {

    private AsciiNumbers() {
    }

    /**
     * The value {@link #parseOrMin} returns for invalid text; also the result for the valid text
     * {@code -9223372036854775808}, which callers that care tell apart with {@link #isMinValueText}.
     */
    public static final long INVALID = Long.MIN_VALUE;

    private static final byte[] MIN_TEXT = Long.toString(Long.MIN_VALUE).getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    /** Returns whether {@code bytes} is a valid Redis integer. */
    public static boolean isLong(byte[] bytes) {
        return parseOrMin(bytes, 0, bytes.length) != INVALID || isMinValueText(bytes, 0, bytes.length);
    }

    /** Returns whether {@code bytes[from, to)} is exactly {@code -9223372036854775808}. */
    public static boolean isMinValueText(byte[] bytes, int from, int to) {
        return java.util.Arrays.equals(bytes, from, to, MIN_TEXT, 0, MIN_TEXT.length);
    }

    /**
     * Parses {@code bytes[from, to)} without allocating; returns {@link #INVALID} for text that is not a Redis
     * integer (and for {@code Long.MIN_VALUE} itself).
     */
    public static long parseOrMin(byte[] bytes, int from, int to) {
        return parse(bytes, from, to, false);
    }

    /**
     * Parses {@code bytes[from, to)} as a signed 64-bit integer.
     *
     * @throws NumberFormatException if the text is not a Redis integer (the message quotes it)
     */
    public static long parseLong(byte[] bytes, int from, int to) {
        long value = parse(bytes, from, to, false);
        if (value == INVALID && !isMinValueText(bytes, from, to)) {
            throw new NumberFormatException("not a Redis integer: '" + new String(bytes, from, to - from, java.nio.charset.StandardCharsets.ISO_8859_1) + "'");
        }
        return value;
    }

    /** Parses all of {@code bytes} as a signed 64-bit integer; see {@link #parseLong(byte[], int, int)}. */
    public static long parseLong(byte[] bytes) {
        return parseLong(bytes, 0, bytes.length);
    }

    /**
     * Parses {@code bytes} as an unsigned 64-bit integer (Redis's {@code string2ull}, for SCAN cursors): the result
     * is the two's-complement bit pattern, so values above {@link Long#MAX_VALUE} come back negative.
     *
     * @throws NumberFormatException if the text is not an unsigned decimal integer below 2^64
     */
    public static long parseUnsignedLong(byte[] bytes) {
        if (bytes.length == 1 && bytes[0] == '0') {
            return 0;
        }
        long value = parse(bytes, 0, bytes.length, true);
        if (value == 0) {
            throw new NumberFormatException("not an unsigned 64-bit integer");
        }
        return value;
    }

    /** Returns the value, or INVALID (signed) / 0 (unsigned) for bad text. */
    private static long parse(byte[] b, int from, int to, boolean unsigned) {
        long invalid = unsigned ? 0 : INVALID;
        int len = to - from;
        if (len <= 0 || len > 20) {
            return invalid;
        }
        if (len == 1 && b[from] == '0') {
            return 0L;
        }
        boolean negative = !unsigned && b[from] == '-';
        int p = negative ? from + 1 : from;
        if (p >= to || b[p] < '1' || b[p] > '9') {
            return invalid;
        }
        if (to - p <= 18) {
            // at most 18 digits cannot overflow a long: no checks per digit (the common case: lengths, counts)
            long small = 0;
            for (; p < to; p++) {
                int d = b[p] - '0';
                if (d < 0 || d > 9) {
                    return invalid;
                }
                small = small * 10 + d;
            }
            return negative ? -small : small;
        }
        long v = 0; // accumulated as unsigned
        long limit = Long.divideUnsigned(-1L, 10);
        for (; p < to; p++) {
            int d = b[p] - '0';
            if (d < 0 || d > 9 || Long.compareUnsigned(v, limit) > 0) {
                return invalid;
            }
            long times10 = v * 10;
            long next = times10 + d;
            if (Long.compareUnsigned(next, times10) < 0) {
                return invalid;
            }
            v = next;
        }
        if (unsigned) {
            return v;
        }
        if (negative) {
            return Long.compareUnsigned(v, Long.MIN_VALUE) >= 0 ? INVALID : -v;
        }
        return v < 0 ? INVALID : v;
    }
}
