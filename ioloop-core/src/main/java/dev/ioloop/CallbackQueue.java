package dev.ioloop;

import org.jctools.queues.MpscUnboundedXaddArrayQueue;
import org.jspecify.annotations.Nullable;

/**
 * The callbacks waiting for the next iteration of one loop, in two queues: a loop-thread-only ring
 * for callbacks the loop thread adds itself (no atomic instruction: a store and an increment), and a
 * lock-free multi-producer, single-consumer queue (JCTools) for every other thread.
 *
 * <p>An iteration takes a snapshot of both sizes when it begins and runs exactly those callbacks:
 * first the loop thread's, then the others', so a callback that re-adds itself waits for the next
 * iteration and can never starve I/O or timeouts. Order is kept per adding thread; callbacks from
 * different threads have no defined order (as Netty's). A callback the loop thread adds during an
 * iteration runs before any callback another thread adds after seeing its effect.
 *
 * <p>{@link #addShared} is safe from any thread; {@link #size()} from any thread, racily. Everything
 * else is loop thread only (or any single thread while the loop is not running: the lifecycle's
 * atomic state hands the ring from one loop thread to the next).
 */
final class CallbackQueue {

    private static final int CHUNK_SIZE = 1024;
    private static final int LOCAL_CAPACITY = 64;
    /** A ring grown past this by a burst is replaced by a small one once it empties. */
    private static final int LOCAL_SHRINK_CAPACITY = 16 * 1024;

    private final MpscUnboundedXaddArrayQueue<Runnable> shared = new MpscUnboundedXaddArrayQueue<>(CHUNK_SIZE);
    private @Nullable Runnable[] local = new Runnable[LOCAL_CAPACITY];
    // ordering: plain ints, written by the loop thread only; size() reads them racily from other threads
    // (a stale value is a momentary miscount). tail - head is the count; both wrap around.
    private int head;
    private int tail;

    /** Safe from any thread. */
    void addShared(Runnable callback) {
        // ordering: the offer is a full-fence atomic (XADD, then an ordered store of the element);
        // WakeupGate#wakeUpIfWaiting reads the gate after it (Dekker pairing with prepareToWait).
        shared.offer(callback);
    }

    /** Loop thread only, while the loop iterates. */
    void addLocal(Runnable callback) {
        if (tail - head == local.length) {
            growLocal();
        }
        local[tail & (local.length - 1)] = callback;
        tail++;
    }

    /**
     * Loop thread only: how many of the loop thread's own callbacks were taken so far; wraps around, so
     * only the difference of two readings means something (up to 2^31 - 1 callbacks apart).
     */
    int localTaken() {
        return head;
    }

    /** Loop thread only: how many of the loop thread's own callbacks are queued. */
    int localSize() {
        return tail - head;
    }

    /** Loop thread only: the oldest of the loop thread's callbacks; only when {@link #localSize()} &gt; 0. */
    Runnable pollLocal() {
        int index = head & (local.length - 1);
        Runnable callback = local[index];
        local[index] = null;
        head++;
        return callback;
    }

    /** Loop thread only, when the loop thread's queue is empty: gives a burst's memory back. */
    void shrinkLocal() {
        if (local.length > LOCAL_SHRINK_CAPACITY && tail == head) {
            local = new Runnable[LOCAL_CAPACITY]; // empty: any head and tail index it
        }
    }

    /** Loop thread only: how many callbacks other threads queued (an exact count from the consumer). */
    int sharedSize() {
        return shared.size();
    }

    /**
     * Loop thread only: the next callback of another thread, or null if its producer is still
     * mid-offer (it claimed its slot but was preempted before storing the element). Never waits for
     * that producer: the iteration ends its batch early and the callback runs in a later iteration,
     * so a preempted producer thread cannot stall the loop's I/O and timeouts.
     */
    @Nullable Runnable pollShared() {
        return shared.relaxedPoll();
    }

    /** Loop thread only: whether any callback waits (of the loop thread or of others); the own queue first. */
    boolean hasQueued() {
        return tail != head || !shared.isEmpty();
    }

    /** Loop thread only, after announcing a wait: whether another thread queued a callback. */
    boolean hasShared() {
        // ordering: volatile reads of the queue's indexes after the gate's WAITING store (see WakeupGate).
        return !shared.isEmpty();
    }

    /** Safe from any thread: a racy but never negative estimate. */
    int size() {
        return Math.max(0, tail - head) + shared.size();
    }

    /** Loop thread only, once the loop is closed: drops every queued callback. */
    void clear() {
        shared.clear();
        local = new Runnable[LOCAL_CAPACITY];
        head = 0;
        tail = 0;
    }

    /** Doubles the ring, each callback at its index under the new mask: head and tail keep counting. */
    private void growLocal() {
        @Nullable Runnable[] grown = new Runnable[local.length * 2];
        for (int i = head; i != tail; i++) {
            grown[i & (grown.length - 1)] = local[i & (local.length - 1)];
        }
        local = grown;
    }
}
