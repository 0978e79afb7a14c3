package dev.ioloop;

import dev.ioloop.test.Await;

/** Test support for waiting on what a running loop is doing. Safe from any thread. */
final class LoopWaits {

    private LoopWaits() {
    }

    /**
     * Waits (generously, yielding) until the loop has announced a blocking wait in its backend (no
     * iteration is running): then a call from another thread has to wake it.
     *
     * @throws AssertionError if it never does within {@link Await#timeout()}
     */
    static void awaitWaiting(IOLoop loop) {
        long deadline = System.nanoTime() + Await.timeout().toNanos();
        while (loop.iterationProbe() != null) { // null while waiting (or not running)
            if (System.nanoTime() > deadline) {
                throw new AssertionError("loop " + loop.name() + " never reached its wait");
            }
            Thread.yield();
        }
    }
}
