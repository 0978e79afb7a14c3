package dev.ioloop;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * The timeout heap on its own (single thread, as the loop uses it): deadline order with ties in
 * insertion order, removal anywhere, drain, and a randomized comparison against a sorted-set model
 * through bursts that grow and shrink the heap.
 */
class TimeoutQueueTests {

    private final IOLoop loop = IOLoop.builder().name("timeout-queue").makeCurrent(false).build();
    private final TimeoutQueue queue = new TimeoutQueue();

    @AfterEach
    void closeLoop() {
        loop.close();
    }

    private Timeout timeout(long deadline) {
        return new Timeout(loop, deadline, () -> { });
    }

    /** Polls everything due at {@code now}, in the order the queue gives. */
    private List<Timeout> pollAll(long now) {
        List<Timeout> polled = new ArrayList<>();
        int count = queue.pollAllDue(now);
        for (int i = 0; i < count; i++) {
            polled.add(queue.takeDue(i));
        }
        return polled;
    }

    /** The expected order: by deadline, equal deadlines in insertion order (a stable sort of the insertion list). */
    private static List<Timeout> byDeadlineStable(List<Timeout> insertionOrder) {
        List<Timeout> sorted = new ArrayList<>(insertionOrder);
        sorted.sort(Comparator.comparingLong(Timeout::deadlineNanos)); // List.sort is stable
        return sorted;
    }

    @Test
    void pollsInDeadlineOrderWithEqualDeadlinesInInsertionOrder() {
        Random random = new Random(1);
        List<Timeout> added = new ArrayList<>();
        for (int i = 0; i < 20_000; i++) {
            Timeout t = timeout(random.nextInt(50)); // 50 distinct deadlines: ~400 ties each
            added.add(t);
            queue.add(t);
        }
        assertThat(queue.size()).isEqualTo(20_000);
        assertThat(queue.earliestDeadline()).isEqualTo(byDeadlineStable(added).get(0).deadlineNanos());
        List<Timeout> polled = pollAll(Long.MAX_VALUE / 2);
        assertThat(polled).isEqualTo(byDeadlineStable(added));
        assertThat(queue.isEmpty()).isTrue();
    }

    @Test
    void pollAllDueTakesOnlyTimeoutsDueAtNow() {
        Timeout early = timeout(100);
        Timeout onTime = timeout(200);
        Timeout late = timeout(201);
        queue.add(late);
        queue.add(onTime);
        queue.add(early);
        assertThat(queue.pollAllDue(99)).isZero();
        assertThat(pollAll(200)).containsExactly(early, onTime);
        assertThat(queue.size()).isEqualTo(1);
        assertThat(queue.earliestDeadline()).isEqualTo(201);
        assertThat(pollAll(201)).containsExactly(late);
        assertThat(queue.pollAllDue(Long.MAX_VALUE / 2)).isZero();
    }

    @Test
    void removeFromTheHeadMiddleAndTailKeepsTheOrder() {
        List<Timeout> added = new ArrayList<>();
        for (int i = 0; i < 101; i++) {
            Timeout t = timeout(i % 7 * 10); // ties too
            added.add(t);
            queue.add(t);
        }
        List<Timeout> sorted = byDeadlineStable(added);
        Timeout head = sorted.get(0);
        Timeout middle = sorted.get(50);
        Timeout tail = sorted.get(100);
        Timeout lastInserted = added.get(100);
        for (Timeout t : List.of(head, middle, tail, lastInserted)) {
            assertThat(queue.remove(t)).as("remove %s", t).isTrue();
        }
        List<Timeout> expected = new ArrayList<>(sorted);
        expected.removeAll(List.of(head, middle, tail, lastInserted));
        assertThat(queue.size()).isEqualTo(expected.size());
        assertThat(pollAll(Long.MAX_VALUE / 2)).isEqualTo(expected);
    }

    @Test
    void removeOfAnAbsentTimeoutReturnsFalseAndChangesNothing() {
        Timeout kept = timeout(5);
        Timeout removedOnce = timeout(6);
        Timeout neverAdded = timeout(1);
        Timeout polled = timeout(2);
        queue.add(kept);
        queue.add(removedOnce);
        queue.add(polled);
        assertThat(pollAll(2)).containsExactly(polled);
        assertThat(queue.remove(removedOnce)).isTrue();

        assertThat(queue.remove(removedOnce)).isFalse();
        assertThat(queue.remove(neverAdded)).isFalse();
        assertThat(queue.remove(polled)).isFalse();
        // a timeout of another queue whose index happens to be valid here is not ours either
        TimeoutQueue other = new TimeoutQueue();
        Timeout foreign = timeout(0);
        other.add(foreign);
        other.flush(); // into other's heap (IOLoop never passes another loop's timeout: it checks the owner first)
        assertThat(queue.remove(foreign)).isFalse();

        assertThat(queue.size()).isEqualTo(1);
        assertThat(pollAll(100)).containsExactly(kept);
    }

