package dev.ioloop.spring.boot.metrics;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import dev.ioloop.IOLoop;
import dev.ioloop.LoopStats;
import dev.ioloop.spring.boot.lifecycle.ManagedLoop;
import dev.ioloop.spring.boot.scheduling.PeriodicCallbackHolder;
import dev.ioloop.spring.boot.scheduling.ScheduledPeriodicCallback;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.jspecify.annotations.Nullable;

/**
 * Binds the loop meters (tag {@code loop} = loop name) and the {@code @PeriodicCallback} meters (tags {@code loop},
 * {@code callback} = {@code bean#method}).
 *
 * <p>Gauges and counters read {@link IOLoop#stats()} or the callbacks' own counters when scraped. The
 * {@code ioloop.lag} timer is fed from each {@link LoopLagProbe} by one daemon thread, {@code ioloop-lag-metrics},
 * that drains the probes every lag interval: no Micrometer call runs on a loop thread. {@link #close()} stops that
 * thread. Safe from any thread.
 */
public final class IOLoopMetrics implements MeterBinder, AutoCloseable {

    private final List<ManagedLoop> loops;

    private final @Nullable PeriodicCallbackHolder callbacks;

    private final Duration drainInterval;

    private final Map<ManagedLoop, List<Timer>> lagTimers = new ConcurrentHashMap<>();

    private final List<MeterRegistry> registries = new CopyOnWriteArrayList<>();

    // Guarded by this.
    private @Nullable ScheduledExecutorService drainer;

    /**
     * Creates the binder.
     * @param loops the loops to measure
     * @param callbacks the periodic callbacks to measure, or null
     * @param drainInterval how often the lag samples go to the timers
     */
    public IOLoopMetrics(List<ManagedLoop> loops, @Nullable PeriodicCallbackHolder callbacks, Duration drainInterval) {
        this.loops = List.copyOf(loops);
        this.callbacks = callbacks;
        this.drainInterval = drainInterval;
        if (callbacks != null) {
            callbacks.onRegistration((callback) -> this.registries.forEach((registry) -> bind(registry, callback)));
        }
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        for (ManagedLoop loop : this.loops) {
            bind(registry, loop);
        }
        if (this.callbacks != null) {
            this.callbacks.getPeriodicCallbacks().forEach((callback) -> bind(registry, callback));
        }
        this.registries.add(registry);
        startDrainer();
    }

    private void bind(MeterRegistry registry, ManagedLoop managed) {
        IOLoop loop = managed.loop();
        Tags tags = Tags.of("loop", managed.name());
        Timer lag = Timer.builder("ioloop.lag")
            .description("How late the loop's probe timer fired versus its deadline")
            .tags(tags)
            .register(registry);
        this.lagTimers.computeIfAbsent(managed, (key) -> new CopyOnWriteArrayList<>()).add(lag);
        LoopUtilization utilization = new LoopUtilization(loop::stats);
        Gauge.builder("ioloop.utilization", utilization, LoopUtilization::value)
            .description("Share of time the loop was busy running callbacks since the previous reading, 0 to 1")
            .tags(tags)
            .strongReference(true)
            .register(registry);
        gauge(registry, "ioloop.callbacks.pending", loop, LoopStats::pendingCallbacks, tags, "callbacks",
                "Callbacks queued on the loop, not yet run");
        gauge(registry, "ioloop.timeouts.pending", loop, LoopStats::pendingTimeouts, tags, "timeouts",
                "Timeouts scheduled on the loop, not yet due or run");
        gauge(registry, "ioloop.handlers", loop, LoopStats::handlers, tags, "handlers",
                "Channels registered with a handler on the loop");
        counter(registry, "ioloop.callbacks", loop, LoopStats::callbacksRun, tags, "callbacks",
                "Callbacks and timeouts the loop has run");
        counter(registry, "ioloop.callback.errors", loop, LoopStats::callbackErrors, tags, "errors",
                "Exceptions thrown by callbacks, timeouts and handlers on the loop");
        counter(registry, "ioloop.blocked", loop, LoopStats::blockedEvents, tags, "events",
                "Blocked-loop reports: one when an iteration passes the watchdog threshold, one more each time it doubles");
    }

    private interface StatsField {
        long read(LoopStats stats);
    }

    private static void gauge(MeterRegistry registry, String name, IOLoop loop, StatsField field, Tags tags,
            String baseUnit, String description) {
        Gauge.builder(name, loop, (l) -> field.read(l.stats()))
            .description(description)
            .baseUnit(baseUnit)
            .tags(tags)
            .strongReference(true)
            .register(registry);
    }

    private static void counter(MeterRegistry registry, String name, IOLoop loop, StatsField field, Tags tags,
            String baseUnit, String description) {
        FunctionCounter.builder(name, loop, (l) -> field.read(l.stats()))
            .description(description)
            .baseUnit(baseUnit)
            .tags(tags)
            .register(registry);
    }

    private static void bind(MeterRegistry registry, ScheduledPeriodicCallback callback) {
        Tags tags = Tags.of("loop", callback.getLoopName(), "callback", callback.getId());
        FunctionTimer.builder("ioloop.periodic", callback, ScheduledPeriodicCallback::getRuns,
                    ScheduledPeriodicCallback::getTotalTimeNanos, TimeUnit.NANOSECONDS)
            .description("Runs of a @PeriodicCallback method and their time (until a returned stage completed)")
            .tags(tags)
            .register(registry);
        FunctionCounter.builder("ioloop.periodic.skipped", callback, ScheduledPeriodicCallback::getSkipped)
            .description("Periods of a @PeriodicCallback method skipped after an overrun or while its stage was pending")
            .baseUnit("periods")
            .tags(tags)
            .register(registry);
        FunctionCounter.builder("ioloop.periodic.errors", callback, ScheduledPeriodicCallback::getErrors)
            .description("Runs of a @PeriodicCallback method that threw or whose stage failed")
            .baseUnit("errors")
            .tags(tags)
            .register(registry);
    }

    private synchronized void startDrainer() {
        if (this.drainer != null) {
            return;
        }
        ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor((runnable) -> {
            Thread thread = new Thread(runnable, "ioloop-lag-metrics");
            thread.setDaemon(true);
            return thread;
        });
        long nanos = this.drainInterval.toNanos();
        executor.scheduleWithFixedDelay(this::drain, nanos, nanos, TimeUnit.NANOSECONDS);
        this.drainer = executor;
    }

    /** Moves every pending lag sample into the {@code ioloop.lag} timers. One thread at a time. */
    synchronized void drain() {
        this.lagTimers.forEach((loop, timers) -> loop.lagProbe()
            .drain((nanos) -> timers.forEach((timer) -> timer.record(nanos, TimeUnit.NANOSECONDS))));
    }

    /** Stops the draining thread. */
    @Override
    public synchronized void close() {
        if (this.drainer != null) {
            this.drainer.shutdownNow();
            this.drainer = null;
        }
    }
}
