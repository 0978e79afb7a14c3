package dev.ioloop.spring.boot.autoconfigure.endpoint;

import dev.ioloop.spring.boot.autoconfigure.IOLoopAutoConfiguration;
import dev.ioloop.spring.boot.endpoint.IOLoopEndpoint;
import dev.ioloop.spring.boot.lifecycle.IOLoopLifecycle;
import dev.ioloop.spring.boot.scheduling.PeriodicCallbackHolder;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * The {@code ioloop} actuator endpoint ({@link IOLoopEndpoint}), once it is exposed, e.g. with
 * {@code management.endpoints.web.exposure.include=health,ioloop}.
 */
@AutoConfiguration(after = IOLoopAutoConfiguration.class)
@ConditionalOnClass(name = { "org.springframework.boot.actuate.endpoint.annotation.Endpoint",
        "org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint" })
@ConditionalOnBean(IOLoopLifecycle.class)
@ConditionalOnAvailableEndpoint(IOLoopEndpoint.class)
public final class IOLoopEndpointAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    IOLoopEndpoint ioloopEndpoint(IOLoopLifecycle lifecycle, ObjectProvider<PeriodicCallbackHolder> holders) {
        return new IOLoopEndpoint(lifecycle, holders.orderedStream().toList());
    }
}
