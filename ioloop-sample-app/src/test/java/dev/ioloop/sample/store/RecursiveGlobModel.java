package dev.ioloop.sample.store;

import java.util.ArrayList;
import java.util.List;

/**
 * The test oracle for {@link GlobPattern}: Redis 7.0's {@code stringmatchlen} (util.c) modelled token by token,
 * recursing into every star (exponential in their number, so only for short inputs). Written independently of
 * {@link GlobPattern}: a bracket class is first parsed into its items ({@link BracketClass}), then asked for
 * membership. Test code.
 *
 * <p>The Redis rules it models, all checked against redis-server 7.0.15 on x86-64:
 * <ul>
 *   <li>matching runs while both pattern and text remain; once the text is used up, trailing stars are skipped,
 *       so an empty text matches only an empty pattern (KEYS and SCAN special-case the pattern {@code *} before
 *       calling it; {@link GlobPattern} does the same, see its tests);</li>
 *   <li>in a class, {@code \x} is the literal x when something follows the backslash; {@code ]} closes the class
 *       (so {@code []} matches nothing and {@code [^]} anything); the end of the pattern closes an unterminated
 *       class; {@code x-y} is a range when x, '-' and y all exist (y may be {@code ]} or {@code \}), reversed
 *       ranges are swapped; anything else is a literal;</li>
 *   <li>range bounds and the text's byte compare as C {@code char}, which is signed on x86-64: {@code [a-\xff]}
 *       is the range -1..97 and matches neither {@code b} nor {@code \xc0}.</li>
 * </ul>
 */
final class RecursiveGlobModel {

    private RecursiveGlobModel() {
    }

    static boolean matches(String pattern, String text) {
        return match(pattern, 0, text, 0);
    }

    private static boolean match(String p, int pi, String s, int si) {
        while (pi < p.length() && si < s.length()) {
            char token = p.charAt(pi);
            if (token == '*') {
                int last = pi;
                while (last + 1 < p.length() && p.charAt(last + 1) == '*') {
                    last++;
                }
                if (last + 1 == p.length()) {
                    return true;
                }
                for (int start = si; start < s.length(); start++) {
                    if (match(p, last + 1, s, start)) {
                        return true;
                    }
                }
                return false;
            }
            char ch = s.charAt(si);
            int next;
            boolean ok;
            if (token == '?') {
                ok = true;
                next = pi + 1;
            } else if (token == '[') {
                BracketClass bracket = BracketClass.parse(p, pi);
                ok = bracket.contains(ch);
                next = bracket.end();
            } else if (token == '\\' && pi + 1 < p.length()) {
                ok = p.charAt(pi + 1) == ch;
                next = pi + 2;
            } else {
                ok = token == ch;
                next = pi + 1;
            }
            if (!ok) {
                return false;
            }
            pi = next;
            si++;
            if (si == s.length()) {
                while (pi < p.length() && p.charAt(pi) == '*') {
                    pi++;
                }
            }
        }
        return pi == p.length() && si == s.length();
    }

    /**
     * A parsed bracket class: its items as inclusive ranges of signed byte values (a single char is a range of one),
     * whether it is negated, and the pattern index just past it.
     */
    record BracketClass(List<int[]> ranges, boolean negated, int end) {

        /** Parses the class whose '[' is at {@code open}. */
        static BracketClass parse(String p, int open) {
            int n = p.length();
            int i = open + 1;
            boolean negated = i < n && p.charAt(i) == '^';
            if (negated) {
                i++;
            }
            List<int[]> ranges = new ArrayList<>();
            while (true) {
                int rest = n - i;
                if (rest >= 2 && p.charAt(i) == '\\') {
                    ranges.add(range(p.charAt(i + 1), p.charAt(i + 1)));
                    i += 2;
                } else if (rest >= 1 && p.charAt(i) == ']') {
                    return new BracketClass(ranges, negated, i + 1);
                } else if (rest == 0) {
                    return new BracketClass(ranges, negated, n);
                } else if (rest >= 3 && p.charAt(i + 1) == '-') {
                    ranges.add(range(p.charAt(i), p.charAt(i + 2)));
                    i += 3;
                } else {
                    ranges.add(range(p.charAt(i), p.charAt(i)));
                    i++;
                }
            }
        }

        /** Whether {@code ch} (one ISO-8859-1 byte) is in the class, negation applied. */
        boolean contains(char ch) {
            int value = (byte) ch;
            boolean in = ranges.stream().anyMatch(r -> r[0] <= value && value <= r[1]);
            return in != negated;
        }

        private static int[] range(char a, char b) {
            int x = (byte) a;
            int y = (byte) b;
            return new int[] {Math.min(x, y), Math.max(x, y)};
        }
    }
}
