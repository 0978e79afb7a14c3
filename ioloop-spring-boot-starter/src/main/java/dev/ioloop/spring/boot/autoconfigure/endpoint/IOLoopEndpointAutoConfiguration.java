package dev.ioloop.spring.boot.autoconfigure.endpoint;

import dev.ioloop.spring.boot.autoconfigure.IOLoopAutoConfiguration;
import dev.ioloop.spring.boot.endpoint.IOLoopEndpoint;
import dev.ioloop.spring.boot.lifecycle.IOLoopLifecycle;
import dev.ioloop.spring.boot.lifecycle.MonitoredLoops;
import dev.ioloop.spring.boot.scheduling.PeriodicCallbackHolder;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The {@code ioloop} actuator endpoint ({@link IOLoopEndpoint}), once it is exposed, e.g. with
 * {@code management.endpoints.web.exposure.include=health,ioloop}.
 */
@AutoConfiguration(after = IOLoopAutoConfiguration.class)
@ConditionalOnClass(name = { "org.springframework.boot.actuate.endpoint.annotation.Endpoint",
        "org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint" })
@ConditionalOnBean({ IOLoopLifecycle.class, MonitoredLoops.class })
public final class IOLoopEndpointAutoConfiguration {

    // Nested, so that its condition (a class of the actuator) is only loaded once the class check passed.
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnAvailableEndpoint(IOLoopEndpoint.class)
    static class IOLoopEndpointConfiguration {

        @Bean
        @ConditionalOnMissingBean
        IOLoopEndpoint ioloopEndpoint(IOLoopLifecycle lifecycle, MonitoredLoops loops,
                ObjectProvider<PeriodicCallbackHolder> holders) {
            return new IOLoopEndpoint(lifecycle, loops, holders.orderedStream().toList());
        }
    }
}
