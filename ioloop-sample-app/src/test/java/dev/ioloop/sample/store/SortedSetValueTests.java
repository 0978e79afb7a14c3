package dev.ioloop.sample.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ioloop.sample.store.SortedSetValue.ScoredMember;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The sorted set's order (score, then member bytes), updates, ranges and pops against a sorted-list model. */
class SortedSetValueTests {

    @Test
    void ordersByScoreThenByMemberBytes() {
        SortedSetValue z = new SortedSetValue();
        z.put("b", 1);
        z.put("a", 1);
        z.put("\u00ff", 0.5); // byte 0xff: sorts after ASCII at equal score, as memcmp
        z.put("z", 0.5);
        z.put("minus", Double.NEGATIVE_INFINITY);
        assertThat(members(z.range(0, 4, false))).containsExactly("minus", "z", "\u00ff", "a", "b");
        assertThat(members(z.range(0, 1, true))).containsExactly("b", "a");
    }

    @Test
    void putUpdatesTheScoreAndTheOrder() {
        SortedSetValue z = new SortedSetValue();
        assertThat(z.put("a", 1)).isTrue();
        assertThat(z.put("b", 2)).isTrue();
        assertThat(z.put("a", 3)).isFalse();
        assertThat(z.size()).isEqualTo(2);
        assertThat(z.score("a")).isEqualTo(3.0);
        assertThat(members(z.range(0, 1, false))).containsExactly("b", "a");
        assertThat(z.remove("b")).isTrue();
        assertThat(z.remove("b")).isFalse();
        assertThat(z.popMin()).isEqualTo(new ScoredMember(3, "a"));
        assertThat(z.popMin()).isNull();
        assertThat(z.isEmpty()).isTrue();
    }

    @Test
    void negativeZeroIsStoredAsZero() {
        SortedSetValue z = new SortedSetValue();
        z.put("n", -0.0);
        z.put("p", 0.0);
        assertThat(Double.doubleToRawLongBits(z.score("n"))).isZero();
        assertThat(members(z.range(0, 1, false))).containsExactly("n", "p");
    }

    @Test
    void matchesASortedModelUnderRandomChanges() {
        SortedSetValue z = new SortedSetValue();
        Map<String, Double> model = new HashMap<>();
        SplittableRandom random = new SplittableRandom(9);
        for (int i = 0; i < 5000; i++) {
            String m = "m" + random.nextInt(100);
            int op = random.nextInt(3);
            if (op == 0) {
                model.remove(m);
                z.remove(m);
            } else {
                double score = random.nextInt(20) / 4.0;
                assertThat(z.put(m, score)).isEqualTo(model.put(m, score) == null);
            }
        }
        List<ScoredMember> expected = new ArrayList<>();
        model.forEach((m, s) -> expected.add(new ScoredMember(s, m)));
        expected.sort(Comparator.comparingDouble(ScoredMember::score).thenComparing(ScoredMember::member));
        assertThat(z.size()).isEqualTo(expected.size());
        assertThat(z.range(0, z.size() - 1, false)).containsExactlyElementsOf(expected);
        assertThat(z.range(3, 7, false)).containsExactlyElementsOf(expected.subList(3, 8));
        for (ScoredMember e : expected) {
            assertThat(z.popMin()).isEqualTo(e);
        }
    }

    @Test
    void rejectsNaNAndBadRanges() {
        SortedSetValue z = new SortedSetValue();
        z.put("a", 1);
        assertThatThrownBy(() -> z.put("b", Double.NaN)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'score' must not be NaN");
        assertThatThrownBy(() -> z.range(0, 1, false)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'start..stop' must be within 0..0");
        assertThat(z.size()).isEqualTo(1);
    }

    private static List<String> members(List<ScoredMember> range) {
        return range.stream().map(ScoredMember::member).toList();
    }
}
