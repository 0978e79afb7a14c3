package dev.ioloop.spring.boot.scheduling;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.ioloop.IOLoop;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One {@link PeriodicCallback @PeriodicCallback} method bound to its bean and loop, with its run statistics.
 *
 * <p>The schedule is a core {@link dev.ioloop.PeriodicCallback dev.ioloop.PeriodicCallback}. Each run is counted;
 * runs the core skipped after an overrun, and periods that came while a returned {@code CompletionStage} was still
 * pending, are counted as skipped; exceptions are logged at ERROR and counted, and the schedule goes on.
 *
 * <p>Threading: runs and statistics updates happen on the loop thread only (single writer); the getters are safe
 * from any thread and may be one run behind each other.
 */
public final class ScheduledPeriodicCallback {

    private static final Logger logger = LoggerFactory.getLogger(ScheduledPeriodicCallback.class);

    private final String id;

    private final String beanName;

    private final Object bean;

    private final Method method;

    private final IOLoop loop;

    private final String loopName;

    private final Duration period;

    private final double jitter;

    private final @Nullable Duration initialDelay;

    private final dev.ioloop.PeriodicCallback schedule;

    // ordering: volatile; set by cancel() on any thread, read on the loop thread before each run.
    private volatile boolean cancelled;

    private final AtomicBoolean started = new AtomicBoolean();

    // ordering: the counters below are written only on the loop thread (single writer, plain read-modify-write)
    // and published by their volatile write; readers on other threads see a recent value of each.
    private volatile long runs;

    private volatile long skipped;

    private volatile long errors;

    private volatile long totalTimeNanos;

    private volatile long lastRunStartMillis;

    private volatile long lastTickNanos;

    // Loop thread only.
    private boolean pending;

    ScheduledPeriodicCallback(String beanName, Object bean, Method method, IOLoop loop, String loopName,
            Duration period, double jitter, @Nullable Duration initialDelay) {
        this.id = beanName + "#" + method.getName();
        this.beanName = beanName;
        this.bean = bean;
        this.method = method;
        this.loop = loop;
        this.loopName = loopName;
        this.period = period;
        this.jitter = jitter;
        this.initialDelay = initialDelay;
        this.schedule = new dev.ioloop.PeriodicCallback(this::tick, period, jitter);
    }

    /**
     * Starts the schedule on the loop (the core schedule is started from a loop callback). Safe from any thread;
     * only the first call has an effect.
     */
    void start() {
        // ordering: atomic compare-and-set, so concurrent starts schedule once.
        if (!this.started.compareAndSet(false, true)) {
            return;
        }
        Duration delay = this.initialDelay;
        if (delay == null) {
            this.loop.addCallback(this::startSchedule);
        }
        else {
            this.loop.callLater(delay, () -> {
                if (!this.cancelled) {
                    tick();
                    startSchedule();
                }
            });
        }
    }

    private void startSchedule() {
        if (!this.cancelled) {
            this.schedule.start(this.loop);
        }
    }

    /** Cancels the schedule; a run in progress completes. Safe from any thread, idempotent. */
    void cancel() {
        // ordering: volatile write; a run that reads it afterwards does nothing.
        this.cancelled = true;
        this.loop.addCallback(this.schedule::stop);
    }

    Object bean() {
        return this.bean;
    }

    /** The loop's clock in nanoseconds ({@link IOLoop#time()}: the clock the schedule itself runs on). */
    private long now() {
        return (long) (this.loop.time() * 1e9);
    }

