package dev.ioloop.spring.boot.autoconfigure.netty;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import dev.ioloop.IOLoop;
import dev.ioloop.netty.NettyBackend;
import dev.ioloop.spring.boot.autoconfigure.IOLoopAutoConfiguration;
import dev.ioloop.spring.boot.lifecycle.IOLoopLifecycle;
import dev.ioloop.spring.boot.lifecycle.ManagedLoop;
import dev.ioloop.spring.boot.lifecycle.MonitoredLoops;
import dev.ioloop.spring.boot.netty.EventLoopMonitor;
import dev.ioloop.spring.boot.netty.ReactorNettyEventLoops;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.EventExecutor;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.netty.resources.LoopResources;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.client.ReactorResourceFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class EventLoopMonitoringAutoConfigurationTests {

    private static final Duration WAIT = Duration.ofSeconds(30);

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(IOLoopAutoConfiguration.class,
                EventLoopMonitoringAutoConfiguration.class))
        .withPropertyValues("ioloop.metrics.lag.interval=10ms", "ioloop.watchdog.threshold=1s");

    @Test
    void monitorsEveryEventLoopOfAnEventLoopGroupBeanUnderItsThreadName() {
        this.runner.withUserConfiguration(GroupConfig.class).run((context) -> {
            assertThat(context).hasNotFailed().hasSingleBean(EventLoopMonitor.class);
            List<String> threads = threadNames(context.getBean(MultiThreadIoEventLoopGroup.class));
            assertThat(threads).hasSize(2).allMatch((name) -> name.startsWith("app-group-"));
            MonitoredLoops loops = context.getBean(MonitoredLoops.class);
            assertThat(loops.loops()).extracting(ManagedLoop::name).containsExactly("main", threads.get(0),
                    threads.get(1));
            ManagedLoop attached = loops.find(threads.get(0));
            assertThat(attached.state()).isEqualTo(IOLoopLifecycle.State.RUNNING);
            assertThat(attached.loop().backend().name()).isEqualTo("netty-attached");
            assertThat(attached.loop().thread().getName()).isEqualTo(threads.get(0));
            assertThat(attached.lagProbe().isRunning()).isTrue();
        });
    }

    @Test
    void withoutARunningReactorNettyServerReactorNettysLoopsAreNeitherAskedForNorCreated() {
        this.runner.withUserConfiguration(ReactorConfig.class).run((context) -> {
            assertThat(context).hasNotFailed().hasSingleBean(ReactorNettyEventLoops.class);
            assertThat(context.getBean(MonitoredLoops.class).loops()).extracting(ManagedLoop::name)
                .containsExactly("main");
            assertThat(context.getBean(CountingLoopResources.class).requests).as("loop groups asked for").hasValue(0);
        });
    }

    @Test
    void stoppingTheContextUnregistersTheLoopsAndLeavesTheEventLoopsRunning() {
        MultiThreadIoEventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        try {
            this.runner.withBean("appGroup", MultiThreadIoEventLoopGroup.class, () -> group, (definition) ->
                    definition.setDestroyMethodName("")).run((context) -> {
                        MonitoredLoops loops = context.getBean(MonitoredLoops.class);
                        assertThat(loops.loops()).hasSize(2);
                        context.getBean(EventLoopMonitor.class).stop();
                        assertThat(loops.loops()).extracting(ManagedLoop::name).containsExactly("main");
                    });
            EventLoop eventLoop = group.next();
            assertThat(eventLoop.isShuttingDown()).isFalse();
            IOLoop attached = NettyBackend.attach(eventLoop);
            assertThat(attached.isClosed()).as("still attached, idle").isFalse();
        }
        finally {
            group.shutdownGracefully(0, 0, TimeUnit.SECONDS).awaitUninterruptibly(WAIT.toSeconds(), TimeUnit.SECONDS);
        }
    }

    @Test
    void twoContextsMonitoringOneEventLoopEachGetItsReportsAndOneStoppingLeavesTheOthersWatchdog() {
        // Two contexts of one JVM watching the same event loops (as two cached test contexts watch Reactor Netty's
        // global loops) share its one attached IOLoop and its one watchdog slot.
        MultiThreadIoEventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        ApplicationContextRunner sharing = this.runner.withPropertyValues("ioloop.watchdog.threshold=50ms")
            .withBean("appGroup", MultiThreadIoEventLoopGroup.class, () -> group, (definition) ->
                    definition.setDestroyMethodName(""));
        try {
            sharing.run((first) -> sharing.run((second) -> {
                String thread = threadNames(group).get(0);
                ManagedLoop firstLoop = first.getBean(MonitoredLoops.class).find(thread);
                ManagedLoop secondLoop = second.getBean(MonitoredLoops.class).find(thread);
                assertThat(firstLoop.loop()).as("one attached IOLoop per event loop").isSameAs(secondLoop.loop());
                block(group.next(), Duration.ofMillis(300));
                // Before, the context that started last took every report.
                await().atMost(WAIT).until(() -> !firstLoop.blockedReports().isEmpty()
                        && !secondLoop.blockedReports().isEmpty());
                first.getBean(EventLoopMonitor.class).stop();
                int firstReports = firstLoop.blockedReports().size();
                int secondReports = secondLoop.blockedReports().size();
                block(group.next(), Duration.ofMillis(300));
                // Before, the first context's stop removed the watchdog of the second.
                await().atMost(WAIT).until(() -> secondLoop.blockedReports().size() > secondReports);
                assertThat(firstLoop.blockedReports()).hasSize(firstReports);
            }));
        }
        finally {
            group.shutdownGracefully(0, 0, TimeUnit.SECONDS).awaitUninterruptibly(WAIT.toSeconds(), TimeUnit.SECONDS);
        }
    }

    /** Blocks the event loop's thread for {@code duration} in one of its tasks, and waits until it ended. */
    private static void block(EventLoop eventLoop, Duration duration) throws Exception {
        eventLoop.submit(() -> {
            Thread.sleep(duration.toMillis());
            return null;
        }).get(WAIT.toSeconds(), TimeUnit.SECONDS);
    }

    @Test
    void backsOffWhenTheApplicationDefinesItsOwnMonitor() {
        this.runner.withUserConfiguration(GroupConfig.class)
            .withBean("myMonitor", EventLoopMonitor.class, () -> new EventLoopMonitor(new MonitoredLoops(), List.of(),
                    new ManagedLoop.Monitoring(Duration.ofMillis(100), Duration.ZERO, 0)))
            .run((context) -> {
                assertThat(context).hasSingleBean(EventLoopMonitor.class).hasBean("myMonitor");
                assertThat(context.getBean(MonitoredLoops.class).loops()).extracting(ManagedLoop::name)
                    .containsExactly("main");
            });
    }

    @Test
    void reactorNettyMonitoringIsOffWithItsProperty() {
        this.runner.withUserConfiguration(ReactorConfig.class, GroupConfig.class)
            .withPropertyValues("ioloop.monitor.reactor-netty.enabled=false")
            .run((context) -> {
                assertThat(context).hasNotFailed().doesNotHaveBean(ReactorNettyEventLoops.class)
                    .hasSingleBean(EventLoopMonitor.class);
                assertThat(context.getBean(MonitoredLoops.class).loops()).extracting(ManagedLoop::name)
                    .allMatch((name) -> name.equals("main") || name.startsWith("app-group-")).hasSize(3);
            });
    }

    @Test
    void eventLoopGroupBeanMonitoringIsOffWithItsProperty() {
        this.runner.withUserConfiguration(GroupConfig.class)
            .withPropertyValues("ioloop.monitor.event-loop-groups.enabled=false")
            .run((context) -> {
                assertThat(context).hasNotFailed().hasSingleBean(EventLoopMonitor.class);
                assertThat(context.getBean(MonitoredLoops.class).loops()).extracting(ManagedLoop::name)
                    .containsExactly("main");
            });
    }

    @Test
    void withoutReactorNettyOnTheClasspathEventLoopGroupBeansAreStillMonitored() {
        this.runner.withClassLoader(new FilteredClassLoader(LoopResources.class))
            .withUserConfiguration(GroupConfig.class)
            .run((context) -> {
                assertThat(context).hasNotFailed().doesNotHaveBean(ReactorNettyEventLoops.class);
                assertThat(context.getBean(MonitoredLoops.class).loops()).hasSize(3);
            });
    }

    @Test
    void withoutIoloopNettyOnTheClasspathNothingIsAttached() {
        this.runner.withClassLoader(new FilteredClassLoader(NettyBackend.class))
            .withUserConfiguration(GroupConfig.class)
            .run((context) -> {
                assertThat(context).hasNotFailed().doesNotHaveBean(EventLoopMonitor.class);
                assertThat(context.getBean(MonitoredLoops.class).loops()).extracting(ManagedLoop::name)
                    .containsExactly("main");
            });
    }

    @Test
    void withTheStarterDisabledNothingIsAttached() {
        this.runner.withUserConfiguration(GroupConfig.class).withPropertyValues("ioloop.enabled=false")
            .run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(EventLoopMonitor.class)
                .doesNotHaveBean(MonitoredLoops.class));
    }

    private static List<String> threadNames(MultiThreadIoEventLoopGroup group) throws Exception {
        List<String> names = new java.util.ArrayList<>();
        for (EventExecutor executor : group) {
            names.add(executor.submit(() -> Thread.currentThread().getName()).get(WAIT.toSeconds(), TimeUnit.SECONDS));
        }
        return names;
    }

    @Configuration(proxyBeanMethods = false)
    static class GroupConfig {

        @Bean(destroyMethod = "shutdownGracefully")
        MultiThreadIoEventLoopGroup appGroup() {
            return new MultiThreadIoEventLoopGroup(2, new DefaultThreadFactory("app-group", true),
                    NioIoHandler.newFactory());
        }
    }

    /** The application's own Reactor Netty resources (not the global ones), as a WebFlux app may define. */
    @Configuration(proxyBeanMethods = false)
    static class ReactorConfig {

        @Bean(destroyMethod = "dispose")
        CountingLoopResources reactorTestLoops() {
            return new CountingLoopResources(LoopResources.create("reactor-test", 2, true));
        }

        @Bean
        ReactorResourceFactory reactorResourceFactory(CountingLoopResources reactorTestLoops) {
            ReactorResourceFactory factory = new ReactorResourceFactory();
            factory.setUseGlobalResources(false);
            factory.setLoopResources(reactorTestLoops);
            return factory;
        }
    }

    /** Real loop resources that count the requests for their loop groups (each request may create a group). */
    record CountingLoopResources(LoopResources delegate, AtomicInteger requests) implements LoopResources {

        CountingLoopResources(LoopResources delegate) {
            this(delegate, new AtomicInteger());
        }

        @Override
        public EventLoopGroup onServer(boolean useNative) {
            this.requests.incrementAndGet();
            return this.delegate.onServer(useNative);
        }

        @Override
        public EventLoopGroup onClient(boolean useNative) {
            this.requests.incrementAndGet();
            return this.delegate.onClient(useNative);
        }

        @Override
        public EventLoopGroup onServerSelect(boolean useNative) {
            this.requests.incrementAndGet();
            return this.delegate.onServerSelect(useNative);
        }

        @Override
        public Mono<Void> disposeLater(Duration quietPeriod, Duration timeout) {
            return this.delegate.disposeLater(quietPeriod, timeout);
        }

        @Override
        public boolean isDisposed() {
            return this.delegate.isDisposed();
        }
    }
}
