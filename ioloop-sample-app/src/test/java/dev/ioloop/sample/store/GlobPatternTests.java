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
    void agreesWithRedisRecursiveMatcherOnRandomPatternsAndKeys() {
        // small alphabets, so stars, classes, ranges, negation, escapes and unterminated classes all meet
        String patternChars = "ab*?[]^-\\";
        String textChars = "ab-]^\\*";
        SplittableRandom random = new SplittableRandom(12);
        for (int i = 0; i < 200_000; i++) {
            String pattern = random(random, patternChars, 8);
            String text = random(random, textChars, 8);
            assertThat(new GlobPattern(pattern).matches(text)).as("'%s' against '%s'", pattern, text)
                    .isEqualTo(RecursiveGlobModel.matches(pattern, text));
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
