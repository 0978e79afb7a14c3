package dev.ioloop.sample.store;

import static org.assertj.core.api.Assertions.assertThat;

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
}
