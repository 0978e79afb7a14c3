package dev.ioloop.sample.command;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ioloop.sample.testing.Transcript;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Replays issue 15's everyday commands, one transcript per family recorded from a real redis-server 7.0.15 by
 * {@code src/test/tools/record_everyday.py}, through the command table, and compares every reply byte for byte
 * (errors included: arity, types, syntax, overflow, ranges).
 */
class EverydayCommandTranscriptTests {

    /** The families, as named in the transcripts' file names ({@code redis-7.0.15-<family>.transcript}). */
    static final String[] FAMILIES = {"strings", "hashes", "lists", "sets", "zsets", "streams"};

    @ParameterizedTest
    @ValueSource(strings = {"strings", "hashes", "lists", "sets", "zsets", "streams"})
    void everyReplyMatchesRedisByteForByte(String family) {
        String name = "redis-7.0.15-" + family + ".transcript";
        assertThat(Transcript.load(name)).hasSizeGreaterThan(50);
        assertThat(CommandTranscriptTests.mismatches(name, null)).isEmpty();
    }
}
