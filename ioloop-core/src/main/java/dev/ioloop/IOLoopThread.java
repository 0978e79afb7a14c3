package dev.ioloop;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.jspecify.annotations.Nullable;

/**
 * An {@link IOLoop} running on a thread of its own: start it, wait until it runs, stop it and wait
 * for its thread to end, with no sleeps and no polling. What Tornado's tests and applications do with
 * {@code threading.Thread(target=loop.start)}.
 *
 * <pre>{@code
 * try (IOLoopThread running = IOLoopThread.start(new IOLoop(false))) {
 *     running.loop().addCallback(() -> System.out.println("on " + Thread.currentThread().getName()));
 * }   // close(): stops the loop, waits for its thread, closes the loop
 * }</pre>
 *
 * <p>{@link #start} returns once the loop has run its first iteration, or throws if the loop could not
 * start (its {@code start()} threw, or returned at once because a {@code stop()} was pending). What
 * {@code start()} throws later (a {@link VirtualMachineError}) ends the thread as an uncaught
 * exception does, and is kept for {@link #failure()}.
 *
 * <p>Safe from any thread, except that {@link #stop()} and {@link #close()} must not be called on the
 * loop's own thread (it would wait for itself).
 */
public final class IOLoopThread implements AutoCloseable {

    private final IOLoop loop;
    private final Thread thread;
    private final CountDownLatch startedOrEnded = new CountDownLatch(1);
    // ordering: volatile; set on the loop thread (by its first callback, or when start() threw) before
    // the latch counts down, read after the latch released the starting thread.
    private volatile boolean running;
    private volatile @Nullable Throwable failure;
    // ordering: volatile, written (true) by close() before it stops the loop and read by the loop thread after
    // start() returned; a loop that ended before the write is closed by close() on its own thread instead
    private volatile boolean closeOnExit;
    private volatile boolean closeAllFdsOnExit;

    private IOLoopThread(IOLoop loop, String threadName, boolean daemon) {
        this.loop = loop;
        this.thread = new Thread(this::runLoop, threadName);
        this.thread.setDaemon(daemon);
    }

    /**
     * Starts {@code loop} on a new non-daemon thread named after the loop and returns once it runs.
     *
     * @param loop an idle loop
     * @return the running loop and its thread
     * @throws IllegalStateException if the loop did not start (see the class doc), or the calling
     *     thread was interrupted while waiting (its interrupt status is kept)
     */
    public static IOLoopThread start(IOLoop loop) {
        return start(loop, loop.name(), false);
    }

    /**
     * Starts {@code loop} on a new thread and returns once it runs.
     *
     * @param loop an idle loop
     * @param threadName the thread's name
     * @param daemon whether the thread is a daemon thread (one that does not keep the JVM alive)
     * @return the running loop and its thread
     * @throws IllegalStateException if the loop did not start (see the class doc), or the calling
     *     thread was interrupted while waiting (its interrupt status is kept)
     */
    public static IOLoopThread start(IOLoop loop, String threadName, boolean daemon) {
        Objects.requireNonNull(loop, "loop");
        Objects.requireNonNull(threadName, "threadName");
        IOLoopThread started = new IOLoopThread(loop, threadName, daemon);
        loop.addCallback(started::markRunning);
        started.thread.start();
        started.awaitStarted();
        return started;
    }

    private void runLoop() {
        try {
            loop.start();
        } catch (RuntimeException | Error e) {
            failure = e;
            throw e;
        } finally {
            if (closeOnExit) {
                loop.close(closeAllFdsOnExit); // on the thread that ran it: io_uring's ring accepts its shutdown from that thread only
            }
            startedOrEnded.countDown();
        }
    }

    private void markRunning() {
        running = true;
        startedOrEnded.countDown();
    }

