package dev.ioloop.sample.store;

/**
 * The model for {@link GlobPattern}: Redis's {@code stringmatchlen} as written, recursing into every star
 * (exponential in their number, so only for short inputs). Test code.
 */
final class RecursiveGlobModel {

    private RecursiveGlobModel() {
    }

    static boolean matches(String pattern, String text) {
        return match(pattern, 0, text, 0, 0);
    }

    private static boolean match(String p, int pi, String s, int si, int depth) {
        if (depth > 1000) {
            return false;
        }
        int plen = p.length();
        int slen = s.length();
        while (pi < plen && si <= slen) {
            char c = p.charAt(pi);
            switch (c) {
                case '*':
                    while (pi + 1 < plen && p.charAt(pi + 1) == '*') {
                        pi++;
                    }
                    if (pi + 1 == plen) {
                        return true;
                    }
                    for (int k = si; k <= slen; k++) {
                        if (match(p, pi + 1, s, k, depth + 1)) {
                            return true;
                        }
                    }
                    return false;
                case '?':
                    if (si >= slen) {
                        return false;
                    }
                    si++;
                    break;
                case '[': {
                    if (si >= slen) {
                        return false;
                    }
                    int[] next = new int[1];
                    boolean hit = matchClass(p, pi + 1, s.charAt(si), next);
                    if (!hit) {
                        return false;
                    }
                    pi = next[0];
                    si++;
                    break;
                }
                case '\\':
                    if (pi + 1 < plen) {
                        pi++;
                        c = p.charAt(pi);
                    }
                    // fall through: literal
                default:
                    if (si >= slen || s.charAt(si) != c) {
                        return false;
                    }
                    si++;
                    break;
            }
            pi++;
        }
        return pi == plen && si == slen;
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
                char start = c;
                char end = p.charAt(pi + 2);
                if (start > end) {
                    char t = start;
                    start = end;
                    end = t;
                }
                pi += 2;
                if (ch >= start && ch <= end) {
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
