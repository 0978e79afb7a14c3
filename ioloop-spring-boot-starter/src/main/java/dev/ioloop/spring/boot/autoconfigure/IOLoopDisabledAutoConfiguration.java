package dev.ioloop.spring.boot.autoconfigure;

import dev.ioloop.spring.boot.scheduling.DisabledPeriodicCallbackReporter;

import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.SearchStrategy;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Role;

/**
 * What an application gets with {@code ioloop.enabled=false}: no loop, and one WARN at startup naming the
 * {@code @PeriodicCallback} methods that will therefore not run ({@link DisabledPeriodicCallbackReporter}).
 */
@AutoConfiguration
@ConditionalOnBooleanProperty(name = "ioloop.enabled", havingValue = false)
public final class IOLoopDisabledAutoConfiguration {

    @Bean
    @Role(BeanDefinition.ROLE_INFRASTRUCTURE)
    @ConditionalOnMissingBean(search = SearchStrategy.CURRENT)
    static DisabledPeriodicCallbackReporter disabledPeriodicCallbackReporter() {
        return new DisabledPeriodicCallbackReporter();
    }
}
