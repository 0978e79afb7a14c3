package dev.ioloop;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The two queues of callbacks, driven by hand from one thread (the loop thread's view). */
class CallbackQueueTests {

    private final CallbackQueue queue = new CallbackQueue();
    private final List<Integer> ran = new ArrayList<>();

    private Runnable callback(int n) {
        return () -> ran.add(n);
    }

    @Test
    void theLoopThreadsQueueKeepsOrderAndCountsWhatWasTakenWhileItWrapsAroundAndGrows() {
        int next = 0;
        int expected = 0;
        int takenBefore = queue.localTaken();
        for (int round = 0; round < 50; round++) {
            int add = 1 + (round * 37) % 300; // sometimes more than the ring holds: it grows
            for (int i = 0; i < add; i++) {
                queue.addLocal(callback(next++));
            }
            int take = queue.localSize() - (round % 5); // leave a few behind across rounds
            for (int i = 0; i < take; i++) {
                queue.pollLocal().run();
            }
            expected += take;
            assertThat(ran).hasSize(expected);
            // a burst adds up what it ran from this count, so growing must not reset it
            assertThat(queue.localTaken() - takenBefore).isEqualTo(expected);
        }
        while (queue.localSize() > 0) {
            queue.pollLocal().run();
        }
        assertThat(ran).hasSize(next);
        for (int i = 0; i < next; i++) {
            assertThat(ran.get(i)).isEqualTo(i);
        }
        assertThat(queue.hasQueued()).isFalse();
    }

    @Test
    void aBurstsMemoryIsGivenBackOnceEmptyAndTheQueueStillWorks() {
        for (int i = 0; i < 100_000; i++) {
            queue.addLocal(callback(i));
        }
        assertThat(queue.size()).isEqualTo(100_000);
        queue.shrinkLocal(); // not empty: nothing changes
        assertThat(queue.localSize()).isEqualTo(100_000);
        while (queue.localSize() > 0) {
            queue.pollLocal().run();
        }
        queue.shrinkLocal();
        queue.addLocal(callback(-1));
        queue.pollLocal().run();
        assertThat(ran).hasSize(100_001).endsWith(99_999, -1);
    }

    @Test
    void bothQueuesCountTowardsWhatIsQueuedAndClearDropsBoth() {
        queue.addShared(callback(1));
        queue.addLocal(callback(2));
        assertThat(queue.hasShared()).isTrue();
        assertThat(queue.hasQueued()).isTrue();
        assertThat(queue.size()).isEqualTo(2);
        assertThat(queue.sharedSize()).isEqualTo(1);
        queue.clear();
        assertThat(queue.size()).isZero();
        assertThat(queue.hasQueued()).isFalse();
        queue.addLocal(callback(3));
        queue.pollLocal().run();
        assertThat(ran).containsExactly(3);
    }
}
