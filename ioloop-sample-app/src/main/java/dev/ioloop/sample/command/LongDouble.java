package dev.ioloop.sample.command;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import org.jspecify.annotations.Nullable;

/**
 * The x87 80-bit {@code long double} that INCRBYFLOAT and HINCRBYFLOAT compute in, emulated exactly: a 64-bit
 * mantissa and a binary exponent down to the denormals, every result rounded to nearest, ties to even, as the FPU
 * does. Values are held as exact {@link BigDecimal}s of those binary numbers, so parsing ({@code strtold}), the sum
 * and Redis's {@code %.17Lf} output give the bytes Redis 7.0 gives on x86-64 Linux.
 *
 * <p>Parsing accepts what Redis's {@code string2ld} accepts of decimal text ({@code [+-]digits[.digits][e[+-]digits]},
 * {@code inf}, {@code infinity}); hexadecimal floats, which {@code strtold} also reads, are refused. Stateless.
 */
final class LongDouble {

    /** Redis's {@code MAX_LONG_DOUBLE_CHARS}: longer input is refused, longer output comes out empty. */
    static final int MAX_CHARS = 5 * 1024;
    private static final int MANTISSA_BITS = 64;
    /** The exponent of the lowest bit of the smallest denormal: 2^-16445. */
    private static final int MIN_LSB_EXPONENT = -16445;
    /** Values at or above 2^16384 overflow. */
    private static final int MAX_EXPONENT = 16384;

    /** A parsed or computed value: finite (exact) or one of the infinities. */
    record Value(@Nullable BigDecimal finite, int infinity) {
        static final Value PLUS_INFINITY = new Value(null, 1);
        static final Value MINUS_INFINITY = new Value(null, -1);

        boolean isFinite() {
            return finite != null;
        }
    }

    private LongDouble() {
    }

    /** Returns {@code text} as {@code string2ld} reads it, or null where Redis refuses it. */
    static @Nullable Value parse(byte[] text) {
        if (text.length == 0 || text.length >= MAX_CHARS) {
            return null;
        }
        String s = new String(text, StandardCharsets.ISO_8859_1);
        int i = 0;
        boolean negative = false;
        if (s.charAt(0) == '+' || s.charAt(0) == '-') {
            negative = s.charAt(0) == '-';
            i = 1;
        }
        String body = s.substring(i);
        if (body.equalsIgnoreCase("inf") || body.equalsIgnoreCase("infinity")) {
            return negative ? Value.MINUS_INFINITY : Value.PLUS_INFINITY;
        }
        if (!isDecimal(body)) {
            return null;
        }
        BigDecimal exact;
        try {
            exact = new BigDecimal(s.charAt(0) == '+' ? body : s);
        } catch (NumberFormatException | ArithmeticException e) {
            return null;
        }
        if (exact.signum() == 0) {
            return new Value(BigDecimal.ZERO, 0);
        }
        Value rounded = round(exact);
        if (rounded == null || !rounded.isFinite()) {
            return null; // strtold's ERANGE: overflow to HUGE_VAL or underflow to zero
        }
        return rounded;
    }

    /** Returns {@code a + b} rounded to a long double (an infinity on overflow), or null for NaN. */
    static @Nullable Value add(Value a, Value b) {
        if (!a.isFinite() || !b.isFinite()) {
            int inf = a.isFinite() ? b.infinity() : b.isFinite() ? a.infinity() : a.infinity() == b.infinity() ? a.infinity() : 0;
            return inf == 0 ? null : inf > 0 ? Value.PLUS_INFINITY : Value.MINUS_INFINITY;
        }
        BigDecimal sum = a.finite().add(b.finite());
        if (sum.signum() == 0) {
            return new Value(BigDecimal.ZERO, 0);
        }
        Value r = round(sum);
        return r == null ? new Value(BigDecimal.ZERO, 0) : r;
    }

