package dev.ioloop.sample.server;

import dev.ioloop.sample.command.ConfigParameters;
import dev.ioloop.sample.command.ConfigParameters.InvalidValueException;
import java.time.Duration;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * The server's parameters that CONFIG SET changes while it runs, started from {@link RedisServerProperties}.
 *
 * <p>Threading: CONFIG SET writes them on the data loop; connection loops read the client limits, maxclients and the
 * password while accepting and writing. ordering: every field is volatile and holds an immutable value (a number, a
 * string, a {@link ClientOutput.Limits} record), so a reader sees either the old or the new value, never a mix, and
 * sees it at its next read. No reader needs two fields to agree with each other.
 */
final class RuntimeConfig {

    /** Redis's default limit for pub/sub clients: {@code pubsub 32mb 8mb 60}. */
    static final ClientOutput.Limits PUBSUB_DEFAULT =
            new ClientOutput.Limits(32L * 1024 * 1024, 8L * 1024 * 1024, Duration.ofSeconds(60));
    private static final String[] POLICIES = {"volatile-lru", "volatile-lfu", "volatile-random", "volatile-ttl",
            "allkeys-lru", "allkeys-lfu", "allkeys-random", "noeviction"};

    volatile int maxclients;
    volatile int timeoutSeconds;
    volatile int hz;
    volatile int queryBufferLimit;
    volatile long protoMaxBulkLen;
    volatile ClientOutput.Limits normalLimits;
    volatile ClientOutput.Limits pubsubLimits = PUBSUB_DEFAULT;
    /** The replica class's limits, kept for CONFIG GET only (this server has no replicas). */
    volatile String replicaLimits = "268435456 67108864 60";
    volatile @Nullable String requirepass;

    RuntimeConfig(RedisServerProperties p) {
        maxclients = p.getMaxclients();
        timeoutSeconds = 0;
        hz = p.getHz();
        queryBufferLimit = p.getQueryBufferLimit();
        protoMaxBulkLen = p.getProtoMaxBulkLen();
        RedisServerProperties.ClientOutputBufferLimit out = p.getClientOutputBufferLimit();
        normalLimits = new ClientOutput.Limits(out.hardBytes(), out.softBytes(), out.getSoftSeconds());
        requirepass = p.getRequirepass();
    }

    /** Returns the limits of a client by class: pub/sub clients (subscribed to anything) or normal ones. */
    ClientOutput.Limits limits(boolean pubsub) {
        return pubsub ? pubsubLimits : normalLimits;
    }

    /** Returns CONFIG GET's form: {@code normal H S T slave H S T pubsub H S T}. */
    String clientOutputBufferLimit() {
        return "normal " + form(normalLimits) + " slave " + replicaLimits + " pubsub " + form(pubsubLimits);
    }

    private static String form(ClientOutput.Limits l) {
        return l.hard() + " " + l.soft() + " " + l.softSeconds().toSeconds();
    }

