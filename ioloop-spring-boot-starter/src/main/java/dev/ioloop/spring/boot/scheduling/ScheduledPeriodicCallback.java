package dev.ioloop.spring.boot.scheduling;

import java.lang.reflect.Method;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.ioloop.IOLoop;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.scheduling.config.ScheduledTask;

/**
 * One {@link PeriodicCallback @PeriodicCallback} method bound to its bean and loop, with its run statistics.
 *
 * <p>The schedule is a core {@link dev.ioloop.PeriodicCallback dev.ioloop.PeriodicCallback}. Each run is counted;
 * runs the core skipped after an overrun, and periods that came while a returned {@code CompletionStage} was still
 * pending, are counted as skipped; exceptions are logged at ERROR and counted, and the schedule goes on. Each run is
 * a Micrometer {@link Observation} ({@code ioloop.periodic}, with its outcome), and its outcome is recorded on
 * Spring's {@link ScheduledTask} ({@link #getScheduledTask()}) for {@code /actuator/scheduledtasks}. The observation
 * is the one Micrometer call made on the loop thread, once per run, as Spring makes it on a {@code @Scheduled}
 * method's thread; with no observation registry it is a no-op.
 *
 * <p>Threading: runs and statistics updates happen on the loop thread only (single writer); the getters are safe
 * from any thread and may be one run behind each other.
 */
public final class ScheduledPeriodicCallback {

    private static final Logger logger = LoggerFactory.getLogger(ScheduledPeriodicCallback.class);

    private static final PeriodicCallbackObservationConvention DEFAULT_CONVENTION =
            new DefaultPeriodicCallbackObservationConvention();

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

    private final PeriodicCallbackInvoker invoker;

    private final ScheduledTask scheduledTask;

    // ordering: volatile; set by cancel() on any thread, read on the loop thread before each run.
    private volatile boolean cancelled;

    private final AtomicBoolean started = new AtomicBoolean();

    // ordering: written by start() before the loop callback that first reads them is queued (the queue publishes
    // them); volatile so a restart's values are seen too.
    private volatile ObservationRegistry observations = ObservationRegistry.NOOP;

    private volatile @Nullable PeriodicCallbackObservationConvention convention;

    // ordering: the counters below are written only on the loop thread (single writer, plain read-modify-write)
    // and published by their volatile write; readers on other threads see a recent value of each.
    private volatile long runs;

    private volatile long skipped;

    private volatile long errors;

    private volatile long totalTimeNanos;

    private volatile long lastRunStartMillis;

    private volatile long lastTickNanos;

    // ordering: written by start() and on the loop thread after each tick; read by any thread (the next run's
    // estimate, in wall-clock milliseconds, 0 before start).
    private volatile long nextRunMillis;

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
        this.invoker = new PeriodicCallbackInvoker(bean, method,
                method.getDeclaringClass().getName() + "." + method.getName(), period, firstDelay());
        this.scheduledTask = ScheduledTasks.of(this.invoker.task(), new PeriodicCallbackFuture(this));
    }

    /** The first run comes after the initial delay, or one period after the start. */
    private Duration firstDelay() {
        return (this.initialDelay != null) ? this.initialDelay : this.period;
    }

    /**
     * Starts the schedule on the loop (the core schedule is started from a loop callback). Safe from any thread;
     * only the first call has an effect.
     * @param observations where each run is observed ({@code ObservationRegistry.NOOP} for none)
     * @param convention the convention for those observations, or null for the default
     */
    void start(ObservationRegistry observations, @Nullable PeriodicCallbackObservationConvention convention) {
        // ordering: atomic compare-and-set, so concurrent starts schedule once.
        if (!this.started.compareAndSet(false, true)) {
            return;
        }
        this.observations = observations;
        this.convention = convention;
        this.nextRunMillis = System.currentTimeMillis() + firstDelay().toMillis();
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
        // ordering: single writer (this loop thread); the volatile writes publish them to the endpoint.
        this.lastTickNanos = now;
        // One wall-clock reading for the next run's estimate and the last run's start: two readings, with the
        // thread preempted between them for longer than a period, showed a next run before the last one.
        long nowMillis = System.currentTimeMillis();
        this.nextRunMillis = nowMillis + this.period.toMillis();
        if (this.pending) {
            // ordering: single-writer increment, published by the volatile write.
            this.skipped = this.skipped + 1;
            return;
        }
        // ordering: single writer; volatile write for readers on other threads.
        this.lastRunStartMillis = nowMillis;
        run(now);
    }

    /** One run inside its observation: completed now, or when the stage the method returned completes. */
    private void run(long startNanos) {
        Observation observation = Observation.createNotStarted(this.convention, DEFAULT_CONVENTION,
                () -> new PeriodicCallbackObservationContext(this), this.observations).start();
        CompletionStage<?> stage;
        try (Observation.Scope scope = observation.openScope()) {
            stage = this.invoker.invoke();
        }
        catch (Throwable ex) {
            completed(startNanos, observation, ex);
            return;
        }
        if (stage == null) {
            completed(startNanos, observation, null);
            return;
        }
        this.pending = true;
        stage.whenComplete((value, failure) -> this.loop.addCallback(() -> {
            // A dependent stage wraps its cause: report the method's own failure.
            Throwable cause = (failure instanceof CompletionException && failure.getCause() != null)
                    ? failure.getCause() : failure;
            this.pending = false;
            this.invoker.recordCompletion(cause);
            completed(startNanos, observation, cause);
        }));
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

    private void completed(long startNanos, Observation observation, @Nullable Throwable failure) {
        // ordering: single-writer (loop thread) increments; each volatile write publishes its counter. runs is
        // written before errors, so a reader that reads errors first never sees more errors than runs.
        this.totalTimeNanos = this.totalTimeNanos + (now() - startNanos);
        this.runs = this.runs + 1;
        if (failure == null) {
            if (observation.getContext() instanceof PeriodicCallbackObservationContext context) {
                context.setComplete(true);
            }
            observation.stop();
            return;
        }
        this.errors = this.errors + 1;
        observation.error(failure);
        observation.stop();
        if (failure instanceof VirtualMachineError error) {
            throw error;
        }
        logger.error("@PeriodicCallback {} on loop '{}' failed; it stays scheduled", this.id, this.loopName, failure);
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

    /**
     * @return when the next run is expected (the last period's tick plus one period, or the start plus the first
     *     delay; jitter aside), or null before the start or once cancelled
     */
    public @Nullable Instant getNextRun() {
        // ordering: volatile reads.
        long next = this.nextRunMillis;
        return (next == 0 || this.cancelled) ? null : Instant.ofEpochMilli(next);
    }

    /** @return the next run's estimate in wall-clock milliseconds, 0 before the start (for the future view) */
    long nextRunEpochMillis() {
        // ordering: volatile read.
        return this.nextRunMillis;
    }

    /** @return Spring's view of this callback, as listed by {@code /actuator/scheduledtasks} */
    public ScheduledTask getScheduledTask() {
        return this.scheduledTask;
    }

    /** @return whether the callback is cancelled */
    public boolean isCancelled() {
        // ordering: volatile read.
        return this.cancelled;
    }
}