    /**
     * Returns {@code v} as Redis's {@code ld2string(..., LD_STR_HUMAN)} writes it: {@code %.17Lf} without trailing
     * zeros (and without a trailing point), {@code -0} as {@code 0}; empty when longer than Redis's buffer.
     */
    static String format(Value v) {
        if (!v.isFinite()) {
            return v.infinity() > 0 ? "inf" : "-inf";
        }
        String s = v.finite().setScale(17, RoundingMode.HALF_EVEN).toPlainString();
        if (s.indexOf('.') >= 0) {
            int end = s.length();
            while (s.charAt(end - 1) == '0') {
                end--;
            }
            if (s.charAt(end - 1) == '.') {
                end--;
            }
            s = s.substring(0, end);
        }
        if (s.equals("-0")) {
            s = "0";
        }
        return s.length() + 1 > MAX_CHARS ? "" : s;
    }

    /**
     * Whether {@code body} (no sign) is decimal text as {@code strtod} reads it whole: digits with an optional point
     * (at least one digit), then an optional exponent with digits.
     */
    static boolean isDecimal(String body) {
        int i = 0;
        int n = body.length();
        int digits = 0;
        while (i < n && body.charAt(i) >= '0' && body.charAt(i) <= '9') {
            i++;
            digits++;
        }
        if (i < n && body.charAt(i) == '.') {
            i++;
            while (i < n && body.charAt(i) >= '0' && body.charAt(i) <= '9') {
                i++;
                digits++;
            }
        }
        if (digits == 0) {
            return false;
        }
        if (i < n && (body.charAt(i) == 'e' || body.charAt(i) == 'E')) {
            i++;
            if (i < n && (body.charAt(i) == '+' || body.charAt(i) == '-')) {
                i++;
            }
            int expDigits = 0;
            while (i < n && body.charAt(i) >= '0' && body.charAt(i) <= '9') {
                i++;
                expDigits++;
            }
            if (expDigits == 0) {
                return false;
            }
        }
        return i == n;
    }

    /**
     * Rounds a non-zero exact value to the nearest long double (ties to even), or returns an infinity on overflow
     * and null on underflow to zero.
     */
    private static @Nullable Value round(BigDecimal exact) {
        int sign = exact.signum();
        BigDecimal abs = exact.abs();
        long decimalExponent = (long) abs.precision() - abs.scale() - 1; // abs is in [10^d, 10^(d+1))
        if (decimalExponent > 4933) {
            return sign > 0 ? Value.PLUS_INFINITY : Value.MINUS_INFINITY;
        }
        if (decimalExponent < -4952) {
            return null;
        }
        BigInteger num;
        BigInteger den;
        if (abs.scale() <= 0) {
            num = abs.unscaledValue().multiply(BigInteger.TEN.pow(-abs.scale()));
            den = BigInteger.ONE;
        } else {
            num = abs.unscaledValue();
            den = BigInteger.TEN.pow(abs.scale());
        }
        int e = num.bitLength() - den.bitLength() - MANTISSA_BITS;
        BigInteger[] qr = divide(num, den, e);
        if (qr[0].bitLength() > MANTISSA_BITS) {
            e++;
            qr = divide(num, den, e);
        }
        if (e < MIN_LSB_EXPONENT) {
            e = MIN_LSB_EXPONENT;
            qr = divide(num, den, e);
        }
        BigInteger q = qr[0];
        BigInteger divisor = e >= 0 ? den.shiftLeft(e) : den;
        int half = qr[1].shiftLeft(1).compareTo(divisor);
        if (half > 0 || (half == 0 && q.testBit(0))) {
            q = q.add(BigInteger.ONE);
            if (q.bitLength() > MANTISSA_BITS) {
                q = q.shiftRight(1);
                e++;
            }
        }
        if (q.signum() == 0) {
            return null;
        }
        if (e + q.bitLength() > MAX_EXPONENT) {
            return sign > 0 ? Value.PLUS_INFINITY : Value.MINUS_INFINITY;
        }
        BigDecimal value = e >= 0 ? new BigDecimal(q.shiftLeft(e))
                : new BigDecimal(q.multiply(BigInteger.valueOf(5).pow(-e)), -e);
        return new Value(sign < 0 ? value.negate() : value, 0);
    }

    /** Returns the quotient and remainder of {@code num / (den * 2^e)}, scaled so the remainder is over {@code den * 2^max(e,0)}. */
    private static BigInteger[] divide(BigInteger num, BigInteger den, int e) {
        return e >= 0 ? num.divideAndRemainder(den.shiftLeft(e)) : num.shiftLeft(-e).divideAndRemainder(den);
    }
}
