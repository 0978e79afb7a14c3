package dev.ioloop;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;

import org.jspecify.annotations.Nullable;

/**
 * N loops, each on its own thread named after it ({@code ioloop-1} .. {@code ioloop-N} by default),
 * started and stopped together; {@link #next()} hands them out round-robin.
 *
 * <pre>{@code
 * try (IOLoopGroup group = new IOLoopGroup(4)) {
 *     group.start();
 *     group.next().addCallback(() -> System.out.println("on " + Thread.currentThread().getName()));
 * }   // close(): stops every loop, waits for its thread, closes it
 * }</pre>
 *
 * <p>Safe from any thread. The loop threads are not daemon threads, as Netty's: stop or close the group.
 */
public final class IOLoopGroup implements AutoCloseable {

    private final List<IOLoop> loops;
    private final @Nullable IOLoopThread[] threads; // guarded by this
    // ordering: getAndIncrement is atomic, so concurrent next() calls spread evenly.
    private final AtomicInteger nextIndex = new AtomicInteger();
    // ordering: volatile, written under this, read without it by isRunning(): a loop thread asking
    // while stop() holds the lock and waits for that very thread to end must not block on the lock.
    private volatile boolean running;
    private boolean closed;  // guarded by this

    /**
     * Creates {@code threads} loops named {@code ioloop-1} .. {@code ioloop-N}.
     *
     * @param threads how many loops; at least 1
     * @throws IllegalArgumentException if threads &lt; 1
     */
    public IOLoopGroup(int threads) {
        this("ioloop", threads);
    }

    /**
     * Creates {@code threads} loops named {@code name-1} .. {@code name-N}.
     *
     * @param name the prefix of the loops' and threads' names
     * @param threads how many loops; at least 1
     * @throws IllegalArgumentException if threads &lt; 1 or the name is blank
     */
    public IOLoopGroup(String name, int threads) {
        this(name, threads, IOLoop.configuredBackend());
    }

    /**
     * Creates {@code threads} loops named {@code name-1} .. {@code name-N} on the given backend (the
     * other constructors use the one {@linkplain IOLoop#configure configured} now).
     *
     * @param name the prefix of the loops' and threads' names
     * @param threads how many loops; at least 1
     * @param backend the backend every loop of the group is built with
     * @throws IllegalArgumentException if threads &lt; 1 or the name is blank
     */
    public IOLoopGroup(String name, int threads, IOLoopBackend.Factory backend) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(backend, "backend");
        if (name.isBlank()) {
            throw new IllegalArgumentException("'name' must not be blank");
        }
        if (threads < 1) {
            throw new IllegalArgumentException("'threads' must be at least 1 (was " + threads + ")");
        }
        List<IOLoop> created = new ArrayList<>(threads);
        for (int i = 1; i <= threads; i++) {
            created.add(IOLoop.builder().name(name + "-" + i).backend(backend).makeCurrent(false).build());
        }
        this.loops = Collections.unmodifiableList(created);
        this.threads = new IOLoopThread[threads];
    }

    /**
     * Starts every loop on its own thread and returns once all of them run.
     *
     * @throws IllegalStateException if the group is running or closed
     */
    public synchronized void start() {
        if (closed) {
            throw new IllegalStateException("IOLoopGroup is closed: create a new group");
        }
        if (running) {
            throw new IllegalStateException("IOLoopGroup is already running: call stop() first");
        }
        running = true;
        try {
            for (int i = 0; i < loops.size(); i++) {
                threads[i] = IOLoopThread.start(loops.get(i));
            }
        } catch (RuntimeException e) {
            stopLocked(); // the loops that did start
            throw e;
        }
    }

    /**
     * Stops every loop and returns once every loop thread has ended. Does nothing if not running.
     *
     * @throws IllegalStateException if called on one of the group's loop threads (it would wait for itself)
     */
    public void stop() {
        checkNotOnOwnLoopThread("stop()");
        synchronized (this) {
            stopLocked();
        }
    }

    private void stopLocked() {
        if (!running) {
            return;
        }
        for (IOLoop loop : loops) {
            loop.stop(); // all at once, then wait for each
        }
        for (int i = 0; i < threads.length; i++) {
            IOLoopThread thread = threads[i];
            if (thread != null) {
                thread.stop(); // joins; keeps an interrupt for after the last join
                threads[i] = null;
            } else {
                loops.get(i).discardPendingStop(); // never started (a failed start()): no stop left pending
            }
        }
        running = false;
    }

    /**
     * Waits until every loop thread has ended, at most {@code timeout}, without asking the loops to
     * stop (queue {@code loop.stop} on each first: the callbacks queued before it still run). Once all
     * ended, the group is stopped, as after {@link #stop()}.
     *
     * @param timeout how long to wait at most, for all threads together
     * @return whether every loop thread has ended (true at once if the group is not running)
     * @throws InterruptedException if the calling thread is interrupted while waiting
     * @throws IllegalStateException if called on one of the group's loop threads (it would wait for itself)
     */
    public boolean awaitStopped(Duration timeout) throws InterruptedException {
        checkNotOnOwnLoopThread("awaitStopped()");
        long deadline = System.nanoTime() + IOLoop.clampDelay(timeout);
        synchronized (this) {
            for (IOLoopThread thread : threads) {
                if (thread != null && !thread.join(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())))) {
                    return false;
                }
            }
            stopLocked(); // every thread ended: this only forgets them
            return true;
        }
    }

    /**
     * Returns the next loop, round-robin. Safe from any thread.
     *
     * @return one of {@link #loops()}
     */
    public IOLoop next() {
        return loops.get(Math.floorMod(nextIndex.getAndIncrement(), loops.size()));
    }

    /**
     * Returns the loops in order.
     *
     * @return an unmodifiable list
     */
    public List<IOLoop> loops() {
        return loops;
    }

    /**
     * Returns whether the group's loops are running.
     *
     * @return true between start() and stop()
     */
    public boolean isRunning() {
        return running;
    }

    /**
     * Stops the group if it runs, then closes every loop. Idempotent.
     *
     * @throws IllegalStateException if called on one of the group's loop threads (it would wait for itself)
     */
    @Override
    public void close() {
        checkNotOnOwnLoopThread("close()");
        synchronized (this) {
            if (closed) {
                return;
            }
            for (IOLoopThread thread : threads) {
                if (thread != null) {
                    thread.closeWhenStopped(); // each loop closed on its own thread: io_uring accepts no other
                }
            }
            stopLocked();
            for (IOLoop loop : loops) {
                loop.close(); // idempotent: what was not running is closed here
            }
            closed = true;
        }
    }

    /** Checked before taking the lock: a loop thread blocked on it would deadlock a stop() joining it. */
    private void checkNotOnOwnLoopThread(String method) {
        for (IOLoop loop : loops) {
            if (loop.inLoopThread()) {
                throw new IllegalStateException("IOLoopGroup." + method + " called on its own loop thread '"
                        + loop.name() + "': it would wait for itself to end; call it from another thread");
            }
        }
    }
}
