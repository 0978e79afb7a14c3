package dev.ioloop.sample.testing;

import dev.ioloop.sample.store.StoreClock;

/**
 * A clock that moves only when told: {@link #advanceMillis}; and, to test time budgets, optionally by a fixed step
 * on every {@link #nanos()} read.
 */
public final class FakeStoreClock implements StoreClock {

    private long nanos;
    private long stepPerNanosRead;

    /** Starts at {@code startMillis}. */
    public FakeStoreClock(long startMillis) {
        this.nanos = startMillis * 1_000_000;
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
