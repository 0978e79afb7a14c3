package dev.ioloop.sample.store;

/**
 * The store's time source: milliseconds for expiry times, nanoseconds for the active-expiry time budget. Tests
 * pass a fake one; {@link #system()} is monotonic (wall-clock jumps do not expire or revive keys).
 */
public interface StoreClock {

    /** Returns the current time in milliseconds on this clock's own scale (only differences matter). */
    long millis();

    /** Returns a monotonic reading in nanoseconds, for measuring elapsed time. */
    long nanos();

    /**
     * Returns the wall-clock time in Unix milliseconds, for values that carry a date (stream IDs, as Redis's
     * {@code mstime()}). Defaults to {@link #millis()}, which suits fake clocks.
     */
    default long unixMillis() {
        return millis();
    }

    /**
     * Returns the clock backed by {@link System#nanoTime()}, and by {@link System#currentTimeMillis()} for
     * {@link #unixMillis()}. Thread-safe.
     */
    static StoreClock system() {
        return SystemStoreClock.INSTANCE;
    }
}

/** {@link StoreClock#system()}. */
enum SystemStoreClock implements StoreClock {
    INSTANCE;

    @Override
    public long millis() {
        return System.nanoTime() / 1_000_000;
    }

    @Override
    public long nanos() {
        return System.nanoTime();
    }

    @Override
    public long unixMillis() {
        return System.currentTimeMillis();
    }
}
