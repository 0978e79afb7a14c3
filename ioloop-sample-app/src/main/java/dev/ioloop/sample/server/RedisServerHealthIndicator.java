package dev.ioloop.sample.server;

import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

/**
 * {@code redisServer} health: UP while the server listens, with its address, clients and keys; DOWN before start
 * and after close. Reads only thread-safe counters.
 */
public final class RedisServerHealthIndicator extends AbstractHealthIndicator {

    private final RedisServer server;

    /** Reports on {@code server}. */
    public RedisServerHealthIndicator(RedisServer server) {
        super("Redis server health check failed");
        this.server = server;
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) {
        if (!server.isListening()) {
            builder.down().withDetail("listening", false);
            return;
        }
        builder.up()
                .withDetail("address", server.address().getHostString() + ":" + server.port())
                .withDetail("connectedClients", server.connectedClients())
                .withDetail("keys", server.store().stats().keys());
    }
}
