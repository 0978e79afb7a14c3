package dev.ioloop;

/**
 * The time source of an {@link IOLoop}: a monotonic nanosecond counter, as {@link System#nanoTime()}.
 *
 * <p>{@link IOLoop#time()} is this clock in seconds; timeouts, periodic callbacks, the busy/idle
 * accounting of {@link IOLoop#stats()} and the blocked-loop watchdog all read it. Tests use a
 * fake clock so that time logic runs without sleeping.
 *
 * <p>Implementations must be safe to call from any thread and must never go backwards.
 */
@FunctionalInterface
public interface LoopClock {

    /**
     * Returns the current value of this clock.
     *
     * @return nanoseconds from an arbitrary fixed origin; only differences are meaningful
     */
    long nanoTime();

    /**
     * Returns the system's monotonic clock, {@link System#nanoTime()}.
     *
     * @return the default clock of every loop
     */
    static LoopClock system() {
        return SystemClock.INSTANCE;
    }
}

/** {@link System#nanoTime()} as a {@link LoopClock}. */
enum SystemClock implements LoopClock {
    INSTANCE;

    @Override
    public long nanoTime() {
        return System.nanoTime();
    }
}
