package dev.ioloop.spring.boot.health;

import java.time.Duration;
import java.util.stream.Stream;

import dev.ioloop.spring.boot.lifecycle.ManagedLoop;
import dev.ioloop.spring.boot.lifecycle.MonitoredLoops;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.HealthContributor;

/**
 * The {@code ioloop} health component: one {@link IOLoopHealthIndicator} per monitored loop, named after it
 * ({@code /actuator/health/ioloop/main}). Reads {@link MonitoredLoops} on every request, so a loop registered or
 * unregistered after startup (an attached one) appears or disappears with it. Safe from any thread.
 */
public final class IOLoopHealthContributor implements CompositeHealthContributor {

    private final MonitoredLoops loops;

    private final Duration lagThreshold;

    /**
     * Creates the contributor.
     * @param loops the monitored loops
     * @param lagThreshold lag at or above which a loop is DOWN
     */
    public IOLoopHealthContributor(MonitoredLoops loops, Duration lagThreshold) {
        this.loops = loops;
        this.lagThreshold = lagThreshold;
    }

    @Override
    public @Nullable HealthContributor getContributor(String name) {
        ManagedLoop loop = this.loops.find(name);
        return (loop != null) ? indicator(loop) : null;
    }

    @Override
    public Stream<Entry> stream() {
        return this.loops.loops().stream().map((loop) -> new Entry(loop.name(), indicator(loop)));
    }

    private IOLoopHealthIndicator indicator(ManagedLoop loop) {
        return new IOLoopHealthIndicator(loop, this.lagThreshold);
    }
}
