package dev.ioloop.sample.server;

import java.time.Duration;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

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

    /**
     * Most memory the keyspace may use (Redis's maxmemory), as the store accounts it; writes over it get -OOM. Unset:
     * half the JVM's maximum heap. 0: no limit.
     */
    private @Nullable DataSize maxmemory;

    /** What happens when the keyspace is over maxmemory. */
    public enum MaxmemoryPolicy {
        /** Commands that may add data are refused with -OOM (Redis's default). */
        NOEVICTION
    }

    /** What happens when the keyspace is over maxmemory: commands that may add data are refused (noeviction). */
    private MaxmemoryPolicy maxmemoryPolicy = MaxmemoryPolicy.NOEVICTION;

    /** Limits on the replies a client has not read yet (Redis's client-output-buffer-limit for normal clients). */
    private final ClientOutputBufferLimit clientOutputBufferLimit = new ClientOutputBufferLimit();

    /** Where client connections live. */
    public enum ConnectionLoops {
        /** On the data loop, as Redis serves every client from its one thread (the default: measured faster). */
        DATA,
        /** On the ioloop starter's group (ioloop.group.enabled=true); each read burst hops to the data loop and back. */
        GROUP
    }

    /** Where client connections live: on the data loop, or on the ioloop group, hopping to the data loop per read burst. */
    private ConnectionLoops connectionLoops = ConnectionLoops.DATA;

    /**
     * Limits on a client's unwritten replies, as Redis's {@code client-output-buffer-limit normal hard soft
     * soft-seconds}: over {@code hard} the client is closed at once; over {@code soft} for {@code soft-seconds} without
     * a break it is closed too. 0 disables a limit.
     */
    public static class ClientOutputBufferLimit {

        /** Unwritten replies at which a client is closed at once; 0 for no hard limit. */
        private DataSize hard = DataSize.ofMegabytes(64);

        /** Unwritten replies a client may have for at most soft-seconds; 0 for no soft limit. */
        private DataSize soft = DataSize.ofMegabytes(16);

        /** How long a client may stay over the soft limit before it is closed. */
        private Duration softSeconds = Duration.ofSeconds(60);

        /** Returns the hard limit. */
        public DataSize getHard() {
            return hard;
        }

        /** @throws IllegalArgumentException if negative or 2 GiB or more */
        public void setHard(DataSize hard) {
            this.hard = checkOutputLimit("hard", hard);
        }

        /** Returns the soft limit. */
        public DataSize getSoft() {
            return soft;
        }

        /** @throws IllegalArgumentException if negative or 2 GiB or more */
        public void setSoft(DataSize soft) {
            this.soft = checkOutputLimit("soft", soft);
        }

        /** Returns how long a client may stay over the soft limit. */
        public Duration getSoftSeconds() {
            return softSeconds;
        }

        /** @throws IllegalArgumentException unless positive */
        public void setSoftSeconds(Duration softSeconds) {
            if (softSeconds == null || softSeconds.isNegative() || softSeconds.isZero()) {
                throw new IllegalArgumentException(
                        "'sample.redis.client-output-buffer-limit.soft-seconds' must be positive (was " + softSeconds + ")");
            }
            this.softSeconds = softSeconds;
        }

        /** Returns the hard limit in bytes, 0 for none. */
        public int hardBytes() {
            return (int) hard.toBytes();
        }

        /** Returns the soft limit in bytes, 0 for none. */
        public int softBytes() {
            return (int) soft.toBytes();
        }

        private static DataSize checkOutputLimit(String name, DataSize value) {
            if (value == null || value.isNegative() || value.toBytes() > Integer.MAX_VALUE - 16) {
                throw new IllegalArgumentException("'sample.redis.client-output-buffer-limit." + name
                        + "' must be between 0 and " + (Integer.MAX_VALUE - 16) + " bytes (was " + value + ")");
            }
            return value;
        }
    }

    /** Returns the client output limits (bound as {@code sample.redis.client-output-buffer-limit.*}). */
    public ClientOutputBufferLimit getClientOutputBufferLimit() {
        return clientOutputBufferLimit;
    }

    /** Returns the configured maxmemory, or null for the default (half the maximum heap). */
    public @Nullable DataSize getMaxmemory() {
        return maxmemory;
    }

    /** @throws IllegalArgumentException if negative */
    public void setMaxmemory(@Nullable DataSize maxmemory) {
        if (maxmemory != null && maxmemory.isNegative()) {
            throw new IllegalArgumentException("'sample.redis.maxmemory' must not be negative (was " + maxmemory + ")");
        }
        this.maxmemory = maxmemory;
    }

    /** Returns maxmemory in bytes: the configured value, or half of {@code maxHeapBytes} when unset; 0 for no limit. */
    public long maxmemoryBytes(long maxHeapBytes) {
        return maxmemory != null ? maxmemory.toBytes() : maxHeapBytes / 2;
    }

    /** Returns the maxmemory policy. */
    public MaxmemoryPolicy getMaxmemoryPolicy() {
        return maxmemoryPolicy;
    }

    /** @throws IllegalArgumentException if null */
    public void setMaxmemoryPolicy(MaxmemoryPolicy maxmemoryPolicy) {
        if (maxmemoryPolicy == null) {
            throw new IllegalArgumentException("'sample.redis.maxmemory-policy' must be NOEVICTION (was null)");
        }
        this.maxmemoryPolicy = maxmemoryPolicy;
    }

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
