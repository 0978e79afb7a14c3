package dev.ioloop.benchmarks.loop;

/**
 * B2's chain: a count of links left and the signal its last link fires. Each {@link LoopUnderTest}
 * makes the link task itself ({@link LoopUnderTest#chainLink(Chain)}), so that the link resubmits
 * itself with a call the JIT binds statically, as in a user's callback that calls its own loop.
 *
 * <p>Threading: {@link #start(int)} on the waiting thread before the first link is handed to the
 * loop (the hand-off publishes it); {@link #linkRan()} on the loop thread only.
 */
public final class Chain {

    private final Signal signal = new Signal();
    private int left; // loop thread only while a chain runs; the queue hand-off publishes the reset

    /**
     * Arms the signal for a chain of {@code links} links. Waiting thread only.
     *
     * @param links how many links the chain runs, at least 1
     */
    public void start(int links) {
        left = links;
        signal.arm();
    }

    /** Parks until the last link ran. Waiting thread only; see {@link Signal#await()}. */
    public void await() {
        signal.await();
    }

    /**
     * Counts one link; fires the signal after the last one. Loop thread only.
     *
     * @return true if the caller must submit the next link
     */
    boolean linkRan() {
        if (--left == 0) {
            signal.fire();
            return false;
        }
        return true;
    }
}
