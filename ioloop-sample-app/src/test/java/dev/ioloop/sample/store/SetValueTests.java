package dev.ioloop.sample.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The set's add/remove/contains against a HashSet model, and SPOP's uniqueness and spread. */
class SetValueTests {

    @Test
    void behavesAsAHashSetUnderRandomAddsAndRemoves() {
        SetValue set = new SetValue();
        Set<String> model = new HashSet<>();
        SplittableRandom random = new SplittableRandom(3);
        for (int i = 0; i < 20_000; i++) {
            String member = "m" + random.nextInt(200);
            if (random.nextBoolean()) {
                assertThat(set.add(member)).isEqualTo(model.add(member));
            } else {
                assertThat(set.remove(member)).isEqualTo(model.remove(member));
            }
            assertThat(set.size()).isEqualTo(model.size());
        }
        assertThat(set.members()).containsExactlyInAnyOrderElementsOf(model);
        for (String m : model) {
            assertThat(set.contains(m)).isTrue();
        }
        assertThat(set.contains("absent")).isFalse();
    }

    @Test
    void popRandomReturnsEachMemberOnceUntilEmpty() {
        SetValue set = new SetValue();
        for (int i = 0; i < 100; i++) {
            set.add("m" + i);
        }
        SplittableRandom random = new SplittableRandom(5);
        Set<String> popped = new HashSet<>();
        while (!set.isEmpty()) {
            String m = set.popRandom(random);
            assertThat(popped.add(m)).as("popped twice: %s", m).isTrue();
            assertThat(set.contains(m)).isFalse();
        }
        assertThat(popped).hasSize(100);
        assertThatThrownBy(() -> set.popRandom(random)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("set is empty");
    }

    @Test
    void popRandomReachesEveryMember() {
        int[] firstPicks = new int[4];
        SplittableRandom random = new SplittableRandom(11);
        for (int round = 0; round < 4000; round++) {
            SetValue set = new SetValue();
            for (int i = 0; i < 4; i++) {
                set.add(Integer.toString(i));
            }
            firstPicks[Integer.parseInt(set.popRandom(random))]++;
        }
        for (int count : firstPicks) {
            assertThat(count).isBetween(700, 1300); // 1000 expected each; the seed makes this deterministic
        }
    }
}
