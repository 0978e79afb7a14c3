package dev.ioloop.spring.boot.scheduling;

import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.boot.LazyInitializationExcludeFilter;

/**
 * Keeps beans with {@link PeriodicCallback @PeriodicCallback} methods eager under
 * {@code spring.main.lazy-initialization=true}, as Boot does for {@code @Scheduled}: a lazy bean would never be
 * created, so its callbacks would never run.
 */
public class PeriodicCallbackLazyInitializationExcludeFilter implements LazyInitializationExcludeFilter {

    @Override
    public boolean isExcluded(String beanName, BeanDefinition beanDefinition, Class<?> beanType) {
        return !PeriodicCallbackAnnotationBeanPostProcessor.findAnnotatedMethods(beanType).isEmpty();
    }
}
