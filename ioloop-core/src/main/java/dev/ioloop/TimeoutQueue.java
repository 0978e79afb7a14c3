package dev.ioloop;

import java.util.Arrays;

/**
 * The pending timeouts of one loop: a binary min-heap ordered by deadline, then by insertion order,
 * with each timeout knowing its index so that removal is O(log n) and eager (cancelled timeouts
 * never pile up in the heap, unlike Tornado's lazy cancel-and-compact).
 *
 * <p>Loop thread only (or any single thread while the loop is not running).
 */
final class TimeoutQueue {

    private static final int INITIAL_CAPACITY = 64;

    private Timeout[] heap = new Timeout[INITIAL_CAPACITY];
    private int size;
    private long nextSequence;
    private Timeout[] due = new Timeout[INITIAL_CAPACITY];

    /** Returns the number of pending timeouts. */
    int size() {
        return size;
    }

    boolean isEmpty() {
        return size == 0;
    }

    /** Adds a timeout; O(log n). */
    void add(Timeout timeout) {
        if (size == heap.length) {
            heap = Arrays.copyOf(heap, heap.length * 2);
        }
        timeout.sequence = nextSequence++;
        int index = size++;
        heap[index] = timeout;
        timeout.heapIndex = index;
        siftUp(index);
    }

    /** Removes a timeout if it is in the heap; O(log n). Returns whether it was there. */
    boolean remove(Timeout timeout) {
        int index = timeout.heapIndex;
        if (index < 0 || index >= size || heap[index] != timeout) {
            return false;
        }
        int last = --size;
        Timeout moved = heap[last];
        heap[last] = null;
        timeout.heapIndex = -1;
        if (index != last) {
            heap[index] = moved;
            moved.heapIndex = index;
            siftDown(index);
            if (heap[index] == moved) {
                siftUp(index);
            }
        }
        shrinkIfSparse();
        return true;
    }

    /** Returns the earliest deadline in nanoseconds; only when not empty. */
    long earliestDeadline() {
        return heap[0].deadlineNanos();
    }

    /**
     * Moves every timeout due at {@code nowNanos} out of the heap into the due batch, earliest first.
     *
     * @return how many; read them with {@link #takeDue} before the next call
     */
    int pollAllDue(long nowNanos) {
        int count = 0;
        while (size > 0 && heap[0].deadlineNanos() - nowNanos <= 0) {
            Timeout first = heap[0];
            remove(first);
            if (count == due.length) {
                due = Arrays.copyOf(due, due.length * 2);
            }
            due[count++] = first;
        }
        return count;
    }

    /** Returns the i-th timeout of the last due batch and forgets it. */
    Timeout takeDue(int i) {
        Timeout timeout = due[i];
        due[i] = null;
        return timeout;
    }

    /** Empties the queue and returns what was in it, in no particular order. */
    Timeout[] drain() {
        Timeout[] all = Arrays.copyOf(heap, size);
        for (Timeout timeout : all) {
            timeout.heapIndex = -1;
        }
        heap = new Timeout[INITIAL_CAPACITY];
        size = 0;
        return all;
    }

    private void siftUp(int index) {
        Timeout moving = heap[index];
        while (index > 0) {
            int parent = (index - 1) >>> 1;
            Timeout above = heap[parent];
            if (!moving.isBefore(above)) {
                break;
            }
            heap[index] = above;
            above.heapIndex = index;
            index = parent;
        }
        heap[index] = moving;
        moving.heapIndex = index;
    }

    private void siftDown(int index) {
        Timeout moving = heap[index];
        int half = size >>> 1;
        while (index < half) {
            int child = 2 * index + 1;
            Timeout smaller = heap[child];
            int right = child + 1;
            if (right < size && heap[right].isBefore(smaller)) {
                child = right;
                smaller = heap[right];
            }
            if (!smaller.isBefore(moving)) {
                break;
            }
            heap[index] = smaller;
            smaller.heapIndex = index;
            index = child;
        }
        heap[index] = moving;
        moving.heapIndex = index;
    }

    /** Gives memory back after a burst: a million timeouts drained should not pin a million slots. */
    private void shrinkIfSparse() {
        if (heap.length > INITIAL_CAPACITY && size < heap.length >>> 2) {
            heap = Arrays.copyOf(heap, Math.max(INITIAL_CAPACITY, heap.length >>> 1));
        }
    }
}
