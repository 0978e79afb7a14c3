package dev.ioloop;

import java.util.function.Consumer;

/**
 * A blocked-loop action that also receives how long the loop had been blocked when the watchdog saw it.
 * Pass one to {@link IOLoop#setBlockingSignalThreshold} (it is a {@code Consumer<Thread>}) to get the
 * watchdog's own measure: {@link IOLoop#stats()} read again inside the action can already show the
 * loop idle or in a later iteration, because the block may end between the watchdog's check and the
 * action (the action runs after the check, on the watchdog thread, which a loaded machine may
 * preempt in between).
 *
 * <pre>{@code
 * loop.setBlockingSignalThreshold(Duration.ofMillis(200), (BlockedLoopAction) (thread, blockedNanos) ->
 *         loop.logStack(thread, blockedNanos));
 * }</pre>
 */
@FunctionalInterface
public interface BlockedLoopAction extends Consumer<Thread> {

    /**
     * Called on the watchdog thread for each report (once past the threshold, then each time the
     * blocked time doubles).
     *
     * @param loopThread the loop's thread, as the watchdog saw it blocked
     * @param blockedNanos how long it had been blocked then, in nanoseconds: at least the threshold
     */
    void blocked(Thread loopThread, long blockedNanos);

    /**
     * Called without a measure (by code other than the watchdog): as {@code blocked(loopThread, 0)}.
     *
     * @param loopThread the loop's thread
     */
    @Override
    default void accept(Thread loopThread) {
        blocked(loopThread, 0);
    }
}
