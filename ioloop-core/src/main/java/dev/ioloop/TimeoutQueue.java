package dev.ioloop;

import java.util.Arrays;

/**
 * The pending timeouts of one loop: a binary min-heap ordered by deadline, then by insertion order,
 * with each timeout knowing its index so that removal is O(log n) and eager (cancelled timeouts
 * never pile up in the heap, unlike Tornado's lazy cancel-and-compact).
 *
 * <p>New timeouts first go to an insertion buffer (O(1)), which the loop moves into the heap before
 * it looks for due timeouts and before it computes how long to select: a timeout set and removed
 * within one iteration (a request timeout cancelled by the reply in the same read burst) never
 * touches the heap. The buffer keeps insertion order, so equal deadlines still fire in the order
 * they were added, and it is compacted when removed entries outnumber live ones, so nothing piles up.
 *
 * <p>Loop thread only (or any single thread while the loop is not running).
 */
final class TimeoutQueue {

    private static final int INITIAL_CAPACITY = 64;
    /** heapIndex of a timeout waiting in the insertion buffer. */
    private static final int BUFFERED = -2;

    private Timeout[] heap = new Timeout[INITIAL_CAPACITY];
    private int size;
    private long nextSequence;
    private Timeout[] due = new Timeout[INITIAL_CAPACITY];
    private Timeout[] buffer = new Timeout[INITIAL_CAPACITY];
    private int buffered;     // entries in buffer, removed ones included
    private int bufferedLive; // entries in buffer not removed

    /**
     * Returns the number of pending timeouts. Read racily by stats() on other threads.
     *
     * <p>ordering: plain int reads; a stale value is a momentary miscount, never a torn one.
     */
    int size() {
        return size + bufferedLive;
    }

    boolean isEmpty() {
        return size == 0 && bufferedLive == 0;
    }

    /** Adds a timeout; O(1) now, O(log n) when it moves to the heap. */
    void add(Timeout timeout) {
        if (buffered == buffer.length) {
            compactBuffer();
            if (buffered == buffer.length) {
                buffer = Arrays.copyOf(buffer, buffer.length * 2);
            }
        }
        buffer[buffered++] = timeout;
        bufferedLive++;
        timeout.heapIndex = BUFFERED;
    }

    /** Moves the insertion buffer into the heap, in insertion order. */
    void flush() {
        for (int i = 0; i < buffered; i++) {
            Timeout timeout = buffer[i];
            buffer[i] = null;
            if (timeout.heapIndex == BUFFERED) {
                addToHeap(timeout);
            }
        }
        buffered = 0;
        bufferedLive = 0;
        if (buffer.length > INITIAL_CAPACITY * 16) {
            buffer = new Timeout[INITIAL_CAPACITY]; // give a burst's memory back
        }
    }

    private void compactBuffer() {
        if (bufferedLive > buffered / 2) {
            return;
        }
        int kept = 0;
        for (int i = 0; i < buffered; i++) {
            Timeout timeout = buffer[i];
            buffer[i] = null;
            if (timeout.heapIndex == BUFFERED) {
                buffer[kept++] = timeout;
            }
        }
        buffered = kept;
    }

    private void addToHeap(Timeout timeout) {
        if (size == heap.length) {
            heap = Arrays.copyOf(heap, heap.length * 2);
        }
        timeout.sequence = nextSequence++;
        int index = size++;
        heap[index] = timeout;
        timeout.heapIndex = index;
        siftUp(index);
    }

    /** Removes a timeout if it is pending; O(1) from the buffer, O(log n) from the heap. Returns whether it was there. */
    boolean remove(Timeout timeout) {
        int index = timeout.heapIndex;
        if (index == BUFFERED) {
            timeout.heapIndex = -1; // flush() and compactBuffer() drop it
            bufferedLive--;
            if (buffered > 0 && buffer[buffered - 1] == timeout) {
                buffer[--buffered] = null; // removed right after it was added: leave no trace
            }
            return true;
        }
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
        flush();
        return heap[0].deadlineNanos();
    }

    /**
     * Moves every timeout due at {@code nowNanos} out of the heap into the due batch, earliest first.
     *
     * @return how many; read them with {@link #takeDue} before the next call
     */
    int pollAllDue(long nowNanos) {
        flush();
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
        flush();
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
