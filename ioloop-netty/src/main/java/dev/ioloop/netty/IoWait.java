package dev.ioloop.netty;

import dev.ioloop.IOLoopBackend;
import io.netty.channel.IoHandlerContext;

/**
 * What Netty's {@code IoHandler} sees of one wait of an {@link OwnedEventLoop}: it may block until the
 * IOLoop's own timeout or the next Netty scheduled task, whichever is first, and not at all once a
 * wake-up, a Netty task or a due scheduled task is pending. Deadlines are on the loop's clock (its
 * {@link LoopTicker}); {@link #delayNanos} ignores the system time Netty passes in. {@link #POLL} is the
 * view while the IOLoop only looks for ready I/O.
 *
 * <p>Loop thread only.
 */
final class IoWait implements IoHandlerContext {

    /** Never blocks. */
    static final IoHandlerContext POLL = new IoHandlerContext() {
        @Override
        public boolean canBlock() {
            return false;
        }

        @Override
        public long delayNanos(long currentTimeNanos) {
            return 0;
        }

        @Override
        public long deadlineNanos() {
            return -1;
        }
    };

    private final OwnedEventLoop eventLoop;
    private long waitDeadline; // ticker nanos, or Long.MAX_VALUE for no limit

    IoWait(OwnedEventLoop eventLoop) {
        this.eventLoop = eventLoop;
    }

    /** Starts a wait of at most {@code timeoutNanos} ({@link IOLoopBackend#FOREVER}: no limit). */
    void arm(long timeoutNanos) {
        waitDeadline = timeoutNanos == IOLoopBackend.FOREVER ? Long.MAX_VALUE
                : saturatedAdd(eventLoop.ticker().nanoTime(), timeoutNanos);
    }

    @Override
    public boolean canBlock() {
        return eventLoop.mayBlock();
    }

    @Override
    public long delayNanos(long currentTimeNanos) {
        long deadline = deadlineNanos();
        return deadline == -1 ? Long.MAX_VALUE : Math.max(0, deadline - eventLoop.ticker().nanoTime());
    }

    /** The earlier of the wait's deadline and the next scheduled task's, stable within one wait; -1 for none. */
    @Override
    public long deadlineNanos() {
        long next = eventLoop.nextScheduledDeadline();
        long deadline = next == -1 ? waitDeadline : Math.min(waitDeadline, next);
        return deadline == Long.MAX_VALUE ? -1 : deadline;
    }

    private static long saturatedAdd(long a, long b) {
        long sum = a + b;
        return ((a ^ sum) & (b ^ sum)) < 0 ? Long.MAX_VALUE : sum;
    }
}
