package dev.ioloop.sample.testing;

import dev.ioloop.sample.store.StoreClock;

/**
 * A clock that moves only when told: {@link #advanceMillis}; and, to test time budgets, optionally by a fixed step
 * on every {@link #nanos()} read.
 */
public final class FakeStoreClock implements StoreClock {

    /** A Unix time (2023-11-14) for clocks whose wall clock must look real, as Redis's expiry overflow checks need. */
    public static final long REALISTIC_UNIX_MILLIS = 1_700_000_000_000L;

    private long nanos;
    private long stepPerNanosRead;
    private final long unixMinusMillis;

    /** Starts at {@code startMillis}; its Unix clock reads the same as {@link #millis()}. */
    public FakeStoreClock(long startMillis) {
        this(startMillis, startMillis);
    }

    /** Starts at {@code startMillis}, its Unix clock at {@code unixStartMillis}; both move together. */
    public FakeStoreClock(long startMillis, long unixStartMillis) {
        this.nanos = startMillis * 1_000_000;
        this.unixMinusMillis = unixStartMillis - startMillis;
    }

    @Override
    public long unixMillis() {
        return millis() + unixMinusMillis;
    }

    @Override
    public long millis() {
        return Math.floorDiv(nanos, 1_000_000);
    }

    @Override
    public long nanos() {
        long now = nanos;
        nanos += stepPerNanosRead;
        return now;
    }

    /** Moves time forward. */
    public void advanceMillis(long millis) {
        nanos += millis * 1_000_000;
    }

    /** Makes every {@link #nanos()} read advance time by {@code step} nanoseconds (0 to stop). */
    public void advanceOnEveryNanosRead(long step) {
        this.stepPerNanosRead = step;
    }
}
