package dev.ioloop.spring.boot.metrics;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;

import dev.ioloop.LoopStats;
import dev.ioloop.spring.boot.lifecycle.ManagedLoop;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import org.jspecify.annotations.Nullable;

/**
 * The meters of one monitored loop, in every registry they are bound to. All of them read one
 * {@link SharedLoopStats}; the lag timers are fed and the utilisation window rolled by the metrics thread.
 *
 * <p>Counts of things (callbacks, timeouts, handlers, reports) carry no base unit, as Micrometer's Netty
 * event-executor binder ({@code netty.eventexecutor.tasks.pending}) does, so Prometheus names never repeat a word;
 * times are in seconds.
 *
 * <p>Threading: {@link #bindTo} and {@link #removeFromAll} from any thread; {@link #sample} from the metrics thread
 * only.
 */
final class LoopMeters {

    // Micrometer's BaseUnits has no seconds; its time-based binders spell it so.
    private static final String SECONDS = "seconds";

    private final ManagedLoop loop;

    private final Tags tags;

    private final SharedLoopStats stats;

    private final LoopUtilization utilization;

    // Registries this loop is bound to, with the meters registered in each (lag timer first).
    private final Map<MeterRegistry, List<Meter>> meters = new ConcurrentHashMap<>();

    LoopMeters(ManagedLoop loop, Tags tags, SharedLoopStats stats, LoopUtilization utilization) {
        this.loop = loop;
        this.tags = tags.and("name", loop.name());
        this.stats = stats;
        this.utilization = utilization;
    }

    /** @return the loop's name */
    String name() {
        return this.loop.name();
    }

    /** Registers the loop's meters in {@code registry}, once. */
    void bindTo(MeterRegistry registry) {
        this.meters.computeIfAbsent(registry, this::register);
    }

    private List<Meter> register(MeterRegistry registry) {
        List<Meter> registered = new ArrayList<>();
        registered.add(Timer.builder("ioloop.lag")
            .description("How late the loop's probe timer fired versus its deadline")
            .tags(this.tags)
            .register(registry));
        registered.add(counter(registry, "ioloop.busy", (s) -> s.busyNanos() / 1e9, SECONDS,
                "Time the loop thread spent running callbacks, timeouts and handlers, not waiting"));
        registered.add(counter(registry, "ioloop.idle", (s) -> s.idleNanos() / 1e9, SECONDS,
                "Time the loop thread spent waiting for I/O or the next timeout"));
        registered.add(Gauge.builder("ioloop.utilization", this.utilization, LoopUtilization::value)
            .description("Share of the last complete utilization window the loop was busy, 0 to 1")
            .tags(this.tags)
            .strongReference(true)
            .register(registry));
        registered.add(gauge(registry, "ioloop.callbacks.pending", LoopStats::pendingCallbacks,
                "Callbacks queued on the loop, not yet run"));
        registered.add(gauge(registry, "ioloop.timeouts.pending", LoopStats::pendingTimeouts,
                "Timeouts scheduled on the loop, not yet due or run"));
        registered.add(gauge(registry, "ioloop.handlers", LoopStats::handlers,
                "Channels registered with a handler on the loop"));
        registered.add(counter(registry, "ioloop.callbacks", LoopStats::callbacksRun, null,
                "Callbacks, timeouts and handler calls the loop has run"));
        registered.add(counter(registry, "ioloop.callbacks.errors", LoopStats::callbackErrors, null,
                "Exceptions thrown by callbacks, timeouts and handlers on the loop"));
        registered.add(counter(registry, "ioloop.blocked", LoopStats::blockedEvents, null,
                "Blocked-loop reports: one when an iteration passes the watchdog threshold, one more each time it "
                        + "doubles"));
        return List.copyOf(registered);
    }

    private Meter gauge(MeterRegistry registry, String name, ToDoubleFunction<LoopStats> field, String description) {
        return Gauge.builder(name, this.stats, (shared) -> field.applyAsDouble(shared.get()))
            .description(description)
            .tags(this.tags)
            .strongReference(true)
            .register(registry);
    }

    private Meter counter(MeterRegistry registry, String name, ToDoubleFunction<LoopStats> field,
            @Nullable String baseUnit, String description) {
        // The binder keeps this object (and its SharedLoopStats) reachable: a FunctionCounter holds it weakly.
        return FunctionCounter.builder(name, this.stats, (shared) -> field.applyAsDouble(shared.get()))
            .description(description)
            .baseUnit(baseUnit)
            .tags(this.tags)
            .register(registry);
    }

    /** Removes the loop's meters from every registry. */
    void removeFromAll() {
        this.meters.forEach((registry, registered) -> registered.forEach(registry::remove));
        this.meters.clear();
    }

    /**
     * Moves the lag samples into the lag timers and rolls the utilisation window. Metrics thread only.
     * @param nowNanos the metrics thread's monotonic clock
     */
    void sample(long nowNanos) {
        List<Timer> timers = new ArrayList<>(this.meters.size());
        this.meters.values().forEach((registered) -> timers.add((Timer) registered.get(0)));
        this.loop.lagProbe().drain((nanos) -> timers.forEach((timer) -> timer.record(nanos, TimeUnit.NANOSECONDS)));
        this.utilization.sample(this.loop.loop()::stats, nowNanos);
    }
}
