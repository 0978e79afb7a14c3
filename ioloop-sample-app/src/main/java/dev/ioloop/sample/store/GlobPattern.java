package dev.ioloop.sample.store;

/**
 * Redis's glob matching ({@code stringmatchlen}), as KEYS and SCAN MATCH use it: {@code *}, {@code ?},
 * {@code [abc]}, {@code [^a]}, {@code [a-z]} and {@code \} to escape. Range bounds compare as signed bytes, as
 * Redis's C chars do on x86-64. Patterns are ISO-8859-1 strings and texts are read the same way (a {@link Key}, a
 * member), one char per byte, so matching is binary-safe. Any pattern matches in time linear in the pattern's length times
 * the text's (no backtracking into earlier stars), so no pattern can hold the loop.
 *
 * <p>Immutable and thread-safe.
 */
public final class GlobPattern {

    private final String pattern;
    private final boolean matchesAll;

    /** Creates the pattern. */
    public GlobPattern(String pattern) {
        this.pattern = pattern;
        this.matchesAll = pattern.equals("*");
    }

    /**
     * Returns whether {@code text} matches. The empty text matches only the empty pattern and {@code *} alone (KEYS and
     * SCAN special-case {@code *} in Redis; {@code **} does not match the empty key there either).
     */
    public boolean matches(CharSequence text) {
        if (text.length() == 0) {
            return matchesAll || pattern.isEmpty(); // Redis: an empty text matches only an empty pattern, or a lone *
        }
        return matchesAll || match(pattern, text);
    }

    @Override
    public String toString() {
        return pattern;
    }

    /**
     * Matches in O(pattern length x text length) steps whatever the pattern: every token but {@code *} matches
     * exactly one char, so when a token fails only the last {@code *} needs to take one more char (earlier stars
     * can never help: whatever they could take, the last one can take too). Redis's recursive {@code stringmatchlen}
     * backtracks into every star instead, exponential in their number.
     */
    private static boolean match(String p, CharSequence s) {
        int plen = p.length();
        int slen = s.length();
        int pi = 0;
        int si = 0;
        int starPi = -1; // the last star seen, and where in the text it started to match
        int starSi = -1;
        int[] next = new int[1];
        while (si < slen) {
            if (pi < plen && p.charAt(pi) == '*') {
                starPi = pi++;
                starSi = si;
                continue;
            }
            if (pi < plen) {
                int after = matchOne(p, pi, s.charAt(si), next);
                if (after >= 0) {
                    pi = after;
                    si++;
                    continue;
                }
            }
            if (starPi < 0) {
                return false;
            }
            pi = starPi + 1; // the last star takes one more char; retry the rest from there
            si = ++starSi;
        }
        while (pi < plen && p.charAt(pi) == '*') {
            pi++;
        }
        return pi == plen;
    }

    /**
     * Matches the token at {@code pi} (not a star) against {@code ch}; returns the index after the token, or -1.
     */
    private static int matchOne(String p, int pi, char ch, int[] next) {
        char c = p.charAt(pi);
        switch (c) {
            case '?':
                return pi + 1;
            case '[':
                return matchClass(p, pi + 1, ch, next) ? next[0] + 1 : -1;
            case '\\':
                if (pi + 1 < p.length()) {
                    return p.charAt(pi + 1) == ch ? pi + 2 : -1;
                }
                return c == ch ? pi + 1 : -1; // a trailing backslash is itself, as in Redis
            default:
                return c == ch ? pi + 1 : -1;
        }
    }

    /** Matches {@code ch} against the class starting after '['; stores the index of the closing ']' in next[0]. */
    private static boolean matchClass(String p, int pi, char ch, int[] next) {
        int plen = p.length();
        boolean not = pi < plen && p.charAt(pi) == '^';
        if (not) {
            pi++;
        }
        boolean hit = false;
        while (true) {
            if (pi >= plen) {
                pi--; // unterminated class: Redis treats the end of the pattern as the end of the class
                break;
            }
            char c = p.charAt(pi);
            if (c == '\\' && pi + 1 < plen) {
                pi++;
                if (p.charAt(pi) == ch) {
                    hit = true;
                }
            } else if (c == ']') {
                break;
            } else if (pi + 2 < plen && p.charAt(pi + 1) == '-') {
                // bounds and the char compare as C chars, signed on x86-64 where Redis runs: [a-\xff] is -1..97
                int start = (byte) c;
                int end = (byte) p.charAt(pi + 2);
                if (start > end) {
                    int t = start;
                    start = end;
                    end = t;
                }
                pi += 2;
                int value = (byte) ch;
                if (value >= start && value <= end) {
                    hit = true;
                }
            } else if (c == ch) {
                hit = true;
            }
            pi++;
        }
        next[0] = pi;
        return not != hit;
    }
}
