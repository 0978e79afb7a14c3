package dev.ioloop.netty;

import java.util.concurrent.TimeUnit;

import dev.ioloop.LoopClock;
import io.netty.util.concurrent.Ticker;

/**
 * Netty's time source over an IOLoop's {@link LoopClock}, so that the Netty tasks scheduled on the
 * loop's event loop ({@code schedule}, {@code IdleStateHandler}, connect timeouts) follow the same
 * clock as its timeouts: a fake clock in a test moves both. Safe from any thread.
 */
final class LoopTicker implements Ticker {

    private final LoopClock clock;
    private final long origin;

    LoopTicker(LoopClock clock) {
        this.clock = clock;
        this.origin = clock.nanoTime();
    }

    @Override
    public long initialNanoTime() {
        return origin;
    }

    @Override
    public long nanoTime() {
        return clock.nanoTime() - origin;
    }

    /** Sleeps in real time: only Netty's own shutdown code calls it, never the loop. */
    @Override
    public void sleep(long delay, TimeUnit unit) throws InterruptedException {
        unit.sleep(delay);
    }
}
