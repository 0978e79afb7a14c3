package dev.ioloop.sample.server;

import java.time.Duration;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Settings of the Redis-protocol server, bound from {@code sample.redis.*}. Setters validate and name the key.
 *
 * <p>Not thread-safe: bind once at startup, then only read.
 */
@ConfigurationProperties("sample.redis")
public class RedisServerProperties {

    /** TCP port for Redis clients; 0 picks a free port. */
    private int port = 6380;

    /** TLS port for Redis clients (as Redis's tls-port), served beside the plain port; unset (the default) for no TLS, 0 for a free port. Needs sample.redis.ssl.bundle. */
    private @Nullable Integer tlsPort;

    /** TLS settings of the tls-port. */
    private final Ssl ssl = new Ssl();

    /** Address to listen on; the default accepts local clients only. */
    private String bind = "127.0.0.1";

    /** Password clients must send with AUTH before other commands; empty or unset means no password. */
    private @Nullable String requirepass;

    /** Largest number of clients connected at once; one more is told so and disconnected. */
    private int maxclients = 10_000;

    /** How many times per second the server cron (active expiry, stats publication) runs. */
    private int hz = 10;

    /** Time budget of one active-expiry run; the loop is never held longer than this (plus one 20-key round). */
    private Duration activeExpireBudget = Duration.ofMillis(5);

    /** Largest unfinished command a client may have buffered; a client over it is answered -ERR and disconnected. */
    private int queryBufferLimit = 1024 * 1024;

    /** Largest bulk string in a request (Redis's proto-max-bulk-len); values above the query-buffer limit also need that raised. */
    private long protoMaxBulkLen = 512L * 1024 * 1024;

    /** Where client connections live. */
    public enum ConnectionLoops {
        /** On the data loop, as Redis serves every client from its one thread (the default: measured faster). */
        DATA,
        /** On the ioloop starter's group (ioloop.group.enabled=true); each read burst hops to the data loop and back. */
        GROUP
    }

    /** Where client connections live: on the data loop, or on the ioloop group, hopping to the data loop per read burst. */
    private ConnectionLoops connectionLoops = ConnectionLoops.DATA;

    /** Returns where client connections live. */
    public ConnectionLoops getConnectionLoops() {
        return connectionLoops;
    }

    /** @throws IllegalArgumentException if null */
    public void setConnectionLoops(ConnectionLoops connectionLoops) {
        if (connectionLoops == null) {
            throw new IllegalArgumentException("'sample.redis.connection-loops' must be DATA or GROUP (was null)");
        }
        this.connectionLoops = connectionLoops;
    }

    /** Returns the port. */
    public int getPort() {
        return port;
    }

    /** @throws IllegalArgumentException unless 0..65535 */
    public void setPort(int port) {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("'sample.redis.port' must be between 0 and 65535 (was " + port + ")");
        }
        this.port = port;
    }

    /** Returns the TLS port, or null when TLS is off. */
    public @Nullable Integer getTlsPort() {
        return tlsPort;
    }

    /** @throws IllegalArgumentException unless null or 0..65535 */
    public void setTlsPort(@Nullable Integer tlsPort) {
        if (tlsPort != null && (tlsPort < 0 || tlsPort > 65535)) {
            throw new IllegalArgumentException("'sample.redis.tls-port' must be between 0 and 65535 (was " + tlsPort + ")");
        }
        this.tlsPort = tlsPort;
    }

    /** Returns the TLS settings. */
    public Ssl getSsl() {
        return ssl;
    }

    /** TLS settings of the tls-port, bound from {@code sample.redis.ssl.*}. */
    public static class Ssl {

        /** Name of the Spring Boot SSL bundle (spring.ssl.bundle.pem.NAME or .jks.NAME) whose key and certificate the tls-port presents. */
        private @Nullable String bundle;

        /** Returns the bundle name, or null. */
        public @Nullable String getBundle() {
            return bundle;
        }

        /** Sets the bundle name; empty means none. */
        public void setBundle(@Nullable String bundle) {
            this.bundle = bundle == null || bundle.isBlank() ? null : bundle;
        }
    }

    /** Returns the listen address. */
    public String getBind() {
        return bind;
    }

    /** @throws IllegalArgumentException if blank */
    public void setBind(String bind) {
        if (bind == null || bind.isBlank()) {
            throw new IllegalArgumentException("'sample.redis.bind' must not be blank (was '" + bind + "')");
        }
        this.bind = bind;
    }

    /** Returns the password, or null if none is required. */
    public @Nullable String getRequirepass() {
        return requirepass;
    }

    /** Sets the password; empty means none. */
    public void setRequirepass(@Nullable String requirepass) {
        this.requirepass = (requirepass == null || requirepass.isEmpty()) ? null : requirepass;
    }

    /** Returns the client limit. */
    public int getMaxclients() {
        return maxclients;
    }

    /** @throws IllegalArgumentException if below 1 */
    public void setMaxclients(int maxclients) {
        if (maxclients < 1) {
            throw new IllegalArgumentException("'sample.redis.maxclients' must be at least 1 (was " + maxclients + ")");
        }
        this.maxclients = maxclients;
    }

    /** Returns the cron frequency in runs per second. */
    public int getHz() {
        return hz;
    }

    /** @throws IllegalArgumentException unless 1..500 (Redis's range) */
    public void setHz(int hz) {
        if (hz < 1 || hz > 500) {
            throw new IllegalArgumentException("'sample.redis.hz' must be between 1 and 500 (was " + hz + ")");
        }
        this.hz = hz;
    }

    /** Returns the cron period, 1/hz. */
    public Duration cronPeriod() {
        return Duration.ofNanos(1_000_000_000L / hz);
    }

    /** Returns the active-expiry time budget per run. */
    public Duration getActiveExpireBudget() {
        return activeExpireBudget;
    }

    /** @throws IllegalArgumentException unless positive */
    public void setActiveExpireBudget(Duration activeExpireBudget) {
        if (activeExpireBudget == null || activeExpireBudget.isNegative() || activeExpireBudget.isZero()) {
            throw new IllegalArgumentException("'sample.redis.active-expire-budget' must be positive (was " + activeExpireBudget + ")");
        }
        this.activeExpireBudget = activeExpireBudget;
    }

    /** Returns the unfinished-command limit in bytes. */
    public int getQueryBufferLimit() {
        return queryBufferLimit;
    }

    /** @throws IllegalArgumentException if below 1 KiB */
    public void setQueryBufferLimit(int queryBufferLimit) {
        if (queryBufferLimit < 1024) {
            throw new IllegalArgumentException("'sample.redis.query-buffer-limit' must be at least 1024 bytes (was " + queryBufferLimit + ")");
        }
        this.queryBufferLimit = queryBufferLimit;
    }

    /** Returns the bulk length limit in bytes. */
    public long getProtoMaxBulkLen() {
        return protoMaxBulkLen;
    }

    /** @throws IllegalArgumentException unless 1 .. 2^31-9 */
    public void setProtoMaxBulkLen(long protoMaxBulkLen) {
        if (protoMaxBulkLen < 1 || protoMaxBulkLen > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("'sample.redis.proto-max-bulk-len' must be between 1 and " + (Integer.MAX_VALUE - 8)
                    + " (was " + protoMaxBulkLen + ")");
        }
        this.protoMaxBulkLen = protoMaxBulkLen;
    }
}
