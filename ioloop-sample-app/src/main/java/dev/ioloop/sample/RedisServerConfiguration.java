package dev.ioloop.sample;

import dev.ioloop.IOLoop;
import dev.ioloop.sample.server.RedisServer;
import dev.ioloop.sample.server.RedisServerHealthIndicator;
import dev.ioloop.sample.server.RedisServerLifecycle;
import dev.ioloop.sample.server.RedisServerMetrics;
import dev.ioloop.sample.server.RedisServerProperties;
import dev.ioloop.sample.store.StoreClock;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The Redis server on the data loop, its lifecycle, meters and health. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(RedisServerProperties.class)
class RedisServerConfiguration {

    @Bean
    RedisServer redisServer(RedisServerProperties properties, IOLoop ioloop) {
        return new RedisServer(properties, ioloop, StoreClock.system());
    }

    @Bean
    RedisServerLifecycle redisServerLifecycle(RedisServer server) {
        return new RedisServerLifecycle(server);
    }

    @Bean
    RedisServerMetrics redisServerMetrics(RedisServer server) {
        return new RedisServerMetrics(server);
    }

    @Bean
    RedisServerHealthIndicator redisServerHealthIndicator(RedisServer server) {
        return new RedisServerHealthIndicator(server);
    }
}
