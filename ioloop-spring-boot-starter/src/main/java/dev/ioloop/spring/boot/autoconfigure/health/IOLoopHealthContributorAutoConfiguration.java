package dev.ioloop.spring.boot.autoconfigure.health;

import java.util.LinkedHashMap;
import java.util.Map;

import dev.ioloop.spring.boot.autoconfigure.IOLoopAutoConfiguration;
import dev.ioloop.spring.boot.autoconfigure.IOLoopProperties;
import dev.ioloop.spring.boot.health.IOLoopHealthIndicator;
import dev.ioloop.spring.boot.lifecycle.IOLoopLifecycle;
import dev.ioloop.spring.boot.lifecycle.ManagedLoop;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The {@code ioloop} health contributor: one {@link IOLoopHealthIndicator} per loop
 * ({@code /actuator/health/ioloop/main}, {@code .../ioloop/ioloop-1}, ...). Switched off by
 * {@code management.health.ioloop.enabled=false}.
 */
@AutoConfiguration(after = IOLoopAutoConfiguration.class)
@ConditionalOnClass(name = { "org.springframework.boot.health.contributor.HealthIndicator",
        "org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator" })
@ConditionalOnBean(IOLoopLifecycle.class)
public final class IOLoopHealthContributorAutoConfiguration {

    // Nested, so that its condition (a class of spring-boot-health) is only loaded once the class check passed.
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnEnabledHealthIndicator("ioloop")
    static class IOLoopHealthContributorConfiguration {

        @Bean
        @ConditionalOnMissingBean(name = "ioloopHealthContributor")
        CompositeHealthContributor ioloopHealthContributor(IOLoopLifecycle lifecycle, IOLoopProperties properties) {
            Map<String, HealthIndicator> indicators = new LinkedHashMap<>();
            for (ManagedLoop loop : lifecycle.loops()) {
                indicators.put(loop.name(),
                        new IOLoopHealthIndicator(loop, lifecycle::state, properties.getHealth().getLagThreshold()));
            }
            return CompositeHealthContributor.fromMap(indicators);
        }
    }
}
