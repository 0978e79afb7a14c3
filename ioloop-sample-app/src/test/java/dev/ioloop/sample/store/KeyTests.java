package dev.ioloop.sample.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class KeyTests {

    @Test
    void keysWithTheSameBytesAreEqualWithTheSameHashWhateverArrayTheyWrap() {
        Key a = Key.wrap(new byte[] {'k', 0, (byte) 0xff});
        Key b = Key.wrap(new byte[] {'k', 0, (byte) 0xff});
        assertThat((Object) a).isEqualTo(b).hasSameHashCodeAs(b);
        assertThat((Object) a).isNotEqualTo(Key.wrap(new byte[] {'k', 0}));
        assertThat((Object) a).isNotEqualTo(Key.wrap(new byte[] {'k', 0, (byte) 0xfe}));
        assertThat((Object) a).isNotEqualTo("k\u0000\u00ff"); // a key is never equal to a String
    }

    @Test
    void aKeyReadsAsItsIsoLatin1TextOneCharPerByte() {
        Key key = Key.wrap(new byte[] {'a', (byte) 0xe9, 0, 'z'});
        assertThat(key.length()).isEqualTo(4);
        assertThat(key.charAt(1)).isEqualTo('\u00e9');
        assertThat(key.toString()).isEqualTo("a\u00e9\u0000z");
        assertThat(key.subSequence(1, 3).toString()).isEqualTo("\u00e9\u0000");
        assertThat((Object) Key.of("a\u00e9\u0000z")).isEqualTo(key);
        assertThat(new GlobPattern("a?\u0000*").matches(key)).isTrue();
        assertThat(new GlobPattern("b*").matches(key)).isFalse();
    }

    @Test
    void wrapDoesNotCopyAndRefusesNull() {
        byte[] bytes = {'x'};
        assertThat(Key.wrap(bytes).bytes()).isSameAs(bytes);
        assertThatThrownBy(() -> Key.wrap(null)).isInstanceOf(NullPointerException.class).hasMessageContaining("'bytes'");
    }

    @Test
    void aProbeOverARangeEqualsTheKeyOfThoseBytesAndFindsItInAMap() {
        byte[] request = {'x', 'k', 0, (byte) 0xff, 'y'};
        Key probe = Key.probe().reset(request, 1, 3);
        Key key = Key.wrap(new byte[] {'k', 0, (byte) 0xff});
        assertThat((Object) probe).isEqualTo(key).hasSameHashCodeAs(key);
        assertThat((Object) key).isEqualTo(probe);
        assertThat(probe.length()).isEqualTo(3);
        assertThat(probe.charAt(2)).isEqualTo('\u00ff');
        assertThat(probe.toString()).isEqualTo("k\u0000\u00ff");
        assertThat(probe.subSequence(0, 2).toString()).isEqualTo("k\u0000");
        assertThat(probe.compareTo(key)).isZero();
        assertThat(probe.compareTo(Key.of("k"))).isPositive();
        assertThatThrownBy(() -> probe.charAt(3)).isInstanceOf(IndexOutOfBoundsException.class);
        Map<Key, Integer> map = new HashMap<>();
        map.put(key, 1);
        assertThat(map.get(probe)).isEqualTo(1);
        assertThat(map.get(probe.reset(request, 0, 3))).isNull();
    }

    @Test
    void aProbesStableKeyAndBytesAreCopiesThatOutliveTheRequest() {
        byte[] request = {'a', 'b', 'c'};
        Key probe = Key.probe().reset(request, 1, 2);
        Key stable = probe.stable();
        byte[] bytes = probe.bytes();
        request[1] = 'z';
        assertThat(stable.toString()).isEqualTo("bc");
        assertThat(bytes).containsExactly('b', 'c');
        assertThat((Object) stable.stable()).isSameAs(stable);
        assertThat(probe.toString()).isEqualTo("zc"); // the probe itself sees the bytes as they are now
        assertThat((Object) probe).isNotEqualTo(stable);
    }

    @Test
    void onlyAProbeCanBeResetAndOnlyToARangeInsideItsArray() {
        assertThatThrownBy(() -> Key.of("k").reset(new byte[1], 0, 1)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("probe");
        assertThatThrownBy(() -> Key.probe().reset(new byte[2], 1, 2)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> Key.probe().reset(new byte[2], -1, 1)).isInstanceOf(IndexOutOfBoundsException.class);
    }

    @Test
    void keysOrderAsUnsignedBytes() {
        assertThat(Key.of("a").compareTo(Key.of("b"))).isNegative();
        assertThat(Key.of("ab").compareTo(Key.of("a"))).isPositive();
        assertThat(Key.wrap(new byte[] {(byte) 0x80}).compareTo(Key.of("z"))).isPositive(); // 0x80 > 'z' unsigned
        assertThat(Key.of("same").compareTo(Key.of("same"))).isZero();
    }

    @Test
    void aMapOfRandomBinaryKeysFindsEachByAFreshKeyOfTheSameBytes() {
        SplittableRandom random = new SplittableRandom(7);
        Map<Key, Integer> map = new HashMap<>();
        Map<String, Integer> model = new HashMap<>();
        for (int i = 0; i < 20_000; i++) {
            byte[] bytes = new byte[random.nextInt(0, 6)];
            for (int j = 0; j < bytes.length; j++) {
                bytes[j] = (byte) random.nextInt(256);
            }
            map.put(Key.wrap(bytes), i);
            model.put(Key.wrap(bytes).toString(), i);
        }
        assertThat(map).hasSameSizeAs(model);
        model.forEach((text, i) -> assertThat(map.get(Key.of(text))).isEqualTo(i));
    }
}
