package dev.ioloop;

/**
 * An immutable snapshot of an {@link IOLoop}'s counters, as returned by {@link IOLoop#stats()}.
 *
 * <p>Counters are cumulative since the loop was created; the pending and current values are what
 * they were when the snapshot was taken. Each value is exact as of the moment it was read, but the
 * fields are read one after another from a running loop, so they are not one atomic cut.
 *
 * @param name the loop's name
 * @param pendingCallbacks callbacks queued and not yet run
 * @param pendingTimeouts timeouts scheduled and neither fired nor removed
 * @param handlers channels with a registered I/O handler
 * @param callbacksRun callbacks, timeouts, handler calls and future callbacks run so far
 * @param callbackErrors exceptions passed to {@link IOLoop#handleCallbackException}
 * @param iterations iterations of the loop run so far
 * @param busyNanos nanoseconds the loop thread spent running (not waiting in its backend)
 * @param idleNanos nanoseconds the loop thread spent waiting in its backend
 * @param blockedEvents blocked-loop reports made by the watchdog
 * @param blockedForNanos how long the current iteration has been running, or 0 while the loop is
 *     waiting or not running; for a loop whose backend shares its thread ({@link IOLoopBackend#sharesThread()})
 *     and whose watchdog is on, while it waits: how long the watchdog's heartbeat has waited for the thread
 * @param backend the name of the loop's backend ({@link IOLoopBackend#name()}), such as {@code selector}
 */
public record LoopStats(
        String name,
        long pendingCallbacks,
        int pendingTimeouts,
        int handlers,
        long callbacksRun,
        long callbackErrors,
        long iterations,
        long busyNanos,
        long idleNanos,
        long blockedEvents,
        long blockedForNanos,
        String backend) {

    /**
     * A snapshot without a backend name ({@code "unknown"}): for baselines and tests built by hand.
     *
     * @param name the loop's name
     * @param pendingCallbacks callbacks queued and not yet run
     * @param pendingTimeouts timeouts scheduled and neither fired nor removed
     * @param handlers channels with a registered I/O handler
     * @param callbacksRun callbacks, timeouts, handler calls and future callbacks run so far
     * @param callbackErrors exceptions passed to {@link IOLoop#handleCallbackException}
     * @param iterations iterations of the loop run so far
     * @param busyNanos nanoseconds the loop thread spent running
     * @param idleNanos nanoseconds the loop thread spent waiting
     * @param blockedEvents blocked-loop reports made by the watchdog
     * @param blockedForNanos how long the current iteration has been running
     */
    public LoopStats(String name, long pendingCallbacks, int pendingTimeouts, int handlers, long callbacksRun,
            long callbackErrors, long iterations, long busyNanos, long idleNanos, long blockedEvents,
            long blockedForNanos) {
        this(name, pendingCallbacks, pendingTimeouts, handlers, callbacksRun, callbackErrors, iterations, busyNanos,
                idleNanos, blockedEvents, blockedForNanos, "unknown");
    }

    /**
     * Returns the event-loop utilisation between an earlier snapshot and this one: busy time over
     * busy plus idle time, as Node's {@code performance.eventLoopUtilization()}.
     *
     * @param earlier a snapshot of the same loop taken before this one
     * @return a value in [0, 1]; 0 when no time was accounted between the two snapshots
     */
    public double utilizationSince(LoopStats earlier) {
        long busy = busyNanos - earlier.busyNanos;
        long idle = idleNanos - earlier.idleNanos;
        long total = busy + idle;
        if (total <= 0 || busy <= 0) {
            return 0.0;
        }
        return Math.min(1.0, (double) busy / total);
    }
}
