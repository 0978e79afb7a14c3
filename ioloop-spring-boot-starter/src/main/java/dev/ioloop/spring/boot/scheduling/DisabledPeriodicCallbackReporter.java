package dev.ioloop.spring.boot.scheduling;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.TreeSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.aop.framework.AopProxyUtils;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.context.ApplicationContext;
import org.springframework.context.ApplicationContextAware;
import org.springframework.context.ApplicationListener;
import org.springframework.context.event.ContextRefreshedEvent;

/**
 * Registered instead of {@link PeriodicCallbackAnnotationBeanPostProcessor} when {@code ioloop.enabled=false}: finds
 * the {@link PeriodicCallback @PeriodicCallback} methods that will therefore never run and says so in one WARN line
 * when the context is refreshed (or when the first such bean is created afterwards), instead of silence.
 *
 * <p>Threading: bean callbacks come from the container; safe from any thread.
 */
public class DisabledPeriodicCallbackReporter
        implements BeanPostProcessor, ApplicationContextAware, ApplicationListener<ContextRefreshedEvent> {

    private static final Logger logger = LoggerFactory.getLogger(DisabledPeriodicCallbackReporter.class);

    // Guarded by itself; sorted, so the report reads the same on every run.
    private final Set<String> methods = new TreeSet<>();

    // ordering: atomic compare-and-set: one WARN, whichever thread finds the first method after the refresh.
    private final AtomicBoolean warned = new AtomicBoolean();

    // ordering: volatile; set on the refresh event, read when later beans are created.
    private volatile boolean refreshed;

    private @Nullable ApplicationContext applicationContext;

    @Override
    public void setApplicationContext(ApplicationContext applicationContext) {
        this.applicationContext = applicationContext;
    }

    @Override
    public Object postProcessAfterInitialization(Object bean, String beanName) {
        Set<Method> annotated = PeriodicCallbackAnnotationBeanPostProcessor
            .findAnnotatedMethods(AopProxyUtils.ultimateTargetClass(bean)).keySet();
        if (annotated.isEmpty()) {
            return bean;
        }
        synchronized (this.methods) {
            for (Method method : annotated) {
                this.methods.add(method.getDeclaringClass().getName() + "." + method.getName() + "()");
            }
        }
        // ordering: volatile read; a bean created after the refresh reports at once.
        if (this.refreshed) {
            warnOnce();
        }
        return bean;
    }

    @Override
    public void onApplicationEvent(ContextRefreshedEvent event) {
        if (event.getApplicationContext() != this.applicationContext) {
            return;
        }
        // ordering: volatile write before reporting what was found so far.
        this.refreshed = true;
        warnOnce();
    }

    private void warnOnce() {
        List<String> found;
        synchronized (this.methods) {
            found = new ArrayList<>(this.methods);
        }
        if (found.isEmpty() || !this.warned.compareAndSet(false, true)) {
            return;
        }
        logger.warn("ioloop.enabled=false: {} @PeriodicCallback method(s) will not run, as there is no loop: {}. "
                + "Remove ioloop.enabled=false (or set it to true) to run them.", found.size(), found);
    }
}
