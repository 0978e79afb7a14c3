package dev.ioloop.spring.boot.metrics;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.ioloop.spring.boot.scheduling.PeriodicCallbackHolder;
import dev.ioloop.spring.boot.scheduling.ScheduledPeriodicCallback;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * Binds {@code ioloop.periodic.skipped} for every {@code @PeriodicCallback} method, tagged {@code name} = its loop's
 * name and {@code callback} = {@code bean#method}, plus the extra tags given here: periods skipped are not runs, so
 * the runs' observation ({@code ioloop.periodic}, a timer with {@code outcome}) does not count them. Callbacks of
 * beans created after startup get theirs when they are registered. The counter reads the callback's own count when
 * scraped. Safe from any thread.
 */
public final class PeriodicCallbackMetrics implements MeterBinder {

    private final PeriodicCallbackHolder callbacks;

    private final Tags tags;

    private final List<MeterRegistry> registries = new CopyOnWriteArrayList<>();

    // ordering: atomic compare-and-set, so that the first bindTo() listens exactly once.
    private final AtomicBoolean listening = new AtomicBoolean();

    /**
     * Creates the binder.
     * @param callbacks where the callbacks are known
     * @param tags extra tags for every meter
     */
    public PeriodicCallbackMetrics(PeriodicCallbackHolder callbacks, Iterable<Tag> tags) {
        this.callbacks = callbacks;
        this.tags = Tags.of(tags);
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        this.registries.add(registry);
        if (this.listening.compareAndSet(false, true)) {
            this.callbacks.onRegistration((callback) -> this.registries.forEach((r) -> bind(r, callback)));
        }
        this.callbacks.getPeriodicCallbacks().forEach((callback) -> bind(registry, callback));
    }

    private void bind(MeterRegistry registry, ScheduledPeriodicCallback callback) {
        Tags tags = this.tags.and("name", callback.getLoopName(), "callback", callback.getId());
        FunctionCounter.builder("ioloop.periodic.skipped", callback, ScheduledPeriodicCallback::getSkipped)
            .description("Periods of a @PeriodicCallback method skipped after an overrun or while its stage was pending")
            .tags(tags)
            .register(registry);
    }
}
