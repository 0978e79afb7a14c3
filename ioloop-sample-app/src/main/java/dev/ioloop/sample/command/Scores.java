package dev.ioloop.sample.command;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;

/**
 * Sorted-set scores as Redis 7.0 reads and writes them: parsed as C's {@code strtod} with Redis's checks (no
 * leading space, nothing left over, no overflow, no NaN; {@code inf} and {@code -inf} allowed), and replied with
 * {@code printf("%.17g")} ({@code inf}/{@code -inf} spelled out).
 */
final class Scores {

    static final String NOT_A_FLOAT = "ERR value is not a valid float";
    private static final MathContext SEVENTEEN = new MathContext(17, RoundingMode.HALF_EVEN);

    private Scores() {
    }

    /**
     * Returns {@code arg} as a score.
     *
     * @throws CommandException "ERR value is not a valid float"
     */
    static double parse(byte[] arg) {
        String text = new String(arg, StandardCharsets.ISO_8859_1);
        if (text.isEmpty() || Character.isWhitespace(text.charAt(0))) {
            throw new CommandException(NOT_A_FLOAT);
        }
        String body = text.startsWith("+") || text.startsWith("-") ? text.substring(1) : text;
        if (body.equalsIgnoreCase("inf") || body.equalsIgnoreCase("infinity")) {
            return text.startsWith("-") ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
        }
        boolean nonZeroDigit = false;
        for (int i = 0; i < body.length(); i++) {
            char c = body.charAt(i);
            if (c == 'e' || c == 'E') {
                break;
            }
            if (c >= '1' && c <= '9') {
                nonZeroDigit = true;
            }
        }
        for (int i = 0; i < body.length(); i++) {
            char c = body.charAt(i);
            if (!((c >= '0' && c <= '9') || c == '.' || c == 'e' || c == 'E' || c == '+' || c == '-')) {
                throw new CommandException(NOT_A_FLOAT);
            }
        }
        double value;
        try {
            value = Double.parseDouble(text);
        } catch (NumberFormatException e) {
            throw new CommandException(NOT_A_FLOAT);
        }
        if (Double.isInfinite(value) || (value == 0 && nonZeroDigit)) {
            throw new CommandException(NOT_A_FLOAT); // strtod's ERANGE: overflow, or underflow to zero
        }
        return value;
    }

    /** Returns {@code d} as C's {@code %.17g} prints it, or {@code inf}/{@code -inf}. */
    static String format(double d) {
        if (Double.isInfinite(d)) {
            return d > 0 ? "inf" : "-inf";
        }
        if (d == 0) {
            return 1 / d < 0 ? "-0" : "0";
        }
        BigDecimal rounded = new BigDecimal(d).round(SEVENTEEN).stripTrailingZeros();
        int exponent = rounded.precision() - rounded.scale() - 1;
        if (exponent >= -4 && exponent < 17) {
            return rounded.toPlainString();
        }
        String digits = rounded.unscaledValue().abs().toString();
        StringBuilder sb = new StringBuilder();
        if (rounded.signum() < 0) {
            sb.append('-');
        }
        sb.append(digits.charAt(0));
        if (digits.length() > 1) {
            sb.append('.').append(digits, 1, digits.length());
        }
        sb.append('e').append(exponent < 0 ? '-' : '+');
        int abs = Math.abs(exponent);
        if (abs < 10) {
            sb.append('0');
        }
        return sb.append(abs).toString();
    }
}