    /**
     * Registers every parameter: the ones that change the server's behaviour, the fixed ones tools read, and the
     * encoding knobs.
     */
    ConfigParameters parameters(RedisServer server) {
        ConfigParameters c = new ConfigParameters();
        c.add("maxmemory", () -> Long.toString(server.store().maxmemory()),
                ConfigParameters.setter(v -> ConfigParameters.memory(v, 0, Long.MAX_VALUE), server.store()::setMaxmemory));
        c.add("maxmemory-policy", () -> "noeviction", v -> {
            String policy = v.toLowerCase(Locale.ROOT);
            if (!java.util.Arrays.asList(POLICIES).contains(policy)) {
                throw new InvalidValueException("argument(s) must be one of the following: " + String.join(", ", POLICIES));
            }
            if (!policy.equals("noeviction")) {
                throw new InvalidValueException("this server evicts no keys: only noeviction is supported");
            }
            return () -> { };
        });
        c.add("maxclients", () -> Integer.toString(maxclients), ConfigParameters.setter(
                v -> (int) ConfigParameters.atMost(ConfigParameters.integer(v, 1, 4294967295L), Integer.MAX_VALUE),
                v -> maxclients = v));
        c.add("timeout", () -> Integer.toString(timeoutSeconds), ConfigParameters.setter(
                v -> (int) ConfigParameters.integer(v, 0, Integer.MAX_VALUE), v -> timeoutSeconds = v));
        c.add("hz", () -> Integer.toString(hz), ConfigParameters.setter(
                v -> (int) Math.max(1, Math.min(500, ConfigParameters.integer(v, 0, Integer.MAX_VALUE))), v -> {
                    hz = v; // Redis clamps to 1..500
                    server.rescheduleCron(v);
                }));
        c.add("proto-max-bulk-len", () -> Long.toString(protoMaxBulkLen), ConfigParameters.setter(
                v -> ConfigParameters.atMost(ConfigParameters.memory(v, 1024 * 1024, Long.MAX_VALUE), Integer.MAX_VALUE - 8), v -> {
                    protoMaxBulkLen = v;
                    server.decoder().setMaxBulkLength(v);
                }));
        c.add("client-query-buffer-limit", () -> Integer.toString(queryBufferLimit), ConfigParameters.setter(
                v -> (int) ConfigParameters.atMost(ConfigParameters.memory(v, 1024 * 1024, Long.MAX_VALUE), Integer.MAX_VALUE),
                v -> queryBufferLimit = v));
        c.add("client-output-buffer-limit", this::clientOutputBufferLimit, this::prepareOutputLimits);
        c.add("requirepass", () -> requirepass == null ? "" : requirepass,
                v -> () -> requirepass = v.isEmpty() ? null : v);
        c.add("save", () -> "", v -> {
            if (!v.isEmpty()) {
                throw new InvalidValueException("this server has no persistence: only an empty save is accepted");
            }
            return () -> { };
        });
        c.add("appendonly", () -> "no", v -> {
            if (!v.equalsIgnoreCase("no")) {
                throw new InvalidValueException(v.equalsIgnoreCase("yes")
                        ? "this server has no persistence: appendonly stays no"
                        : "argument must be 'yes' or 'no'");
            }
            return () -> { };
        });
        c.add("databases", () -> "1", null);
        c.add("port", () -> Integer.toString(server.port()), null);
        c.add("bind", server::bindAddress, null);
        return c.withEncodingKnobs();
    }

    /** Parses {@code class hard soft seconds ...} as Redis's client-output-buffer-limit, all classes or none. */
    private Runnable prepareOutputLimits(String value) {
        String[] parts = value.trim().isEmpty() ? new String[0] : value.trim().split("\\s+");
        if (parts.length % 4 != 0) {
            throw new InvalidValueException("Wrong number of arguments in buffer limit configuration.");
        }
        ClientOutput.Limits normal = normalLimits;
        ClientOutput.Limits pubsub = pubsubLimits;
        String replica = replicaLimits;
        for (int i = 0; i < parts.length; i += 4) {
            String cls = parts[i].toLowerCase(Locale.ROOT);
            if (!cls.equals("normal") && !cls.equals("slave") && !cls.equals("replica") && !cls.equals("pubsub")) {
                throw new InvalidValueException("Invalid client class specified in buffer limit configuration.");
            }
            long hard;
            long soft;
            long seconds;
            try {
                hard = ConfigParameters.memory(parts[i + 1], 0, Long.MAX_VALUE);
                soft = ConfigParameters.memory(parts[i + 2], 0, Long.MAX_VALUE);
                seconds = ConfigParameters.integer(parts[i + 3], 0, Long.MAX_VALUE / 1_000_000_000L);
            } catch (InvalidValueException e) {
                throw new InvalidValueException("Error in hard, soft or soft_seconds setting in buffer limit configuration.");
            }
            ClientOutput.Limits limits = new ClientOutput.Limits(hard, soft, Duration.ofSeconds(seconds));
            switch (cls) {
                case "normal" -> normal = limits;
                case "pubsub" -> pubsub = limits;
                default -> replica = hard + " " + soft + " " + seconds;
            }
        }
        ClientOutput.Limits newNormal = normal;
        ClientOutput.Limits newPubsub = pubsub;
        String newReplica = replica;
        return () -> {
            normalLimits = newNormal;
            pubsubLimits = newPubsub;
            replicaLimits = newReplica;
        };
    }
}
