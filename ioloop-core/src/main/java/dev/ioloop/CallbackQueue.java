package dev.ioloop;

import org.jctools.queues.MpscUnboundedXaddArrayQueue;
import org.jspecify.annotations.Nullable;

/**
 * The callbacks waiting for the next iteration of one loop: a lock-free multi-producer,
 * single-consumer queue (JCTools), so that any thread can add and only the loop thread runs them.
 *
 * <p>{@link #add} is safe from any thread and keeps each producer's order. {@link #snapshotSize}
 * and {@link #poll} are loop thread only: an iteration runs exactly the callbacks that were queued
 * when it began, so a callback that re-adds itself waits for the next iteration and can never
 * starve I/O or timeouts.
 */
final class CallbackQueue {

    private static final int CHUNK_SIZE = 1024;

    private final MpscUnboundedXaddArrayQueue<Runnable> queue = new MpscUnboundedXaddArrayQueue<>(CHUNK_SIZE);

    /** Safe from any thread. */
    void add(Runnable callback) {
        // ordering: the offer is a full-fence atomic (XADD then an ordered store of the element);
        // SelectorDriver#wakeUpIfSelecting reads the selecting flag after it (Dekker pairing with
        // SelectorDriver#prepareToBlock, which stores the flag and then reads isEmpty()).
        queue.offer(callback);
    }

    /** Loop thread only: how many callbacks this iteration runs. */
    int snapshotSize() {
        return queue.size();
    }

    /**
     * Loop thread only: the next callback, or null if the next one's producer is still mid-offer
     * (it claimed its slot but was preempted before storing the element). Never waits for that
     * producer: the iteration ends its batch early and the callback runs in a later iteration,
     * so a preempted producer thread cannot stall the loop's I/O and timeouts.
     */
    @Nullable Runnable poll() {
        return queue.relaxedPoll();
    }

    /** Safe from any thread; exact from the loop thread, a racy estimate elsewhere. */
    boolean isEmpty() {
        return queue.isEmpty();
    }

    /** Safe from any thread: a racy but never negative estimate. */
    int size() {
        return queue.size();
    }

    /** Loop thread only, once the loop is closed: drops every queued callback. */
    void clear() {
        queue.clear();
    }
}
