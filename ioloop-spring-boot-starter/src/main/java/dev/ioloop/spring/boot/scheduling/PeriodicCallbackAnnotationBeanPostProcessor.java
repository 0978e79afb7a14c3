package dev.ioloop.spring.boot.scheduling;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

import dev.ioloop.IOLoop;
import dev.ioloop.IOLoopGroup;
import io.micrometer.observation.ObservationRegistry;
import org.jspecify.annotations.Nullable;

import org.springframework.aop.framework.AopInfrastructureBean;
import org.springframework.aop.framework.AopProxyUtils;
import org.springframework.aop.support.AopUtils;
import org.springframework.beans.BeansException;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.BeanFactoryAware;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.config.DestructionAwareBeanPostProcessor;
import org.springframework.boot.convert.DurationStyle;
import org.springframework.context.ApplicationContext;
import org.springframework.context.ApplicationContextAware;
import org.springframework.context.ApplicationListener;
import org.springframework.context.EmbeddedValueResolverAware;
import org.springframework.context.event.ContextRefreshedEvent;
import org.springframework.core.MethodIntrospector;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.core.annotation.AnnotationUtils;
import org.springframework.scheduling.config.ScheduledTask;
import org.springframework.scheduling.config.ScheduledTaskHolder;
import org.springframework.util.ReflectionUtils;
import org.springframework.util.StringValueResolver;

/**
 * Finds {@link PeriodicCallback @PeriodicCallback} methods on beans, validates them when the bean is created, starts
 * them when the context is refreshed (immediately for beans created later) and cancels them when their bean is
 * destroyed.
 *
 * <p>The loops are looked up lazily through the bean factory ({@code "main"}: the {@link IOLoop} bean;
 * {@code "group"} or a group loop's name: the {@link IOLoopGroup} bean), so registering this post-processor creates
 * no loop. Invalid methods throw {@link InvalidPeriodicCallbackException}.
 *
 * <p>Each run is observed by the context's {@code ObservationRegistry} (with a
 * {@link PeriodicCallbackObservationConvention} bean if there is one), and the callbacks are Spring
 * {@link ScheduledTaskHolder} tasks, so {@code /actuator/scheduledtasks} lists them next to {@code @Scheduled}
 * methods (as fixed-rate tasks with their period, initial delay, last execution and its outcome, next execution).
 *
 * <p>Threading: bean callbacks come from the container; {@link #getPeriodicCallbacks()} and
 * {@link #getScheduledTasks()} are safe from any thread.
 */