    @Test
    void drainReturnsEverythingAndLeavesAnEmptyReusableQueue() {
        Set<Timeout> added = Collections.newSetFromMap(new IdentityHashMap<>());
        for (int i = 0; i < 1000; i++) {
            Timeout t = timeout(i * 31 % 97);
            added.add(t);
            queue.add(t);
        }
        Timeout[] drained = queue.drain();
        assertThat(drained).hasSize(1000).doesNotContainNull();
        assertThat(Set.of(drained)).hasSize(1000);
        assertThat(added).containsAll(List.of(drained));
        assertThat(queue.isEmpty()).isTrue();
        assertThat(queue.size()).isZero();
        assertThat(queue.pollAllDue(Long.MAX_VALUE / 2)).isZero();
        // drained timeouts are no longer in the queue
        assertThat(queue.remove(drained[0])).isFalse();

        Timeout second = timeout(2);
        Timeout first = timeout(1);
        queue.add(second);
        queue.add(first);
        assertThat(pollAll(10)).containsExactly(first, second);
    }

    /** A model entry: deadline, then the order of insertion. */
    private record Entry(long deadline, long order, Timeout timeout) {
    }

    private void removeBoth(TreeSet<Entry> model, Entry e) {
        if (!queue.remove(e.timeout())) {
            fail("remove returned false for a pending timeout " + e);
        }
        model.remove(e);
    }

    @Test
    void matchesASortedSetModelThroughBurstsOfAddsAndRemoves() {
        Random random = new Random(42);
        TreeSet<Entry> model = new TreeSet<>(Comparator.comparingLong(Entry::deadline).thenComparingLong(Entry::order));
        List<Entry> live = new ArrayList<>();
        long order = 0;
        // burst up: 100,000 adds (with ties), half of them removed in random order
        for (int i = 0; i < 100_000; i++) {
            Timeout t = timeout(random.nextInt(10_000));
            Entry e = new Entry(t.deadlineNanos(), order++, t);
            queue.add(t);
            model.add(e);
            live.add(e);
        }
        Collections.shuffle(live, random);
        for (int i = 0; i < 50_000; i++) {
            removeBoth(model, live.remove(live.size() - 1));
        }
        assertThat(queue.size()).isEqualTo(model.size());
        assertThat(queue.earliestDeadline()).isEqualTo(model.first().deadline());

        // poll the earliest third, then shrink to nearly nothing with random removals
        long cut = 3_333;
        List<Timeout> polled = pollAll(cut);
        List<Timeout> expectedPolled = new ArrayList<>();
        while (!model.isEmpty() && model.first().deadline() <= cut) {
            expectedPolled.add(model.pollFirst().timeout());
        }
        assertThat(polled).isEqualTo(expectedPolled);
        live.clear();
        live.addAll(model);
        Collections.shuffle(live, random);
        while (live.size() > 10) {
            removeBoth(model, live.remove(live.size() - 1));
        }
        assertThat(queue.size()).isEqualTo(10);

        // mixed operations on the shrunken heap, then grow it again
        for (int i = 0; i < 100_000; i++) {
            if (live.isEmpty() || random.nextInt(3) != 0) {
                Timeout t = timeout(random.nextInt(20_000));
                Entry e = new Entry(t.deadlineNanos(), order++, t);
                queue.add(t);
                model.add(e);
                live.add(e);
            } else {
                int index = random.nextInt(live.size());
                Entry e = live.get(index);
                live.set(index, live.get(live.size() - 1));
                live.remove(live.size() - 1);
                removeBoth(model, e);
            }
        }
        assertThat(queue.size()).isEqualTo(model.size());
        List<Timeout> expectedRest = new ArrayList<>();
        for (Entry e : model) {
            expectedRest.add(e.timeout());
        }
        assertThat(pollAll(Long.MAX_VALUE / 2)).isEqualTo(expectedRest);
        assertThat(queue.isEmpty()).isTrue();
    }

    @Test
    void aTimeoutRemovedBeforeTheBufferIsFlushedNeverReachesTheHeapAndLeavesNoTrace() {
        for (int i = 0; i < 100_000; i++) {
            Timeout t = timeout(i);
            queue.add(t);
            assertThat(queue.remove(t)).isTrue();
            assertThat(queue.remove(t)).isFalse();
        }
        Timeout kept = timeout(7);
        Timeout later = timeout(7);
        Timeout removedInTheMiddle = timeout(3);
        queue.add(kept);
        queue.add(removedInTheMiddle);
        queue.add(later);
        assertThat(queue.size()).isEqualTo(3);
        assertThat(queue.remove(removedInTheMiddle)).isTrue();
        assertThat(queue.size()).isEqualTo(2);
        assertThat(queue.earliestDeadline()).isEqualTo(7);
        assertThat(pollAll(7)).containsExactly(kept, later); // equal deadlines: insertion order
        assertThat(queue.isEmpty()).isTrue();
    }

    @Test
    void manyRemovedEntriesInTheBufferAreCompactedAway() {
        List<Timeout> live = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            Timeout removed = timeout(i);
            Timeout kept = timeout(i);
            queue.add(removed);
            queue.add(kept);
            queue.remove(removed); // not the last entry: stays in the buffer until compacted or flushed
            live.add(kept);
        }
        assertThat(queue.size()).isEqualTo(10_000);
        assertThat(pollAll(Long.MAX_VALUE / 4)).containsExactlyElementsOf(live);
    }
}
