package dev.ioloop.spring.boot.metrics;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.ioloop.spring.boot.lifecycle.ManagedLoop;
import dev.ioloop.spring.boot.lifecycle.MonitoredLoops;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Binds the meters of every monitored loop, tagged {@code name} = the loop's name plus the extra tags given here
 * (as Micrometer's own binders take them): {@code ioloop.lag}, {@code ioloop.busy}, {@code ioloop.idle},
 * {@code ioloop.utilization}, {@code ioloop.callbacks.pending}, {@code ioloop.timeouts.pending},
 * {@code ioloop.handlers}, {@code ioloop.callbacks}, {@code ioloop.callbacks.errors}, {@code ioloop.blocked}.
 *
 * <p>Scrape-safe: busy and idle time are monotonic counters in seconds, so utilisation is
 * {@code rate(busy) / (rate(busy) + rate(idle))} for any number of scrapers; the {@code ioloop.utilization} gauge
 * is the last complete fixed window, which reading never moves; and all of a loop's meters read one
 * {@link dev.ioloop.LoopStats} snapshot per scrape (reused for {@value #SNAPSHOT_MAX_AGE_MILLIS} ms).
 *
 * <p>Follows {@link MonitoredLoops}: a loop registered later (an attached one) gets its meters then, and loses them
 * when unregistered. One daemon thread, {@code ioloop-metrics}, moves lag samples into the {@code ioloop.lag} timers
 * and rolls the utilisation windows every sample interval: no Micrometer call runs on a loop thread. {@link #close()}
 * stops it. Safe from any thread.
 */
public final class IOLoopMetrics implements MeterBinder, AutoCloseable {

    /** How long one {@code stats()} snapshot serves a loop's meters: far longer than a scrape takes. */
    static final long SNAPSHOT_MAX_AGE_MILLIS = 1000;

    private static final Logger logger = LoggerFactory.getLogger(IOLoopMetrics.class);

    private final MonitoredLoops loops;

    private final Tags tags;

    private final Duration sampleInterval;

    private final Duration utilizationWindow;

    private final Map<ManagedLoop, LoopMeters> bound = new ConcurrentHashMap<>();

    private final List<MeterRegistry> registries = new CopyOnWriteArrayList<>();

    // ordering: atomic compare-and-set, so that the first bindTo() subscribes exactly once.
    private final AtomicBoolean subscribed = new AtomicBoolean();

    private final MonitoredLoops.Listener listener = new MonitoredLoops.Listener() {

        @Override
        public void added(ManagedLoop loop) {
            LoopMeters meters = IOLoopMetrics.this.bound.computeIfAbsent(loop, IOLoopMetrics.this::meters);
            IOLoopMetrics.this.registries.forEach(meters::bindTo);
        }

        @Override
        public void removed(ManagedLoop loop) {
            LoopMeters meters = IOLoopMetrics.this.bound.remove(loop);
            if (meters != null) {
                meters.removeFromAll();
            }
        }
    };

    // Guarded by this.
    private @Nullable ScheduledExecutorService sampler;

    /**
     * Creates the binder; nothing is registered before {@link #bindTo}.
     * @param loops the monitored loops, followed as they come and go
     * @param tags extra tags for every meter, next to {@code name}
     * @param sampleInterval how often lag samples go to the timers (the lag probe's interval)
     * @param utilizationWindow the length of the {@code ioloop.utilization} window
     */
    public IOLoopMetrics(MonitoredLoops loops, Iterable<Tag> tags, Duration sampleInterval,
            Duration utilizationWindow) {
        this.loops = loops;
        this.tags = Tags.of(tags);
        this.sampleInterval = sampleInterval;
        this.utilizationWindow = utilizationWindow;
    }

    private LoopMeters meters(ManagedLoop loop) {
        SharedLoopStats stats = new SharedLoopStats(loop.loop()::stats, System::nanoTime,
                TimeUnit.MILLISECONDS.toNanos(SNAPSHOT_MAX_AGE_MILLIS));
        return new LoopMeters(loop, this.tags, stats, new LoopUtilization(this.utilizationWindow.toNanos()));
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        this.registries.add(registry);
        // A loop registered meanwhile is bound twice at worst: LoopMeters.bindTo is idempotent per registry.
        if (this.subscribed.compareAndSet(false, true)) {
            this.loops.subscribe(this.listener);
        }
        else {
            this.bound.values().forEach((meters) -> meters.bindTo(registry));
        }
        startSampler();
    }

    private synchronized void startSampler() {
        if (this.sampler != null) {
            return;
        }
        ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor((runnable) -> {
            Thread thread = new Thread(runnable, "ioloop-metrics");
            thread.setDaemon(true);
            return thread;
        });
        long nanos = this.sampleInterval.toNanos();
        executor.scheduleWithFixedDelay(this::sample, nanos, nanos, TimeUnit.NANOSECONDS);
        this.sampler = executor;
    }

    /** Feeds the lag timers and rolls the utilisation windows of every loop. One thread at a time. */
    synchronized void sample() {
        long now = System.nanoTime();
        for (LoopMeters meters : this.bound.values()) {
            try {
                meters.sample(now);
            }
            catch (RuntimeException ex) {
                // A scheduled executor would cancel the task silently on an exception: log it and go on.
                logger.warn("Sampling the meters of IOLoop '{}' failed; trying again next time", meters.name(), ex);
            }
        }
    }

    /** Stops the metrics thread and stops following the monitored loops; registered meters stay. */
    @Override
    public synchronized void close() {
        if (this.sampler != null) {
            this.sampler.shutdownNow();
            this.sampler = null;
        }
        this.loops.unsubscribe(this.listener);
    }
}
