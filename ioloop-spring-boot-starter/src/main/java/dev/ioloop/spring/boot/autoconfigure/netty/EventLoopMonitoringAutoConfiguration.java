package dev.ioloop.spring.boot.autoconfigure.netty;

import dev.ioloop.spring.boot.autoconfigure.IOLoopAutoConfiguration;
import dev.ioloop.spring.boot.autoconfigure.IOLoopProperties;
import dev.ioloop.spring.boot.lifecycle.ManagedLoop;
import dev.ioloop.spring.boot.lifecycle.MonitoredLoops;
import dev.ioloop.spring.boot.netty.EventLoopMonitor;
import dev.ioloop.spring.boot.netty.EventLoopSource;
import dev.ioloop.spring.boot.netty.ReactorNettyEventLoops;
import io.netty.channel.EventLoopGroup;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.reactor.netty.NettyWebServer;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.client.ReactorResourceFactory;

/**
 * Monitors Netty event loops the starter does not run, when ioloop-netty is on the classpath: Reactor Netty's (those
 * of a WebFlux server on Netty, which WebClient shares; found through the {@code ReactorResourceFactory} bean, off with
 * {@code ioloop.monitor.reactor-netty.enabled=false}) and those of the application's {@code EventLoopGroup} beans
 * (off with {@code ioloop.monitor.event-loop-groups.enabled=false}). Each gets the monitoring of the starter's own
 * loops ({@link EventLoopMonitor}).
 */
@AutoConfiguration(after = IOLoopAutoConfiguration.class)
@ConditionalOnClass(name = { "dev.ioloop.netty.NettyBackend", "io.netty.channel.EventLoopGroup" })
@ConditionalOnBean(MonitoredLoops.class)
public final class EventLoopMonitoringAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    EventLoopMonitor ioloopEventLoopMonitor(MonitoredLoops loops, IOLoopProperties properties,
            ObjectProvider<EventLoopSource> sources) {
        ManagedLoop.Monitoring monitoring = new ManagedLoop.Monitoring(properties.getMetrics().getLag().getInterval(),
                properties.getWatchdog().getThreshold(), properties.getWatchdog().getRetainedReports());
        return new EventLoopMonitor(loops, sources.orderedStream().toList(), monitoring);
    }

    @Bean
    @ConditionalOnBooleanProperty(name = "ioloop.monitor.event-loop-groups.enabled", matchIfMissing = true)
    EventLoopSource ioloopEventLoopGroupBeans(ObjectProvider<EventLoopGroup> groups) {
        return () -> groups.orderedStream().toList();
    }

    // Nested, so that its classes (Reactor Netty, spring-web, Boot's Netty server) are only loaded once the class
    // check passed.
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = { "reactor.netty.resources.LoopResources",
            "org.springframework.http.client.ReactorResourceFactory",
            "org.springframework.boot.reactor.netty.NettyWebServer",
            "org.springframework.boot.web.server.context.WebServerApplicationContext" })
    @ConditionalOnBooleanProperty(name = "ioloop.monitor.reactor-netty.enabled", matchIfMissing = true)
    static class ReactorNettyConfiguration {

        // Asked when the monitor starts, after the web server: its loops exist only if a Reactor Netty server runs
        // (asking the resources for them otherwise would create them). Boot's server takes them from the
        // ReactorResourceFactory bean that its WebFlux auto-configuration (or the application) defines.
        @Bean
        ReactorNettyEventLoops ioloopReactorNettyEventLoops(ApplicationContext context,
                ObjectProvider<ReactorResourceFactory> factory) {
            return new ReactorNettyEventLoops(() -> {
                ReactorResourceFactory resources = factory.getIfUnique();
                boolean nettyServer = context instanceof WebServerApplicationContext server
                        && server.getWebServer() instanceof NettyWebServer;
                return (nettyServer && resources != null) ? resources.getLoopResources() : null;
            });
        }
    }
}
