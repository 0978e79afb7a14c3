package dev.ioloop.spring.boot.autoconfigure.metrics;

import dev.ioloop.spring.boot.autoconfigure.IOLoopAutoConfiguration;
import dev.ioloop.spring.boot.autoconfigure.IOLoopProperties;
import dev.ioloop.spring.boot.lifecycle.IOLoopLifecycle;
import dev.ioloop.spring.boot.metrics.IOLoopMetrics;
import dev.ioloop.spring.boot.scheduling.PeriodicCallbackHolder;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * The ioloop meters ({@link IOLoopMetrics}), when Micrometer is on the classpath and a {@link MeterRegistry} is
 * defined. Boot binds every {@code MeterBinder} bean to the registries.
 */
@AutoConfiguration(after = IOLoopAutoConfiguration.class,
        afterName = { "org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration",
                "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration" })
@ConditionalOnClass(MeterRegistry.class)
@ConditionalOnBean({ MeterRegistry.class, IOLoopLifecycle.class })
public final class IOLoopMetricsAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    IOLoopMetrics ioloopMetrics(IOLoopLifecycle lifecycle, ObjectProvider<PeriodicCallbackHolder> callbacks,
            IOLoopProperties properties) {
        return new IOLoopMetrics(lifecycle.loops(), callbacks.getIfUnique(),
                properties.getMetrics().getLag().getInterval());
    }
}
