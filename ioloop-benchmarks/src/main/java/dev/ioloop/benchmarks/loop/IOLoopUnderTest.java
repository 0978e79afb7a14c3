package dev.ioloop.benchmarks.loop;

import dev.ioloop.IOLoop;
import dev.ioloop.Timeout;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** An {@link IOLoop} running on its own thread, driven through its public API only. */
public final class IOLoopUnderTest implements LoopUnderTest {

    private static final double NANOS_PER_SECOND = 1e9;

    private final IOLoop loop;
    private final Thread thread;

    IOLoopUnderTest() {
        this(new IOLoop(false));
    }

    /**
     * Starts {@code loop} on a new daemon thread and returns once it runs callbacks.
     *
     * @param loop a new loop, not running; this object stops and closes it
     */
    public IOLoopUnderTest(IOLoop loop) {
        this.loop = loop;
        CountDownLatch running = new CountDownLatch(1);
        loop.addCallback(running::countDown);
        thread = new Thread(loop::start, "ioloop-bench");
        thread.setDaemon(true);
        thread.start();
        await(running);
    }

    /** @return the loop, for benchmarks that use more of its API (B6); safe from any thread */
    public IOLoop loop() {
        return loop;
    }

    @Override
    public void execute(Runnable task) {
        loop.addCallback(task);
    }

    @Override
    public Object schedule(Runnable task, long delayNanos) {
        return loop.callLater(delayNanos / NANOS_PER_SECOND, task);
    }

    @Override
    public void cancel(Object handle) {
        loop.removeTimeout((Timeout) handle);
    }

    @Override
    public void close() {
        loop.stop();
        try {
            thread.join(TimeUnit.SECONDS.toMillis(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (!thread.isAlive()) {
            loop.close(true);
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            if (!latch.await(10, TimeUnit.SECONDS)) {
                throw new IllegalStateException("IOLoop did not start within 10 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting the IOLoop", e);
        }
    }
}