public class PeriodicCallbackAnnotationBeanPostProcessor implements DestructionAwareBeanPostProcessor,
        BeanFactoryAware, ApplicationContextAware, EmbeddedValueResolverAware,
        ApplicationListener<ContextRefreshedEvent>, DisposableBean, PeriodicCallbackHolder, ScheduledTaskHolder,
        Ordered {

    private static final String DURATION_ACTION = "Use a Duration such as \"500ms\", \"10s\" or \"PT1M\"";

    private @Nullable BeanFactory beanFactory;

    private @Nullable ApplicationContext applicationContext;

    private @Nullable StringValueResolver valueResolver;

    private final Set<Class<?>> nonAnnotatedClasses = ConcurrentHashMap.newKeySet();

    private final List<ScheduledPeriodicCallback> callbacks = new CopyOnWriteArrayList<>();

    private final List<Consumer<ScheduledPeriodicCallback>> listeners = new CopyOnWriteArrayList<>();

    // ordering: volatile; set on the refresh event, read when later beans are created on other threads.
    private volatile boolean refreshed;

    @Override
    public void setBeanFactory(BeanFactory beanFactory) {
        this.beanFactory = beanFactory;
    }

    @Override
    public void setApplicationContext(ApplicationContext applicationContext) {
        this.applicationContext = applicationContext;
    }

    @Override
    public void setEmbeddedValueResolver(StringValueResolver resolver) {
        this.valueResolver = resolver;
    }

    @Override
    public int getOrder() {
        return LOWEST_PRECEDENCE;
    }

    /**
     * Finds the annotated methods of a class (on the class, its superclasses and interfaces).
     * @param type the class to inspect
     * @return each annotated method with its merged annotation
     */
    static Map<Method, PeriodicCallback> findAnnotatedMethods(Class<?> type) {
        if (!AnnotationUtils.isCandidateClass(type, PeriodicCallback.class)) {
            return Map.of();
        }
        return MethodIntrospector.selectMethods(type, (MethodIntrospector.MetadataLookup<PeriodicCallback>) (
                method) -> AnnotatedElementUtils.findMergedAnnotation(method, PeriodicCallback.class));
    }

    @Override
    public Object postProcessAfterInitialization(Object bean, String beanName) throws BeansException {
        if (bean instanceof AopInfrastructureBean || bean instanceof IOLoop || bean instanceof IOLoopGroup) {
            return bean;
        }
        Class<?> targetClass = AopProxyUtils.ultimateTargetClass(bean);
        if (this.nonAnnotatedClasses.contains(targetClass)) {
            return bean;
        }
        Map<Method, PeriodicCallback> methods = findAnnotatedMethods(targetClass);
        if (methods.isEmpty()) {
            this.nonAnnotatedClasses.add(targetClass);
            return bean;
        }
        List<ScheduledPeriodicCallback> created = new ArrayList<>();
        methods.forEach((method, annotation) -> created.add(create(bean, beanName, method, annotation)));
        for (ScheduledPeriodicCallback callback : created) {
            this.callbacks.add(callback);
            this.listeners.forEach((listener) -> listener.accept(callback));
            // ordering: the add() above (a volatile write inside CopyOnWriteArrayList) comes before this volatile
            // read, and the event writes refreshed before iterating the list: with a bean created concurrently
            // with the refresh, at least one side starts the callback; start() is idempotent if both do.
            if (this.refreshed) {
                start(callback);
            }
        }
        return bean;
    }

    private ScheduledPeriodicCallback create(Object bean, String beanName, Method method, PeriodicCallback annotation) {
        String name = method.getDeclaringClass().getName() + "." + method.getName() + "()";
        if (method.getParameterCount() != 0) {
            throw new InvalidPeriodicCallbackException(name, null, method.toGenericString(),
                    "must have no parameters", "Remove the parameters of " + name
                            + ": a @PeriodicCallback method is called with none.", null);
        }
        Duration period = parseDuration(name, "period", annotation.period());
        if (period == null || period.isZero() || period.isNegative()) {
            throw new InvalidPeriodicCallbackException(name, "period", annotation.period(), "must be positive",
                    "Set attribute 'period' of @PeriodicCallback on " + name + " to a positive Duration such as "
                            + "\"500ms\", \"10s\" or \"PT1M\".", null);
        }
        double jitter = parseJitter(name, annotation.jitter());
        Duration initialDelay = parseDuration(name, "initialDelay", annotation.initialDelay());
        if (initialDelay != null && initialDelay.isNegative()) {
            throw new InvalidPeriodicCallbackException(name, "initialDelay", annotation.initialDelay(),
                    "must not be negative", "Set attribute 'initialDelay' of @PeriodicCallback on " + name
                            + " to zero or a positive Duration, or leave it empty.", null);
        }
        String loopName = resolve(name, "loop", annotation.loop());
        IOLoop loop = findLoop(name, annotation.loop(), loopName);
        Method invocable;
        try {
            invocable = AopUtils.selectInvocableMethod(method, bean.getClass());
        }
        catch (IllegalStateException ex) {
            // A JDK proxy without the method on an interface, or a private method on a CGLIB proxy: Spring's
            // message says what to change; the failure report names the method.
            throw new InvalidPeriodicCallbackException(name, null, null, "cannot be invoked through the bean's proxy",
                    String.valueOf(ex.getMessage()), ex);
        }
        if (!Modifier.isPublic(invocable.getModifiers()) || !Modifier.isPublic(invocable.getDeclaringClass().getModifiers())) {
            ReflectionUtils.makeAccessible(invocable);
        }
        // The loop's own name, not the attribute: "main" may name an application-defined loop called otherwise, and
        // the endpoint and the meters match callbacks to loops by that name.
        return new ScheduledPeriodicCallback(beanName, bean, invocable, loop, loop.name(), period, jitter,
                initialDelay);
    }

    private String resolve(String method, String attribute, String value) {
        StringValueResolver resolver = this.valueResolver;
        if (resolver == null) {
            return value;
        }
        String resolved;
        try {
            resolved = resolver.resolveStringValue(value);
        }
        catch (IllegalArgumentException ex) {
            throw unresolvable(method, attribute, value, ex);
        }
        // The context's default resolver leaves unknown placeholders in place instead of throwing.
        if (resolved != null && resolved.contains("${")) {
            throw unresolvable(method, attribute, value, null);
        }
        return (resolved != null) ? resolved.trim() : "";
    }

    private static InvalidPeriodicCallbackException unresolvable(String method, String attribute, String value,
            @Nullable Throwable cause) {
        return new InvalidPeriodicCallbackException(method, attribute, value,
                "has a placeholder that cannot be resolved", "Define the property used by attribute '" + attribute
                        + "' of @PeriodicCallback on " + method + ", or give the placeholder a default "
                        + "(${key:default}).", cause);
    }

    private @Nullable Duration parseDuration(String method, String attribute, String value) {
        String resolved = resolve(method, attribute, value);
        if (resolved.isEmpty()) {
            return null;
        }
        try {
            return DurationStyle.detectAndParse(resolved);
        }
        catch (IllegalArgumentException ex) {
            throw new InvalidPeriodicCallbackException(method, attribute, value(value, resolved),
                    "is not a Duration", DURATION_ACTION + " for attribute '" + attribute
                            + "' of @PeriodicCallback on " + method + ".", ex);
        }
    }

    private double parseJitter(String method, String value) {
        String resolved = resolve(method, "jitter", value);
        double jitter;
        try {
            jitter = Double.parseDouble(resolved);
        }
        catch (NumberFormatException ex) {
            jitter = Double.NaN;
        }
        if (!(jitter >= 0 && jitter <= 1)) {
            throw new InvalidPeriodicCallbackException(method, "jitter", value(value, resolved),
                    "must be a number from 0 to 1", "Set attribute 'jitter' of @PeriodicCallback on " + method
                            + " to a fraction of the period between 0 and 1, such as \"0.1\".", null);
        }
        return jitter;
    }

    private static String value(String written, String resolved) {
        return written.equals(resolved) ? written : written + "' resolved to '" + resolved;
    }

    private IOLoop findLoop(String method, String written, String loopName) {
        BeanFactory factory = this.beanFactory;
        IOLoop main = (factory != null) ? factory.getBeanProvider(IOLoop.class).getIfUnique() : null;
        IOLoopGroup group = (factory != null) ? factory.getBeanProvider(IOLoopGroup.class).getIfUnique() : null;
        if ("main".equals(loopName) && main != null) {
            return main;
        }
        if ("group".equals(loopName) && group != null) {
            return group.next();
        }
        List<String> known = new ArrayList<>();
        if (main != null) {
            known.add("main");
        }
        if (group != null) {
            known.add("group");
            for (IOLoop loop : group.loops()) {
                if (loop.name().equals(loopName)) {
                    return loop;
                }
                known.add(loop.name());
            }
        }
        throw new InvalidPeriodicCallbackException(method, "loop", value(written, loopName),
                "names no loop of this application", "Set attribute 'loop' of @PeriodicCallback on " + method
                        + " to one of " + known + " (the group exists only with ioloop.group.enabled=true).", null);
    }

    /** Starts every callback registered so far, once, when this post-processor's own context is refreshed. */
    @Override
    public void onApplicationEvent(ContextRefreshedEvent event) {
        // ordering: volatile read; the event is published once per refresh, on one thread.
        if (event.getApplicationContext() != this.applicationContext || this.refreshed) {
            return;
        }
        // ordering: volatile write first, so a bean created concurrently starts its own callbacks.
        this.refreshed = true;
        for (ScheduledPeriodicCallback callback : this.callbacks) {
            start(callback);
        }
    }

    /** Starts a callback, observed by the context's ObservationRegistry (looked up now: every singleton exists). */
    private void start(ScheduledPeriodicCallback callback) {
        BeanFactory factory = this.beanFactory;
        if (factory == null) {
            callback.start(ObservationRegistry.NOOP, null);
            return;
        }
        callback.start(factory.getBeanProvider(ObservationRegistry.class).getIfUnique(() -> ObservationRegistry.NOOP),
                factory.getBeanProvider(PeriodicCallbackObservationConvention.class).getIfUnique());
    }

    @Override
    public boolean requiresDestruction(Object bean) {
        for (ScheduledPeriodicCallback callback : this.callbacks) {
            if (callback.bean() == bean) {
                return true;
            }
        }
        return false;
    }

    @Override
    public void postProcessBeforeDestruction(Object bean, String beanName) {
        for (ScheduledPeriodicCallback callback : this.callbacks) {
            if (callback.bean() == bean) {
                callback.cancel();
                this.callbacks.remove(callback);
            }
        }
    }

    /** Cancels every callback. */
    @Override
    public void destroy() {
        for (ScheduledPeriodicCallback callback : this.callbacks) {
            callback.cancel();
        }
        this.callbacks.clear();
    }

    @Override
    public List<ScheduledPeriodicCallback> getPeriodicCallbacks() {
        return List.copyOf(this.callbacks);
    }

    /** @return Spring's view of every callback, for {@code /actuator/scheduledtasks} (a snapshot) */
    @Override
    public Set<ScheduledTask> getScheduledTasks() {
        Set<ScheduledTask> tasks = new LinkedHashSet<>();
        for (ScheduledPeriodicCallback callback : this.callbacks) {
            tasks.add(callback.getScheduledTask());
        }
        return tasks;
    }

    @Override
    public void onRegistration(Consumer<ScheduledPeriodicCallback> listener) {
        this.listeners.add(listener);
    }
}
