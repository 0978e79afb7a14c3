package dev.ioloop;

import java.time.Duration;
import java.util.function.Consumer;

import org.jspecify.annotations.Nullable;

/**
 * A loop's blocked-loop settings (Tornado's {@code set_blocking_signal_threshold}): the threshold the
 * shared {@link BlockedLoopWatchdog} checks the loop against, the action it runs, its report
 * bookkeeping for this loop, and the loop's {@link Heartbeat} when its backend shares its thread.
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
    // ordering: volatile; created (under this object's lock) by the first set() on a loop whose backend
    // shares its thread, read without the lock by the watchdog and by stats(). Never replaced.
    private volatile @Nullable Heartbeat heartbeat;

    /**
     * Sets the threshold and action, and (un)registers the loop with the watchdog.
     *
     * @throws IllegalArgumentException if the threshold is zero or negative
     */
    synchronized void set(IOLoop loop, @Nullable Duration threshold, @Nullable Consumer<Thread> newAction) {
        if (threshold == null) {
            thresholdNanos = 0;
            BlockedLoopWatchdog.INSTANCE.unwatch(loop);
            return;
        }
        if (threshold.isNegative() || threshold.isZero()) {
            throw new IllegalArgumentException("'threshold' must be positive (was " + threshold + ")");
        }
        action = newAction;
        if (heartbeat == null && loop.backend().sharesThread()) {
            heartbeat = new Heartbeat(); // under this object's lock: one per loop
        }
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

    /** The loop's heartbeat: null unless its backend shares its thread and a threshold was set once. */
    @Nullable Heartbeat heartbeat() {
        return heartbeat;
    }

    /** How long the loop thread has been unresponsive outside the loop's iterations (see {@link Heartbeat}). */
    long heartbeatBlockedNanos(IOLoop loop) {
        Heartbeat current = heartbeat;
        return current == null || thresholdNanos == 0 ? 0 : current.blockedNanos(loop);
    }
}
