package dev.ioloop.sample;

import dev.ioloop.IOLoop;
import dev.ioloop.IOLoopGroup;
import dev.ioloop.sample.server.RedisServer;
import dev.ioloop.sample.server.RedisServerHealthIndicator;
import dev.ioloop.sample.server.RedisServerLifecycle;
import dev.ioloop.sample.server.RedisServerMetrics;
import dev.ioloop.sample.server.RedisServerProperties;
import dev.ioloop.sample.store.StoreClock;
import dev.ioloop.iostream.TlsOptions;
import dev.ioloop.spring.boot.scheduling.PeriodicCallback;
import dev.ioloop.spring.boot.ssl.SslBundleTlsOptions;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.ssl.NoSuchSslBundleException;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The Redis server on the starter's main loop (thread {@code ioloop-main}), which owns its data and, by default,
 * its connections (with {@code sample.redis.connection-loops=GROUP} they live on the starter's group); its
 * lifecycle, cron, meters and health.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(RedisServerProperties.class)
class RedisServerConfiguration {

    @Bean
    RedisServer redisServer(RedisServerProperties properties, IOLoop ioloop, ObjectProvider<IOLoopGroup> group,
            ObjectProvider<SslBundles> sslBundles) {
        TlsOptions tls = tlsOptions(properties, sslBundles.getIfAvailable());
        if (properties.getConnectionLoops() == RedisServerProperties.ConnectionLoops.DATA) {
            return new RedisServer(properties, ioloop, null, StoreClock.system(), tls);
        }
        IOLoopGroup loops = group.getIfUnique();
        if (loops == null) {
            throw new IllegalStateException("'sample.redis.connection-loops' is GROUP but there is no IOLoopGroup bean: "
                    + "set ioloop.group.enabled=true (and ioloop.group.threads) or use DATA");
        }
        return new RedisServer(properties, ioloop, loops, StoreClock.system(), tls);
    }

    /** The TLS port's options from the SSL bundle named by sample.redis.ssl.bundle, or null when tls-port is unset. */
    static @Nullable TlsOptions tlsOptions(RedisServerProperties properties, @Nullable SslBundles bundles) {
        String name = properties.getSsl().getBundle();
        if (properties.getTlsPort() == null) {
            return null;
        }
        if (name == null) {
            throw new IllegalStateException("'sample.redis.tls-port' is set but 'sample.redis.ssl.bundle' is not: name the "
                    + "SSL bundle (spring.ssl.bundle.pem.<name>.keystore.certificate and .private-key) the TLS port presents");
        }
        if (bundles == null) {
            throw new IllegalStateException("'sample.redis.ssl.bundle' is '" + name + "' but no SSL bundles are configured:"
                    + " define spring.ssl.bundle.pem." + name + ".keystore.certificate and .private-key");
        }
        try {
            return SslBundleTlsOptions.server(bundles.getBundle(name));
        } catch (NoSuchSslBundleException e) {
            throw new IllegalStateException("'sample.redis.ssl.bundle' is '" + name + "' but there is no such SSL bundle:"
                    + " define spring.ssl.bundle.pem." + name + ".keystore.certificate and .private-key", e);
        }
    }

    @Bean
    RedisServerLifecycle redisServerLifecycle(RedisServer server) {
        return new RedisServerLifecycle(server);
    }

    @Bean
    RedisServerCron redisServerCron(RedisServer server) {
        return new RedisServerCron(server);
    }

    @Bean
    RedisServerMetrics redisServerMetrics(RedisServer server) {
        return new RedisServerMetrics(server);
    }

    @Bean
    RedisServerHealthIndicator redisServerHealthIndicator(RedisServer server) {
        return new RedisServerHealthIndicator(server);
    }

    /**
     * Redis's {@code serverCron} as a {@code @PeriodicCallback} on the main loop (the data's loop): {@code hz} runs
     * a second, each an active-expiry cycle within its budget, then the keyspace stats for meters.
     */
    static final class RedisServerCron {
        private final RedisServer server;

        RedisServerCron(RedisServer server) {
            this.server = server;
        }

        /** One cron run; on the loop thread. After CONFIG SET hz the server runs its cron itself and this does nothing. */
        @PeriodicCallback(period = "#{1000 / ${sample.redis.hz:10}}", loop = "main")
        void cron() {
            server.scheduledCron();
        }
    }
}
