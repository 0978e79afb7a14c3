package dev.ioloop.spring.boot.autoconfigure.health;

import dev.ioloop.spring.boot.autoconfigure.IOLoopAutoConfiguration;
import dev.ioloop.spring.boot.autoconfigure.IOLoopProperties;
import dev.ioloop.spring.boot.health.IOLoopHealthContributor;
import dev.ioloop.spring.boot.lifecycle.MonitoredLoops;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The {@code ioloop} health contributor ({@link IOLoopHealthContributor}): one component per monitored loop
 * ({@code /actuator/health/ioloop/main}, {@code .../ioloop/ioloop-1}, ...), attached loops included. Switched off
 * by {@code management.health.ioloop.enabled=false}.
 */
@AutoConfiguration(after = IOLoopAutoConfiguration.class)
@ConditionalOnClass(name = { "org.springframework.boot.health.contributor.HealthIndicator",
        "org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator" })
@ConditionalOnBean(MonitoredLoops.class)
public final class IOLoopHealthContributorAutoConfiguration {

    // Nested, so that its condition (a class of spring-boot-health) is only loaded once the class check passed.
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnEnabledHealthIndicator("ioloop")
    static class IOLoopHealthContributorConfiguration {

        @Bean
        @ConditionalOnMissingBean(name = "ioloopHealthContributor")
        CompositeHealthContributor ioloopHealthContributor(MonitoredLoops loops, IOLoopProperties properties) {
            return new IOLoopHealthContributor(loops, properties.getHealth().getLagThreshold());
        }
    }
}
