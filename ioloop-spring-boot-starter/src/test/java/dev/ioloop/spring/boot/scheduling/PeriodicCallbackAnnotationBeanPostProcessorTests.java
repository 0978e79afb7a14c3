package dev.ioloop.spring.boot.scheduling;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import dev.ioloop.IOLoop;
import dev.ioloop.spring.boot.autoconfigure.IOLoopAutoConfiguration;
import org.aopalliance.intercept.MethodInterceptor;
import org.junit.jupiter.api.Test;

import org.springframework.aop.framework.ProxyFactory;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.beans.factory.support.DefaultListableBeanFactory;
import org.springframework.boot.LazyInitializationBeanFactoryPostProcessor;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class PeriodicCallbackAnnotationBeanPostProcessorTests {

    private static final Duration WAIT = Duration.ofSeconds(30);

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(IOLoopAutoConfiguration.class))
        .withPropertyValues("ioloop.group.enabled=true", "ioloop.group.threads=2");

    @Test
    void runsAnnotatedMethodOnTheMainLoopThread() {
        this.runner.withBean("jobs", Jobs.class).run((context) -> {
            Jobs jobs = context.getBean(Jobs.class);
            await().atMost(WAIT).until(() -> jobs.runs.get() >= 3);
            assertThat(jobs.threads).containsOnly("ioloop-main");
            ScheduledPeriodicCallback callback = single(context);
            assertThat(callback.getId()).isEqualTo("jobs#tick");
            assertThat(callback.getLoopName()).isEqualTo("main");
            assertThat(callback.getMethod()).isEqualTo(Jobs.class.getName() + ".tick()");
            assertThat(callback.getPeriod()).isEqualTo(Duration.ofMillis(10));
            assertThat(callback.getRuns()).isGreaterThanOrEqualTo(3);
            // Last run first: the next run is read later, so it can only be from that run or a later one.
            java.time.Instant lastRun = callback.getLastRun();
            assertThat(lastRun).isNotNull();
            assertThat(callback.getNextRun()).isAfter(lastRun);
        });
    }

    @Test
    void mainNamesTheApplicationsOwnLoopAndTheCallbackCarriesThatLoopsName() {
        this.runner.withBean("jobs", Jobs.class)
            .withBean("myLoop", IOLoop.class, () -> IOLoop.builder().name("mine").makeCurrent(false).build())
            .run((context) -> {
                Jobs jobs = context.getBean(Jobs.class);
                await().atMost(WAIT).until(() -> jobs.runs.get() >= 1);
                assertThat(jobs.threads).containsOnly("ioloop-main");
                // The endpoint lists, and the meters tag, a callback under this name: it must be the loop's.
                assertThat(single(context).getLoopName()).isEqualTo("mine");
            });
    }

    @Test
    void resolvesPlaceholdersInEveryAttribute() {
        this.runner.withBean("jobs", PlaceholderJobs.class)
            .withPropertyValues("jobs.period=PT0.01S", "jobs.jitter=0.2", "jobs.loop=ioloop-2", "jobs.delay=0ms")
            .run((context) -> {
                PlaceholderJobs jobs = context.getBean(PlaceholderJobs.class);
                await().atMost(WAIT).until(() -> jobs.runs.get() >= 2);
                assertThat(jobs.threads).containsOnly("ioloop-2");
                ScheduledPeriodicCallback callback = single(context);
                assertThat(callback.getPeriod()).isEqualTo(Duration.ofMillis(10));
                assertThat(callback.getJitter()).isEqualTo(0.2);
                assertThat(callback.getInitialDelay()).isEqualTo(Duration.ZERO);
                assertThat(callback.getLoopName()).isEqualTo("ioloop-2");
            });
    }

    @Test
    void groupPinsTheCallbackToOneGroupLoop() {
        this.runner.withBean("jobs", GroupJobs.class).run((context) -> {
            GroupJobs jobs = context.getBean(GroupJobs.class);
            await().atMost(WAIT).until(() -> jobs.runs.get() >= 3);
            assertThat(jobs.threads).hasSize(1);
            String thread = jobs.threads.iterator().next();
            assertThat(thread).isIn("ioloop-1", "ioloop-2");
            assertThat(single(context).getLoopName()).isEqualTo(thread);
        });
    }

    @Test
    void initialDelayRunsTheFirstRunBeforeTheFirstPeriod() {
        this.runner.withBean("jobs", DelayedJobs.class).run((context) -> {
            DelayedJobs jobs = context.getBean(DelayedJobs.class);
            await().atMost(WAIT).until(() -> jobs.runs.get() == 1);
        });
    }

    @Test
    void exceptionIsCountedAndTheNextRunStillHappens() {
        this.runner.withBean("jobs", FailingJobs.class).run((context) -> {
            FailingJobs jobs = context.getBean(FailingJobs.class);
            await().atMost(WAIT).until(() -> jobs.runs.get() >= 3);
            ScheduledPeriodicCallback callback = single(context);
            await().atMost(WAIT).until(() -> callback.getErrors() >= 3);
            long errors = callback.getErrors(); // read first: runs is counted before errors
            assertThat(callback.getRuns()).isGreaterThanOrEqualTo(errors);
        });
    }

    @Test
    void methodReturningAStageIsNotRunAgainBeforeTheStageCompletes() {
        this.runner.withBean("jobs", AsyncJobs.class).run((context) -> {
            AsyncJobs jobs = context.getBean(AsyncJobs.class);
            ScheduledPeriodicCallback callback = single(context);
            await().atMost(WAIT).until(() -> jobs.invocations.get() == 1);
            await().atMost(WAIT).until(() -> callback.getSkipped() >= 3);
            assertThat(jobs.invocations.get()).isEqualTo(1);
            assertThat(callback.getRuns()).isZero();
            jobs.stage.get().complete(null);
            await().atMost(WAIT).until(() -> jobs.invocations.get() >= 2);
            assertThat(callback.getRuns()).isGreaterThanOrEqualTo(1);
        });
    }

    @Test
    void failedStageIsCountedAsAnError() {
        this.runner.withBean("jobs", AsyncJobs.class).run((context) -> {
            AsyncJobs jobs = context.getBean(AsyncJobs.class);
            ScheduledPeriodicCallback callback = single(context);
            await().atMost(WAIT).until(() -> jobs.invocations.get() == 1);
            jobs.stage.get().completeExceptionally(new IllegalStateException("expected by the test"));
            await().atMost(WAIT).until(() -> callback.getErrors() == 1);
        });
    }

    @Test
    void runsThroughTheAopProxyOfTheBean() {
        this.runner.withBean("jobs", Jobs.class).withUserConfiguration(ProxyingConfiguration.class).run((context) -> {
            Jobs jobs = context.getBean(Jobs.class);
            assertThat(org.springframework.aop.support.AopUtils.isAopProxy(jobs)).isTrue();
            await().atMost(WAIT).until(() -> ProxyingConfiguration.intercepted.get() >= 2);
        });
    }

    @Test
    void methodOutOfReachOfTheBeansJdkProxyFailsStartupNamingTheMethod() {
        this.runner.withBean("jobs", InterfaceJobs.class).withUserConfiguration(JdkProxyingConfiguration.class)
            .run((context) -> {
                assertThat(context).hasFailed();
                assertThat(context.getStartupFailure()).rootCause().isInstanceOf(IllegalStateException.class);
                Throwable cause = context.getStartupFailure();
                while (cause != null && !(cause instanceof InvalidPeriodicCallbackException)) {
                    cause = cause.getCause();
                }
                assertThat(cause).isNotNull()
                    .hasMessage("Invalid @PeriodicCallback method '" + InterfaceJobs.class.getName()
                            + ".tick()': the method cannot be invoked through the bean's proxy");
            });
    }

    @Test
    void beansWithCallbacksStayEagerUnderLazyInitialization() {
        this.runner.withBean("jobs", Jobs.class)
            .withBean("lazy", LazyBean.class)
            .withInitializer((context) -> context.addBeanFactoryPostProcessor(
                    new LazyInitializationBeanFactoryPostProcessor()))
            .run((context) -> {
                DefaultListableBeanFactory factory = (DefaultListableBeanFactory) context.getBeanFactory();
                assertThat(factory.containsSingleton("lazy")).isFalse(); // the control: lazy initialisation is on
                assertThat(factory.containsSingleton("jobs")).isTrue();
                Jobs jobs = (Jobs) factory.getSingleton("jobs");
                await().atMost(WAIT).until(() -> jobs.runs.get() >= 2);
            });
    }

    @Test
    void destroyingTheBeanCancelsItsCallback() {
        this.runner.withBean("jobs", Jobs.class).run((context) -> {
            Jobs jobs = context.getBean(Jobs.class);
            ScheduledPeriodicCallback callback = single(context);
            await().atMost(WAIT).until(() -> jobs.runs.get() >= 1);
            ((DefaultListableBeanFactory) context.getBeanFactory()).destroySingleton("jobs");
            assertThat(callback.isCancelled()).isTrue();
            assertThat(context.getBean(PeriodicCallbackHolder.class).getPeriodicCallbacks()).isEmpty();
            // The cancellation was queued on the loop before this probe: once the probe has run 10 periods
            // later, no run may have happened since it was queued.
            IOLoop loop = context.getBean(IOLoop.class);
            CompletableFuture<Integer> before = new CompletableFuture<>();
            loop.addCallback(() -> before.complete(jobs.runs.get()));
            int runsAtCancel = before.get(30, TimeUnit.SECONDS);
            CompletableFuture<Integer> after = new CompletableFuture<>();
            loop.callLater(Duration.ofMillis(100), () -> after.complete(jobs.runs.get()));
            assertThat(after.get(30, TimeUnit.SECONDS)).isEqualTo(runsAtCancel);
        });
    }

    @Test
    void callbacksOfBeansCreatedAfterStartupStartAtOnce() {
        this.runner.withBean("jobs", Jobs.class, () -> new Jobs()).run((context) -> {
            DefaultListableBeanFactory factory = (DefaultListableBeanFactory) context.getBeanFactory();
            factory.registerBeanDefinition("late",
                    new org.springframework.beans.factory.support.RootBeanDefinition(GroupJobs.class));
            GroupJobs late = context.getBean("late", GroupJobs.class);
            await().atMost(WAIT).until(() -> late.runs.get() >= 2);
            assertThat(context.getBean(PeriodicCallbackHolder.class).getPeriodicCallbacks())
                .extracting(ScheduledPeriodicCallback::getId)
                .containsExactlyInAnyOrder("jobs#tick", "late#tick");
        });
    }

    private static ScheduledPeriodicCallback single(AssertableApplicationContext context) {
        List<ScheduledPeriodicCallback> callbacks = context.getBean(PeriodicCallbackHolder.class).getPeriodicCallbacks();
        assertThat(callbacks).hasSize(1);
        return callbacks.get(0);
    }

    static class Jobs {

        final AtomicInteger runs = new AtomicInteger();

        final Set<String> threads = ConcurrentHashMap.newKeySet();

        @PeriodicCallback(period = "10ms")
        public void tick() {
            this.threads.add(Thread.currentThread().getName());
            this.runs.incrementAndGet();
        }
    }

    static class PlaceholderJobs {

        final AtomicInteger runs = new AtomicInteger();

        final Set<String> threads = ConcurrentHashMap.newKeySet();

        @PeriodicCallback(period = "${jobs.period}", jitter = "${jobs.jitter}", loop = "${jobs.loop}",
                initialDelay = "${jobs.delay}")
        void tick() {
            this.threads.add(Thread.currentThread().getName());
            this.runs.incrementAndGet();
        }
    }

    static class GroupJobs {

        final AtomicInteger runs = new AtomicInteger();

        final Set<String> threads = ConcurrentHashMap.newKeySet();

        @PeriodicCallback(period = "10ms", loop = "group")
        void tick() {
            this.threads.add(Thread.currentThread().getName());
            this.runs.incrementAndGet();
        }
    }

    static class DelayedJobs {

        final AtomicInteger runs = new AtomicInteger();

        @PeriodicCallback(period = "1h", initialDelay = "10ms")
        void tick() {
            this.runs.incrementAndGet();
        }
    }

    static class FailingJobs {

        final AtomicInteger runs = new AtomicInteger();

        @PeriodicCallback(period = "10ms")
        void tick() {
            this.runs.incrementAndGet();
            throw new IllegalStateException("expected by the test");
        }
    }

    static class AsyncJobs {

        final AtomicInteger invocations = new AtomicInteger();

        final AtomicReference<CompletableFuture<Void>> stage = new AtomicReference<>();

        @PeriodicCallback(period = "10ms")
        CompletableFuture<Void> tick() {
            this.invocations.incrementAndGet();
            CompletableFuture<Void> next = new CompletableFuture<>();
            this.stage.set(next);
            return next;
        }
    }

    static class LazyBean {
    }

    interface Service {

        void serve();
    }

    static class InterfaceJobs implements Service {

        @Override
        public void serve() {
        }

        @PeriodicCallback(period = "10ms")
        public void tick() { // not on Service: a JDK proxy of this bean has no tick()
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class JdkProxyingConfiguration {

        @Bean // declared as its class: the container must see it is Ordered to run it ahead of ours
        static JdkProxyingPostProcessor jdkProxyingPostProcessor() {
            return new JdkProxyingPostProcessor();
        }
    }

    static class JdkProxyingPostProcessor implements BeanPostProcessor, org.springframework.core.Ordered {

        @Override
        public int getOrder() {
            return HIGHEST_PRECEDENCE;
        }

        @Override
        public Object postProcessAfterInitialization(Object bean, String beanName) {
            if (!(bean instanceof InterfaceJobs)) {
                return bean;
            }
            ProxyFactory factory = new ProxyFactory(bean);
            factory.setInterfaces(Service.class);
            return factory.getProxy();
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class ProxyingConfiguration {

        static final AtomicInteger intercepted = new AtomicInteger();

        @Bean
        static ProxyingPostProcessor proxyingPostProcessor() {
            // Ordered ahead of ours, as Spring's auto-proxy creators are.
            return new ProxyingPostProcessor();
        }
    }

    static class ProxyingPostProcessor implements BeanPostProcessor, org.springframework.core.Ordered {

                @Override
                public int getOrder() {
                    return HIGHEST_PRECEDENCE;
                }

                @Override
                public Object postProcessAfterInitialization(Object bean, String beanName) {
                    if (!(bean instanceof Jobs)) {
                        return bean;
                    }
                    ProxyFactory factory = new ProxyFactory(bean);
                    factory.setProxyTargetClass(true);
                    factory.addAdvice((MethodInterceptor) (invocation) -> {
                        ProxyingConfiguration.intercepted.incrementAndGet();
                        return invocation.proceed();
                    });
                    return factory.getProxy();
                }
    }
}
