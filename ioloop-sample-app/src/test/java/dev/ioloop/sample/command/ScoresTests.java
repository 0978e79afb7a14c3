package dev.ioloop.sample.command;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Scores printed as C's %.17g (values checked against glibc's printf) and parsed with Redis's strtod rules. */
class ScoresTests {

    @Test
    void formatsAsPrintfSeventeenSignificantDigits() {
        assertThat(Scores.format(1)).isEqualTo("1");
        assertThat(Scores.format(-2.5)).isEqualTo("-2.5");
        assertThat(Scores.format(0.1)).isEqualTo("0.10000000000000001");
        assertThat(Scores.format(1.1)).isEqualTo("1.1000000000000001");
        assertThat(Scores.format(1e20)).isEqualTo("1e+20");
        assertThat(Scores.format(1e16)).isEqualTo("10000000000000000");
        assertThat(Scores.format(1e17)).isEqualTo("1e+17");
        assertThat(Scores.format(123456789012345678.0)).isEqualTo("1.2345678901234568e+17");
        assertThat(Scores.format(-1e-5)).isEqualTo("-1.0000000000000001e-05");
        assertThat(Scores.format(0.0001)).isEqualTo("0.0001");
        assertThat(Scores.format(1e-300)).isEqualTo("1e-300");
        assertThat(Scores.format(Double.MAX_VALUE)).isEqualTo("1.7976931348623157e+308");
        assertThat(Scores.format(Double.POSITIVE_INFINITY)).isEqualTo("inf");
        assertThat(Scores.format(Double.NEGATIVE_INFINITY)).isEqualTo("-inf");
        assertThat(Scores.format(0.0)).isEqualTo("0");
    }

    @Test
    void parsesWhatStrtodAcceptsAndRejectsTheRest() {
        assertThat(Scores.parse(b("1.5"))).isEqualTo(1.5);
        assertThat(Scores.parse(b("-1e3"))).isEqualTo(-1000.0);
        assertThat(Scores.parse(b("+.5"))).isEqualTo(0.5);
        assertThat(Scores.parse(b("inf"))).isEqualTo(Double.POSITIVE_INFINITY);
        assertThat(Scores.parse(b("-Infinity"))).isEqualTo(Double.NEGATIVE_INFINITY);
        for (String bad : new String[] {"", " 1", "1 ", "x", "nan", "1e400", "1e-400", "1d", "0x", "Infinityx"}) {
            assertThatThrownBy(() -> Scores.parse(b(bad))).as(bad).isInstanceOf(CommandException.class)
                    .hasMessage("ERR value is not a valid float");
        }
    }

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }
}
