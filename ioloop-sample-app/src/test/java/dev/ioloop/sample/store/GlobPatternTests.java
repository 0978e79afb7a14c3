package dev.ioloop.sample.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Redis's glob rules, as KEYS and SCAN MATCH apply them. */
class GlobPatternTests {

    @Test
    void matchesAsRedisStringmatch() {
        assertThat(new GlobPattern("*").matches("")).isTrue();
        assertThat(new GlobPattern("h?llo").matches("hello")).isTrue();
        assertThat(new GlobPattern("h?llo").matches("hllo")).isFalse();
        assertThat(new GlobPattern("h*llo").matches("heeeello")).isTrue();
        assertThat(new GlobPattern("h[ae]llo").matches("hallo")).isTrue();
        assertThat(new GlobPattern("h[ae]llo").matches("hillo")).isFalse();
        assertThat(new GlobPattern("h[^e]llo").matches("hallo")).isTrue();
        assertThat(new GlobPattern("h[^e]llo").matches("hello")).isFalse();
        assertThat(new GlobPattern("h[a-b]llo").matches("hbllo")).isTrue();
        assertThat(new GlobPattern("h[b-a]llo").matches("hallo")).isTrue();
        assertThat(new GlobPattern("h\\*llo").matches("h*llo")).isTrue();
        assertThat(new GlobPattern("h\\*llo").matches("hello")).isFalse();
        assertThat(new GlobPattern("user:*:name").matches("user:42:name")).isTrue();
        assertThat(new GlobPattern("user:*:name").matches("user:42:mail")).isFalse();
        assertThat(new GlobPattern("a**b").matches("ab")).isTrue();
    }

    @Test
    void answersEdgeCasesAsRedisServer7OnX86() {
        // each answer below was read from redis-server 7.0.15 (x86-64) with KEYS
        assertThat(new GlobPattern("**").matches("")).as("an empty key matches only '*' (KEYS special-cases it)")
                .isFalse();
        assertThat(new GlobPattern("*?").matches("")).isFalse();
        assertThat(new GlobPattern("").matches("")).isTrue();
        // range bounds compare as signed chars: [a-\xff] is -1..97
        assertThat(new GlobPattern("b[a-\u00ff]").matches("bb")).isFalse();
        assertThat(new GlobPattern("b[a-\u00ff]").matches("b\u00c0")).isFalse();
        assertThat(new GlobPattern("b[\u00bf-\u00c1]").matches("b\u00c0")).isTrue();
        assertThat(new GlobPattern("[]").matches("]")).isFalse();
        assertThat(new GlobPattern("[^]").matches("x")).isTrue();
        assertThat(new GlobPattern("[a-]").matches("]")).as("'a-]' is a range, leaving the class unterminated")
                .isTrue();
    }

    @Test
    void agreesWithRedisRecursiveMatcherOnRandomPatternsAndKeys() {
        // small alphabets, so stars, classes, ranges, negation, escapes and unterminated classes all meet
        // and bytes either side of 0x80, where Redis's signed-char range comparison differs from an unsigned one
        String patternChars = "ab*?[]^-\\\u007f\u0080\u00ff";
        String textChars = "ab-]^\\*\u007f\u0080\u00ff";
        SplittableRandom random = new SplittableRandom(12);
        for (int i = 0; i < 200_000; i++) {
            String pattern = random(random, patternChars, 8);
            String text = random(random, textChars, 8);
            // '*' alone matches everything, the empty key too: Redis's KEYS and SCAN special-case it before matching
            boolean redis = pattern.equals("*") || RecursiveGlobModel.matches(pattern, text);
            assertThat(new GlobPattern(pattern).matches(text)).as("'%s' against '%s'", pattern, text)
                    .isEqualTo(redis);
        }
    }

    @Test
    void manyStarsAgainstALongKeyAnswerWithoutBacktrackingIntoEveryStar() {
        // exponential for a matcher that retries every star (Redis's recursion took 42 s for 12 stars here)
        String pattern = "a*".repeat(20) + "b";
        String key = "a".repeat(40);
        for (int i = 0; i < 10_000; i++) {
            assertThat(new GlobPattern(pattern).matches(key)).isFalse();
        }
        assertThat(new GlobPattern(pattern).matches(key + "b")).isTrue();
        assertThat(new GlobPattern("*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*c").matches("a".repeat(100_000))).isFalse();
    }

    private static String random(SplittableRandom random, String chars, int maxLength) {
        StringBuilder s = new StringBuilder();
        int n = random.nextInt(maxLength + 1);
        for (int i = 0; i < n; i++) {
            s.append(chars.charAt(random.nextInt(chars.length())));
        }
        return s.toString();
    }
}
