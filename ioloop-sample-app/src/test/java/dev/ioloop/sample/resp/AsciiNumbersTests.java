package dev.ioloop.sample.resp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Redis's strict integer rules (string2ll / string2ull). */
class AsciiNumbersTests {

    @Test
    void acceptsCanonicalIntegersOnly() {
        assertThat(parse("0")).isZero();
        assertThat(parse("-1")).isEqualTo(-1);
        assertThat(parse("9223372036854775807")).isEqualTo(Long.MAX_VALUE);
        assertThat(parse("-9223372036854775808")).isEqualTo(Long.MIN_VALUE);
        for (String bad : new String[] {"", "-", "+1", "01", "-0", " 1", "1 ", "1.5", "9223372036854775808",
            "-9223372036854775809", "99999999999999999999", "123456789012345678901", "abc"}) {
            assertThatThrownBy(() -> parse(bad)).as(bad).isInstanceOf(NumberFormatException.class);
            assertThat(AsciiNumbers.isLong(bad.getBytes(StandardCharsets.US_ASCII))).as(bad).isFalse();
        }
    }

    @Test
    void unsignedCursorsCoverTheFull64Bits() {
        assertThat(AsciiNumbers.parseUnsignedLong("0".getBytes())).isZero();
        assertThat(AsciiNumbers.parseUnsignedLong("18446744073709551615".getBytes())).isEqualTo(-1L);
        assertThatThrownBy(() -> AsciiNumbers.parseUnsignedLong("18446744073709551616".getBytes()))
                .isInstanceOf(NumberFormatException.class);
        assertThatThrownBy(() -> AsciiNumbers.parseUnsignedLong("-1".getBytes())).isInstanceOf(NumberFormatException.class);
    }

    private static long parse(String s) {
        return AsciiNumbers.parseLong(s.getBytes(StandardCharsets.US_ASCII));
    }
}
