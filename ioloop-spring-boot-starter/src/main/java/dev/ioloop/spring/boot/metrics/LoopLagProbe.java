package dev.ioloop.spring.boot.metrics;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongConsumer;

import dev.ioloop.IOLoop;
import dev.ioloop.Timeout;
import org.jspecify.annotations.Nullable;

/**
 * Measures a loop's lag: how late a probe timer fires versus its deadline (Node's
 * {@code monitorEventLoopDelay}), on the loop's own clock ({@link IOLoop#time()}).
 *
 * <p>While started, the probe keeps one timer on the loop, {@code interval} ahead; when it fires it records its
 * lateness and arms the next one. The loop-side work is a {@code callLater} and a few field writes per interval;
 * samples are handed over through a small lock-free ring that one consumer drains ({@link #drain}), so no metrics
 * library runs on the loop thread. {@link #currentLagNanos()} also counts a probe that is overdue right now, so a
 * loop blocked in a callback shows its lag before the callback returns.
 *
 * <p>Threading: {@link #start()}, {@link #stop()}, {@link #currentLagNanos()} and {@link #lastLagNanos()} are safe
 * from any thread; {@link #drain} must be called by one thread at a time.
 */
public final class LoopLagProbe {

    private static final int CAPACITY = 256;

    private final IOLoop loop;

    private final long intervalNanos;

    private final long[] samples = new long[CAPACITY];

    // ordering: written by the loop thread only (single producer); volatile so that a consumer that reads
    // head sees every sample stored before it (release on write, acquire on read).
    private volatile long head;

    // ordering: written by the draining thread only (single consumer); volatile so the producer sees freed slots.
    private volatile long tail;

    // ordering: volatile flag; start()/stop() may run on any thread and the loop-side callbacks read it.
    private volatile boolean running;

    // ordering: written on the loop thread, read by health/endpoint threads; a stale read is one sample old.
    private volatile long pendingDeadlineNanos;

    // ordering: as pendingDeadlineNanos.
    private volatile long lastLagNanos;

    private final AtomicLong dropped = new AtomicLong();

    // Loop thread only.
    private @Nullable Timeout timeout;

    /**
     * Creates a stopped probe.
     * @param loop the loop to measure
     * @param interval time between probes, positive
     * @throws IllegalArgumentException if {@code interval} is not positive
     */
    public LoopLagProbe(IOLoop loop, Duration interval) {
        if (interval.isZero() || interval.isNegative()) {
            throw new IllegalArgumentException("'interval' must be positive (was " + interval + ")");
        }
        this.loop = loop;
        this.intervalNanos = interval.toNanos();
    }

    /** Starts probing; the first probe is armed by a callback on the loop. Safe from any thread. */
    public void start() {
        // ordering: volatile write before the callback is queued, so the loop sees running == true.
        this.running = true;
        this.loop.addCallback(this::arm);
    }

    /** Stops probing; an armed probe is removed on the loop. Safe from any thread. */
    public void stop() {
        // ordering: volatile write; the loop-side arm()/fire() read it and do nothing afterwards.
        this.running = false;
        this.pendingDeadlineNanos = 0;
        this.loop.addCallback(this::disarm);
    }

    /** The loop's clock ({@link IOLoop#time()}, so a loop on a fake clock is measured on it), in nanoseconds. */
    private long now() {
        return (long) (this.loop.time() * 1e9);
    }

    private void arm() {
        if (!this.running || this.timeout != null) {
            return;
        }
        long deadline = now() + this.intervalNanos;
        this.pendingDeadlineNanos = deadline;
        this.timeout = this.loop.callLater(Duration.ofNanos(this.intervalNanos), () -> fire(deadline));
    }

    private void disarm() {
        Timeout armed = this.timeout;
        if (armed != null) {
            this.loop.removeTimeout(armed);
            this.timeout = null;
        }
        // ordering: volatile write on the loop thread. stop()'s own write can be overtaken by an arm() that read
        // running == true just before it; this one comes after any such arm(), so a stopped probe shows no deadline.
        if (!this.running) {
            this.pendingDeadlineNanos = 0;
        }
    }

    private void fire(long deadline) {
        this.timeout = null;
        long lag = Math.max(0, now() - deadline);
        this.lastLagNanos = lag;
        this.pendingDeadlineNanos = 0;
        offer(lag);
        arm();
    }

    /**
     * Appends a sample, or counts it as dropped when the ring is full. Single producer: the loop thread (tests call
     * it from one thread of their own).
     * @param lag the sample in nanoseconds
     */
    void offer(long lag) {
        long h = this.head;
        if (h - this.tail >= CAPACITY) {
            // ordering: counter only, no ordering with the ring needed.
            this.dropped.incrementAndGet();
            return;
        }
        this.samples[(int) (h % CAPACITY)] = lag;
        // ordering: volatile write publishes the plain store above to the consumer.
        this.head = h + 1;
    }

    /**
     * Hands every sample recorded since the last call to {@code sink}, oldest first. One consumer thread at a time.
     * @param sink receives each lag sample in nanoseconds
     * @return the number of samples drained
     */
    public int drain(LongConsumer sink) {
        // ordering: volatile read of head (acquire) makes the samples below it visible.
        long h = this.head;
        long t = this.tail;
        int n = 0;
        while (t < h) {
            sink.accept(this.samples[(int) (t % CAPACITY)]);
            t++;
            n++;
        }
        // ordering: volatile write frees the slots for the producer only after they were read.
        this.tail = t;
        return n;
    }

    /**
     * The lag as of now, in nanoseconds: the larger of the last measured lag and how far an armed probe is past its
     * deadline (a loop blocked in a callback shows its lag before the callback returns). Zero when stopped.
     * @return the current lag in nanoseconds, never negative
     */
    public long currentLagNanos() {
        // ordering: volatile reads; either order gives a valid, at most one-probe-old answer.
        long deadline = this.pendingDeadlineNanos;
        long overdue = (deadline == 0) ? 0 : now() - deadline;
        return Math.max(this.lastLagNanos, Math.max(0, overdue));
    }

    /** @return the lag measured by the last probe that fired, in nanoseconds (0 before the first) */
    public long lastLagNanos() {
        // ordering: volatile read.
        return this.lastLagNanos;
    }

    /** @return samples dropped because no one drained the ring in time */
    public long droppedSamples() {
        // ordering: atomic read.
        return this.dropped.get();
    }

    /** @return whether the probe is started */
    public boolean isRunning() {
        // ordering: volatile read.
        return this.running;
    }
}
