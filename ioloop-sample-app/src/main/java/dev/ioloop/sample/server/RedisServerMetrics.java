package dev.ioloop.sample.server;

import dev.ioloop.sample.store.KeyValueStore;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.function.ToDoubleFunction;

/**
 * The server's meters: keyspace and client gauges, command, connection, byte and expiry counters. Every meter reads
 * counters the server already keeps (published by its cron for the keyspace), so nothing here runs on the loop.
 *
 * <p>Safe from any thread.
 */
public final class RedisServerMetrics implements MeterBinder {

    private final RedisServer server;

    /** Binds meters over {@code server}. */
    public RedisServerMetrics(RedisServer server) {
        this.server = server;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        KeyValueStore store = server.store(); // only its thread-safe stats() and lastCycle() are read below
        gauge(registry, "redis.clients.connected", "clients", "Clients connected now.", s -> s.connectedClients());
        gauge(registry, "redis.clients.max", "clients", "Most clients served at once (maxclients).", s -> s.maxClients());
        gauge(registry, "redis.keyspace.keys", "keys", "Keys in the keyspace, as of the last cron run.", s -> store.stats().keys());
        gauge(registry, "redis.keyspace.expires", "keys", "Keys with an expiry time, as of the last cron run.", s -> store.stats().expires());
        gauge(registry, "redis.expiry.cycle.duration", "seconds", "Time the last active-expiry run took.",
                s -> store.lastCycle().elapsedNanos() / 1e9);
        counter(registry, "redis.connections.received", "connections", "Connections accepted.", s -> s.totalConnectionsReceived());
        counter(registry, "redis.connections.rejected", "connections", "Connections refused because of maxclients.", s -> s.rejectedConnections());
        counter(registry, "redis.commands", "commands", "Commands run.", s -> s.totalCommandsProcessed());
        counter(registry, "redis.net.input", "bytes", "Bytes read from clients.", s -> s.netInputBytes());
        counter(registry, "redis.net.output", "bytes", "Bytes written to clients.", s -> s.netOutputBytes());
        counter(registry, "redis.protocol.errors", "errors", "Clients closed for malformed input or an over-limit query buffer.", s -> s.protocolErrors());
        counter(registry, "redis.keyspace.expired", "keys", "Keys removed because they expired, as of the last cron run.", s -> store.stats().expiredKeys());
        counter(registry, "redis.keyspace.hits", "lookups", "Reads that found their key, as of the last cron run.", s -> store.stats().keyspaceHits());
        counter(registry, "redis.keyspace.misses", "lookups", "Reads that found no key, as of the last cron run.", s -> store.stats().keyspaceMisses());
    }

    private void gauge(MeterRegistry registry, String name, String unit, String description, ToDoubleFunction<RedisServer> f) {
        Gauge.builder(name, server, f).baseUnit(unit).description(description).strongReference(true).register(registry);
    }

    private void counter(MeterRegistry registry, String name, String unit, String description, ToDoubleFunction<RedisServer> f) {
        FunctionCounter.builder(name, server, f).baseUnit(unit).description(description).register(registry);
    }
}
