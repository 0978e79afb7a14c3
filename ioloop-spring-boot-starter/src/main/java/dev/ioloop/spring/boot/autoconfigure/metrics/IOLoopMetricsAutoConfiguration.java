package dev.ioloop.spring.boot.autoconfigure.metrics;

import dev.ioloop.spring.boot.autoconfigure.IOLoopAutoConfiguration;
import dev.ioloop.spring.boot.autoconfigure.IOLoopProperties;
import dev.ioloop.spring.boot.lifecycle.MonitoredLoops;
import dev.ioloop.spring.boot.metrics.IOLoopMetrics;
import dev.ioloop.spring.boot.metrics.PeriodicCallbackMetrics;
import dev.ioloop.spring.boot.scheduling.PeriodicCallbackHolder;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnSingleCandidate;
import org.springframework.context.annotation.Bean;

/**
 * The ioloop meters ({@link IOLoopMetrics}, {@link PeriodicCallbackMetrics}), when Micrometer is on the classpath
 * and a {@link MeterRegistry} is defined. Boot binds every {@code MeterBinder} bean to the registries, and its
 * {@code management.metrics.tags.*} common tags apply to these meters too.
 */
@AutoConfiguration(after = IOLoopAutoConfiguration.class,
        afterName = { "org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration",
                "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration" })
@ConditionalOnClass(MeterRegistry.class)
@ConditionalOnBean({ MeterRegistry.class, MonitoredLoops.class })
public final class IOLoopMetricsAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    IOLoopMetrics ioloopMetrics(MonitoredLoops loops, IOLoopProperties properties) {
        return new IOLoopMetrics(loops, Tags.empty(), properties.getMetrics().getLag().getInterval(),
                properties.getMetrics().getUtilization().getWindow());
    }

    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnSingleCandidate(PeriodicCallbackHolder.class)
    PeriodicCallbackMetrics periodicCallbackMetrics(PeriodicCallbackHolder callbacks) {
        return new PeriodicCallbackMetrics(callbacks, Tags.empty());
    }
}
