package dev.ioloop;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Owns one loop's {@link Selector}: waits for I/O readiness with a timeout, collects the ready
 * keys into a reused array (no selected-key set, no iterator, no allocation per select), and wakes
 * the selector from other threads only when the loop is blocked in, or about to enter, a select.
 *
 * <p>The wake-up protocol (Netty's "selecting" flag, with a third state so that exactly one
 * producer pays for {@link Selector#wakeup()} per blocking select):
 * <pre>
 *   loop:      state = SELECTING  (full fence)    producer: queue.offer(cb)  (full fence)
 *              if (work queued) don't block                 if (state == SELECTING
 *              select(timeout)                                  &amp;&amp; CAS(SELECTING, WOKEN)) wakeup()
 *              stamp the iteration; state = AWAKE (release)
 * </pre>
 * Interleavings: (a) the producer's offer precedes the loop's emptiness check: the loop sees the
 * callback and does not block; (b) the loop's store of SELECTING precedes the producer's read: the
 * producer sees SELECTING and wakes the selector, and a wakeup that lands before select() makes that
 * select return at once; (c) both: the loop does not block and the spurious wakeup only shortens a
 * later select. Because both sides store then load with full fences, "neither sees the other" cannot
 * happen.
 *
 * <p>Loop thread only, except {@link #wakeUpIfSelecting()}, {@link #isSelecting()} and
 * {@link #wakeups()}, which are safe from any thread.
 */
final class SelectorDriver {

    private static final int AWAKE = 0;
    private static final int SELECTING = 1;
    private static final int WOKEN = 2;

    private final Selector selector;
    private final AtomicInteger state = new AtomicInteger(AWAKE);
    // ordering: counted only on the rare wake-up path; read by tests.
    private final java.util.concurrent.atomic.AtomicLong wakeups = new java.util.concurrent.atomic.AtomicLong();
    private SelectionKey[] ready = new SelectionKey[256];
    private int readyCount;

    SelectorDriver() {
        try {
            this.selector = Selector.open();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open a Selector for the IOLoop", e);
        }
    }

    Selector selector() {
        return selector;
    }

    /**
     * Loop thread only: announces that the loop is about to block. The caller must check for queued
     * work after this call and pass a zero timeout to {@link #select} if there is any.
     */
    void prepareToBlock() {
        // ordering: volatile store (full fence): must be visible before the loop reads the callback
        // queue's emptiness; pairs with the producer's offer-then-read in wakeUpIfSelecting.
        state.set(SELECTING);
    }

    /**
     * Loop thread only: waits up to {@code timeoutNanos} (0: don't wait; negative: wait until woken)
     * and collects the ready keys.
     */
    void select(long timeoutNanos) {
        readyCount = 0;
        try {
            if (timeoutNanos == 0) {
                selector.selectNow(this::collect);
            } else {
                long millis = timeoutNanos < 0 ? 0 : Math.max(1, (timeoutNanos + 999_999) / 1_000_000);
                selector.select(this::collect, millis);
            }
        } catch (IOException e) {
            markAwake();
            throw new UncheckedIOException("select failed", e);
        }
    }

    /**
     * Loop thread only, after select and after the loop stored its new iteration start: leaves the
     * selecting state.
     */
    void markAwake() {
        // ordering: release store after the loop stamped the new iteration (IOLoop#beginStampedIteration); the watchdog
        // and stats() read this flag (acquire) before those fields, so seeing AWAKE guarantees they
        // see the new iteration's start, never the stale one from before a long idle select.
        state.lazySet(AWAKE);
    }

    /** Loop thread only: the number of keys the last select collected. */
    int readyCount() {
        return readyCount;
    }

    /** Loop thread only: the i-th ready key of the last select. */
    SelectionKey readyKey(int i) {
        return ready[i];
    }

    /** Loop thread only: forgets the ready keys so that cancelled channels can be collected. */
    void clearReady() {
        Arrays.fill(ready, 0, readyCount, null);
        readyCount = 0;
    }

    /** Safe from any thread: wakes the selector if the loop is blocked (or about to block) in it. */
    void wakeUpIfSelecting() {
        // ordering: volatile read after the caller's full-fence enqueue (see the class comment);
        // the CAS makes exactly one producer pay for wakeup() per blocking select.
        if (state.get() == SELECTING && state.compareAndSet(SELECTING, WOKEN)) {
            wakeups.incrementAndGet();
            selector.wakeup();
        }
    }

    /** Safe from any thread: how many times {@link #wakeUpIfSelecting()} woke the selector. */
    long wakeups() {
        // ordering: volatile read of a counter nothing else is ordered with.
        return wakeups.get();
    }

    /** Safe from any thread: whether the loop is waiting in select (or about to). */
    boolean isSelecting() {
        // ordering: volatile read (acquire), pairs with markAwake's release store: a reader that sees
        // AWAKE also sees the iteration stamp written before it.
        return state.get() != AWAKE;
    }

    void close() {
        try {
            selector.close();
        } catch (IOException e) {
            throw new UncheckedIOException("closing the Selector failed", e);
        }
    }

    private void collect(SelectionKey key) {
        if (readyCount == ready.length) {
            ready = Arrays.copyOf(ready, ready.length * 2);
        }
        ready[readyCount++] = key;
    }
}
