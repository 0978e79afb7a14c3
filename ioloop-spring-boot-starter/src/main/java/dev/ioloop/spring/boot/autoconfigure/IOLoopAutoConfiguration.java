package dev.ioloop.spring.boot.autoconfigure;

import dev.ioloop.IOLoop;
import dev.ioloop.IOLoopGroup;
import dev.ioloop.spring.boot.lifecycle.IOLoopLifecycle;
import dev.ioloop.spring.boot.lifecycle.MonitoredLoops;
import dev.ioloop.spring.boot.scheduling.PeriodicCallbackAnnotationBeanPostProcessor;
import dev.ioloop.spring.boot.scheduling.PeriodicCallbackLazyInitializationExcludeFilter;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnSingleCandidate;
import org.springframework.boot.autoconfigure.condition.SearchStrategy;
import org.springframework.boot.autoconfigure.task.TaskExecutionAutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Role;
import org.springframework.core.io.ResourceLoader;

/**
 * The main {@link IOLoop} (loop {@code main} on thread {@code ioloop-main}, installed as {@code IOLoop.instance()}
 * unless another loop already is), the {@link IOLoopGroup} of per-thread loops when
 * {@code ioloop.group.enabled=true} (both on the backend {@code ioloop.backend} names), the {@link IOLoopLifecycle} that runs them, and
 * {@code @PeriodicCallback} processing. Each bean backs off when the application defines its own.
 *
 * <p>Ordered after {@link TaskExecutionAutoConfiguration}: an {@code IOLoop} is an {@code Executor}, and Boot creates
 * its {@code applicationTaskExecutor} only when no {@code Executor} bean is defined yet.
 */
@AutoConfiguration(after = TaskExecutionAutoConfiguration.class)
@ConditionalOnBooleanProperty(name = "ioloop.enabled", matchIfMissing = true)
@EnableConfigurationProperties(IOLoopProperties.class)
public final class IOLoopAutoConfiguration {

    private static final Logger logger = LoggerFactory.getLogger(IOLoopAutoConfiguration.class);

    /** The main loop's name: tag {@code loop} of its meters and its health component. */
    public static final String MAIN_LOOP_NAME = "main";

    // close() (inferred) is idempotent and uninstalls the loop, also when startup failed before the lifecycle
    // existed; IOLoopLifecycle, destroyed first, has already closed it after a normal stop.
    @Bean
    @ConditionalOnMissingBean
    IOLoop ioloop(IOLoopProperties properties, ResourceLoader resourceLoader) {
        IOLoop loop = IOLoop.builder()
            .name(MAIN_LOOP_NAME)
            .backend(LoopBackends.factory(properties.getBackend(), resourceLoader.getClassLoader()))
            .makeCurrent(false)
            .build();
        installIfNoneInstalled(loop);
        return loop;
    }

    /**
     * Makes the loop {@code IOLoop.instance()} unless another loop already is (another application context in
     * this JVM, such as a cached test context, or code that called {@code IOLoop.instance()} first).
     */
    private static void installIfNoneInstalled(IOLoop loop) {
        if (!IOLoop.initialized()) {
            try {
                loop.install();
                return;
            }
            catch (IllegalStateException ex) {
                // Lost a race with another installer: fall through and report it.
            }
        }
        IOLoop other = IOLoop.installed();
        logger.warn("Not installing IOLoop '{}' as IOLoop.instance(): IOLoop '{}' is installed already (another "
                + "application context in this JVM?); inject the IOLoop bean instead", loop.name(),
                other == null ? "?" : other.name());
    }

    // Only when asked for (ioloop.group.enabled=true): Tornado's model is one loop per process, and the group helps
    // only code that spreads work over it (a TCPServer on the group, @PeriodicCallback(loop = "group")). Started
    // for nobody, its loops would be threads, selectors and 10 probe wake-ups a second each, plus health components
    // and meters, that no one uses. (A lazy start on first next() would move a startup failure to the first request
    // and miss code that uses loops() directly.)
    // Closed by IOLoopLifecycle only once every group loop stopped: close() would wait for ever for a busy loop.
    @Bean(destroyMethod = "")
    @ConditionalOnMissingBean
    @ConditionalOnBooleanProperty("ioloop.group.enabled")
    IOLoopGroup ioloopGroup(IOLoopProperties properties, ResourceLoader resourceLoader) {
        return new IOLoopGroup("ioloop", properties.getGroup().getThreads(),
                LoopBackends.factory(properties.getBackend(), resourceLoader.getClassLoader()));
    }

    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnSingleCandidate(IOLoop.class)
    IOLoopLifecycle ioloopLifecycle(IOLoop ioloop, ObjectProvider<IOLoopGroup> group, IOLoopProperties properties) {
        IOLoopLifecycle.Settings settings = new IOLoopLifecycle.Settings(properties.getShutdown().getTimeout(),
                properties.getWatchdog().getThreshold(), properties.getMetrics().getLag().getInterval(),
                properties.getWatchdog().getRetainedReports());
        return new IOLoopLifecycle(ioloop, group.getIfUnique(), settings);
    }

    // CURRENT: a post-processor only processes the beans of its own context, so a child context needs its own even
    // though its parent has one (searching the hierarchy made the child back off and its callbacks never run).
    /**
     * The registry of monitored loops read by the meters, health and the endpoint: the lifecycle's loops, and those
     * attached to event loops the starter does not run.
     */
    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnBean(IOLoopLifecycle.class)
    MonitoredLoops ioloopMonitoredLoops(IOLoopLifecycle lifecycle) {
        MonitoredLoops loops = new MonitoredLoops();
        lifecycle.loops().forEach(loops::register);
        return loops;
    }

    @Bean
    @Role(BeanDefinition.ROLE_INFRASTRUCTURE)
    @ConditionalOnMissingBean(search = SearchStrategy.CURRENT)
    static PeriodicCallbackAnnotationBeanPostProcessor periodicCallbackAnnotationBeanPostProcessor() {
        return new PeriodicCallbackAnnotationBeanPostProcessor();
    }

    @Bean
    static PeriodicCallbackLazyInitializationExcludeFilter periodicCallbackLazyInitializationExcludeFilter() {
        return new PeriodicCallbackLazyInitializationExcludeFilter();
    }
}
