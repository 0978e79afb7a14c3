package dev.ioloop;

import java.time.Duration;
import java.util.function.Consumer;

import org.jspecify.annotations.Nullable;

/**
 * A loop's blocked-loop settings (Tornado's {@code set_blocking_signal_threshold}): the threshold the
 * shared {@link BlockedLoopWatchdog} checks the loop against, the action it runs, and its report
 * bookkeeping for this loop.
 *
 * <p>Safe from any thread; {@link #blockedState()} is the watchdog thread's.
 */
final class WatchdogSettings {

    // ordering: volatile; set() writes the action before the threshold and the watchdog reads the
    // threshold before the action, so a report uses the action set with (or after) the threshold that
    // triggered it.
    private volatile long thresholdNanos;
    private volatile @Nullable Consumer<Thread> action;
    private final BlockedLoopWatchdog.BlockedState blockedState = new BlockedLoopWatchdog.BlockedState();

    /**
     * Sets the threshold and action, and (un)registers the loop with the watchdog.
     *
     * @throws IllegalArgumentException if the threshold is zero or negative
     */
    void set(IOLoop loop, @Nullable Duration threshold, @Nullable Consumer<Thread> newAction) {
        if (threshold == null) {
            thresholdNanos = 0;
            BlockedLoopWatchdog.INSTANCE.unwatch(loop);
            return;
        }
        if (threshold.isNegative() || threshold.isZero()) {
            throw new IllegalArgumentException("'threshold' must be positive (was " + threshold + ")");
        }
        action = newAction;
        thresholdNanos = IOLoop.clampDelay(threshold);
        if (!loop.isClosed()) {
            BlockedLoopWatchdog.INSTANCE.watch(loop);
        }
    }

    long thresholdNanos() {
        return thresholdNanos;
    }

    /** The action to run for a blocked loop, or null for "log the stack". Read after {@link #thresholdNanos()}. */
    @Nullable Consumer<Thread> action() {
        return action;
    }

    BlockedLoopWatchdog.BlockedState blockedState() {
        return blockedState;
    }
}
