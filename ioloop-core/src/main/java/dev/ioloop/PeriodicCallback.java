package dev.ioloop;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;

import org.jspecify.annotations.Nullable;

/**
 * Runs a callback on a loop every {@code callbackTime}, as Tornado's {@code PeriodicCallback}.
 *
 * <pre>{@code
 * PeriodicCallback heartbeat = new PeriodicCallback(() -> log.info("alive"), Duration.ofSeconds(10));
 * heartbeat.start(loop);   // first run one period from now
 * ...
 * heartbeat.stop();
 * }</pre>
 *
 * <p>Runs stay on a fixed grid (start + k * period): if a run takes longer than the period, the
 * missed runs are skipped and the next run is the next grid point, never a burst of catch-up runs.
 * With jitter, each step is {@code period * (1 + jitter * (r - 0.5))} for a fresh random r in
 * [0, 1), so the grid holds on average. An exception from the callback goes to the loop's
 * {@link IOLoop#handleCallbackException} and the next run still happens.
 *
 * <p>{@link #start}, {@link #stop} and {@link #isRunning} are safe from any thread; the callback
 * runs on the loop thread.
 */
public final class PeriodicCallback {

    private final Runnable callback;
    private final long periodNanos;
    private final double jitter;
    private final DoubleSupplier random;

    // guarded by this: the running state and the schedule, so start/stop from any thread are atomic
    private @Nullable IOLoop loop;
    private @Nullable Timeout timeout;
    private long nextTimeoutNanos;
    private boolean running;
    private long generation; // bumped by start(), so a run that straddles stop()+start() doesn't schedule twice

    /**
     * Creates a periodic callback with a period in milliseconds, as Tornado.
     *
     * @param callback what to run
     * @param callbackTimeMillis the period in milliseconds; positive and finite
     * @throws IllegalArgumentException if the period is not positive and finite
     */
    public PeriodicCallback(Runnable callback, double callbackTimeMillis) {
        this(callback, toNanos(callbackTimeMillis), 0.0, () -> ThreadLocalRandom.current().nextDouble());
    }

    /**
     * Creates a periodic callback.
     *
     * @param callback what to run
     * @param callbackTime the period; positive
     * @throws IllegalArgumentException if the period is not positive
     */
    public PeriodicCallback(Runnable callback, Duration callbackTime) {
        this(callback, callbackTime, 0.0);
    }

    /**
     * Creates a periodic callback with jitter.
     *
     * @param callback what to run
     * @param callbackTime the period; positive
     * @param jitter in [0, 1]: 0.1 draws each period from a window of 10% of callbackTime centred on it
     * @throws IllegalArgumentException if the period is not positive or the jitter is outside [0, 1]
     */
    public PeriodicCallback(Runnable callback, Duration callbackTime, double jitter) {
        this(callback, toNanos(callbackTime), jitter, () -> ThreadLocalRandom.current().nextDouble());
    }

    /** For tests: a fixed source of the random r in [0, 1). */
    PeriodicCallback(Runnable callback, long periodNanos, double jitter, DoubleSupplier random) {
        this.callback = Objects.requireNonNull(callback, "callback");
        if (!(jitter >= 0.0 && jitter <= 1.0)) {
            throw new IllegalArgumentException("'jitter' must be in [0, 1] (was " + jitter + ")");
        }
        this.periodNanos = periodNanos;
        this.jitter = jitter;
        this.random = random;
    }

    /**
     * Starts on {@link IOLoop#current()}; the first run is one period from now. Safe from any thread.
     *
     * @throws IllegalStateException if already running, or if that loop is closed
     */
    public void start() {
        start(IOLoop.current());
    }

    /**
     * Starts on a loop; the first run is one period from now. Safe from any thread.
     *
     * @param loop the loop to run on
     * @throws IllegalStateException if already running, or if the loop is closed (it would never run)
     */
    public synchronized void start(IOLoop loop) {
        Objects.requireNonNull(loop, "loop");
        if (running) {
            throw new IllegalStateException("PeriodicCallback is already running on IOLoop '"
                    + Objects.requireNonNull(this.loop).name() + "': call stop() first");
        }
        if (loop.isClosed()) {
            throw new IllegalStateException("IOLoop '" + loop.name() + "' is closed: start the PeriodicCallback"
                    + " on an open loop");
        }
        this.loop = loop;
        this.running = true;
        this.generation++;
        this.nextTimeoutNanos = loop.clock().nanoTime();
        scheduleNext();
    }

    /** Stops: no run starts after this returns (a run in progress on the loop thread finishes). Safe from any thread. */
    public synchronized void stop() {
        running = false;
        Timeout pending = timeout;
        timeout = null;
        if (pending != null) {
            pending.cancel();
        }
    }

    /**
     * Returns whether the callback is scheduled.
     *
     * @return true between start and stop
     */
    public synchronized boolean isRunning() {
        return running;
    }

    /**
     * The next grid point after {@code now}: one period after {@code next} if it is still ahead, else
     * the first grid point past {@code now}, skipping missed runs (Tornado's {@code _update_next}).
     */
    static long nextTimeout(long next, long now, long period) {
        if (next - now <= 0) {
            return next + ((now - next) / period + 1) * period;
        }
        return next + period; // the clock went backwards: still advance
    }

    /** A run scheduled by start number {@code scheduledGeneration}; stale once stop() or a later start() happened. */
    private void run(long scheduledGeneration) {
        IOLoop target;
        long runGeneration;
        synchronized (this) {
            // A stale run: its timeout fired (too late to cancel) before a stop() and start() from
            // another thread; the restarted chain has its own timeout, so this one must not run or
            // schedule another.
            if (!running || generation != scheduledGeneration) {
                return;
            }
            target = Objects.requireNonNull(loop);
            runGeneration = generation;
        }
        try {
            callback.run();
        } catch (Throwable t) {
            target.callbackFailed(callback, t);
        } finally {
            synchronized (this) {
                if (running && generation == runGeneration) {
                    scheduleNext();
                }
            }
        }
    }

    /** Guarded by this. */
    private void scheduleNext() {
        IOLoop target = Objects.requireNonNull(loop);
        long period = periodNanos;
        if (jitter > 0) {
            period = Math.max(1, Math.round(period * (1 + jitter * (random.getAsDouble() - 0.5))));
        }
        nextTimeoutNanos = nextTimeout(nextTimeoutNanos, target.clock().nanoTime(), period);
        long scheduledGeneration = generation;
        timeout = target.schedule(nextTimeoutNanos, () -> run(scheduledGeneration));
    }

    private static long toNanos(double millis) {
        if (!(millis > 0) || Double.isInfinite(millis)) {
            throw new IllegalArgumentException("'callbackTimeMillis' must be positive and finite (was " + millis + ")");
        }
        return Math.max(1, Math.round(millis * 1e6));
    }

    private static long toNanos(Duration callbackTime) {
        Objects.requireNonNull(callbackTime, "callbackTime");
        if (callbackTime.isNegative() || callbackTime.isZero()) {
            throw new IllegalArgumentException("'callbackTime' must be positive (was " + callbackTime + ")");
        }
        return IOLoop.clampDelay(callbackTime);
    }
}