    private void tick() {
        // ordering: volatile read; a cancel() on another thread is seen by the next run at the latest.
        if (this.cancelled) {
            return;
        }
        long now = now();
        countOverrunSkips(now);
        // ordering: single writer (this loop thread); the volatile write publishes it to the endpoint.
        this.lastTickNanos = now;
        if (this.pending) {
            // ordering: single-writer increment, published by the volatile write.
            this.skipped = this.skipped + 1;
            return;
        }
        // ordering: single writer; volatile write for readers on other threads.
        this.lastRunStartMillis = System.currentTimeMillis();
        Object result;
        try {
            result = this.method.invoke(this.bean);
        }
        catch (InvocationTargetException ex) {
            completed(now, ex.getTargetException());
            return;
        }
        catch (IllegalAccessException ex) {
            completed(now, ex);
            return;
        }
        if (result instanceof CompletionStage<?> stage) {
            this.pending = true;
            stage.whenComplete((value, failure) -> this.loop.addCallback(() -> {
                this.pending = false;
                completed(now, failure);
            }));
        }
        else {
            completed(now, null);
        }
    }

    private void countOverrunSkips(long now) {
        // ordering: read on the loop thread that wrote it: no ordering needed.
        long last = this.lastTickNanos;
        if (last == 0) {
            return;
        }
        // The longest legitimate step is period * (1 + jitter / 2); more whole steps than one were skipped.
        double longestStep = this.period.toNanos() * (1 + this.jitter / 2);
        long missed = (long) ((now - last) / longestStep) - 1;
        if (missed > 0) {
            // ordering: single-writer increment, published by the volatile write.
            this.skipped = this.skipped + missed;
        }
    }

    private void completed(long startNanos, @Nullable Throwable failure) {
        // ordering: single-writer (loop thread) increments; each volatile write publishes its counter. runs is
        // written before errors, so a reader that reads errors first never sees more errors than runs.
        this.totalTimeNanos = this.totalTimeNanos + (now() - startNanos);
        this.runs = this.runs + 1;
        if (failure != null) {
            this.errors = this.errors + 1;
            if (failure instanceof VirtualMachineError error) {
                throw error;
            }
            logger.error("@PeriodicCallback {} on loop '{}' failed; it stays scheduled", this.id, this.loopName,
                    failure);
        }
    }

    /** @return {@code beanName#methodName} (tag {@code callback} of the meters) */
    public String getId() {
        return this.id;
    }

    /** @return the bean's name */
    public String getBeanName() {
        return this.beanName;
    }

    /** @return the method, as {@code com.acme.Jobs.tick()} */
    public String getMethod() {
        return this.method.getDeclaringClass().getName() + "." + this.method.getName() + "()";
    }

    /** @return the name of the loop the callback runs on */
    public String getLoopName() {
        return this.loopName;
    }

    /** @return the period */
    public Duration getPeriod() {
        return this.period;
    }

    /** @return the jitter, a fraction of the period in [0, 1] */
    public double getJitter() {
        return this.jitter;
    }

    /** @return the initial delay, or null when the first run comes one period after startup */
    public @Nullable Duration getInitialDelay() {
        return this.initialDelay;
    }

    /** @return completed runs, failed ones included */
    public long getRuns() {
        // ordering: volatile read.
        return this.runs;
    }

    /** @return periods skipped: after an overrun, or while a returned stage was pending */
    public long getSkipped() {
        // ordering: volatile read.
        return this.skipped;
    }

    /** @return runs that threw or whose stage failed */
    public long getErrors() {
        // ordering: volatile read.
        return this.errors;
    }

    /** @return total time spent in completed runs (until the returned stage completed), in nanoseconds */
    public long getTotalTimeNanos() {
        // ordering: volatile read.
        return this.totalTimeNanos;
    }

    /** @return when the last run started, or null before the first */
    public @Nullable Instant getLastRun() {
        // ordering: volatile read.
        long millis = this.lastRunStartMillis;
        return (millis == 0) ? null : Instant.ofEpochMilli(millis);
    }

    /** @return when the next run is expected (last run plus one period), or null before the first run or once cancelled */
    public @Nullable Instant getNextRun() {
        Instant last = getLastRun();
        return (last == null || this.cancelled) ? null : last.plus(this.period);
    }

    /** @return whether the callback is cancelled */
    public boolean isCancelled() {
        // ordering: volatile read.
        return this.cancelled;
    }
}