    private void awaitStarted() {
        try {
            startedOrEnded.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting IOLoop '" + loop.name() + "' on thread "
                    + thread.getName() + " (the loop may still start: stop it)", e);
        }
        if (!running) {
            Throwable cause = failure;
            loop.discardPendingStop();
            throw new IllegalStateException("IOLoop '" + loop.name() + "' did not start on thread " + thread.getName()
                    + (cause != null ? ": start() threw " + cause : ": start() returned at once (a stop() was"
                            + " pending)"), cause);
        }
    }

    /**
     * Returns the loop.
     *
     * @return the loop this thread runs
     */
    public IOLoop loop() {
        return loop;
    }

    /**
     * Returns the thread.
     *
     * @return the thread running the loop (or that ran it)
     */
    public Thread thread() {
        return thread;
    }

    /**
     * Returns what the loop's {@code start()} threw, if it ended that way.
     *
     * @return the exception or error, or null
     */
    public @Nullable Throwable failure() {
        return failure;
    }

    /**
     * Waits until the loop's thread has ended (the loop returned from {@code start()}), at most
     * {@code timeout}. Does not ask the loop to stop: queue {@code loop().stop} behind other callbacks
     * first, or call {@link #stop(Duration)}.
     *
     * @param timeout how long to wait at most
     * @return whether the thread has ended
     * @throws InterruptedException if the calling thread is interrupted while waiting
     */
    public boolean join(Duration timeout) throws InterruptedException {
        Objects.requireNonNull(timeout, "timeout");
        long nanos = IOLoop.clampDelay(timeout);
        if (nanos > 0) {
            TimeUnit.NANOSECONDS.timedJoin(thread, nanos);
        }
        boolean ended = !thread.isAlive();
        if (ended) {
            loop.discardPendingStop(); // a stop() that came after the loop returned must not skip the next start
        }
        return ended;
    }

    /**
     * Asks the loop to stop after its current iteration and waits for its thread to end, at most
     * {@code timeout}.
     *
     * @param timeout how long to wait at most
     * @return whether the thread has ended
     * @throws InterruptedException if the calling thread is interrupted while waiting
     * @throws IllegalStateException if called on the loop's own thread
     */
    public boolean stop(Duration timeout) throws InterruptedException {
        checkNotOwnThread("stop");
        loop.stop();
        return join(timeout);
    }

    /**
     * Asks the loop to stop after its current iteration and waits until its thread has ended, however
     * long that takes. An interrupt while waiting is kept for later, not lost: it is set again on the
     * calling thread once the loop thread has ended.
     *
     * @throws IllegalStateException if called on the loop's own thread
     */
    public void stop() {
        checkNotOwnThread("stop");
        loop.stop();
        boolean interrupted = false;
        while (true) {
            try {
                thread.join();
                break;
            } catch (InterruptedException e) {
                interrupted = true; // finish joining: callers rely on "the thread ended"
            }
        }
        loop.discardPendingStop();
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Stops the loop ({@link #stop()}), then closes it (without closing its channels). Idempotent. The loop
     * thread closes the loop itself as its {@code start()} returns, so that a backend that accepts its
     * shutdown only from the thread that ran it (Netty's io_uring) is closed there.
     *
     * @throws IllegalStateException if called on the loop's own thread
     */
    @Override
    public void close() {
        closeOnExit = true;
        stop();
        loop.close(); // idempotent: a loop that ended for another reason first is closed here, on this thread
    }

    /**
     * Stops the loop and closes it, with every channel still registered when {@code allFds}, waiting for its
     * thread at most {@code timeout}. The loop thread closes the loop as its {@code start()} returns (see
     * {@link #close()}); a loop whose thread does not end in time is left open.
     *
     * @param timeout how long to wait for the thread at most
     * @param allFds whether to close the channels still registered on the loop too
     * @return whether the thread ended (and the loop is closed)
     * @throws InterruptedException if the calling thread is interrupted while waiting
     * @throws IllegalStateException if called on the loop's own thread
     */
    public boolean close(Duration timeout, boolean allFds) throws InterruptedException {
        checkNotOwnThread("close");
        closeAllFdsOnExit = allFds; // ordering: written before closeOnExit, whose volatile write publishes it
        closeOnExit = true;
        if (!stop(timeout)) {
            closeOnExit = false; // left open, as documented: a loop that stops later is not closed behind the caller
            return false;
        }
        loop.close(allFds); // idempotent: a loop that ended for another reason first is closed here
        return true;
    }

    /**
     * Has the loop thread close the loop as its {@code start()} returns (the next {@link #stop()}), as
     * {@link #close()} does; for {@link IOLoopGroup}, which stops all its loops at once before joining each.
     */
    void closeWhenStopped() {
        closeOnExit = true;
    }

    private void checkNotOwnThread(String method) {
        if (Thread.currentThread() == thread) {
            throw new IllegalStateException("IOLoopThread." + method + "() called on the loop's own thread '"
                    + thread.getName() + "': it would wait for itself; call it from another thread");
        }
    }

    @Override
    public String toString() {
        return "IOLoopThread[" + loop.name() + " on " + thread.getName() + (thread.isAlive() ? "" : ", ended") + "]";
    }
}
