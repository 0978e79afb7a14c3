package dev.ioloop.sample.testing;

import dev.ioloop.sample.command.ConfigParameters;
import dev.ioloop.sample.command.ServerInfo;
import org.jspecify.annotations.Nullable;

/** A fixed {@link ServerInfo} for command tests without a server. */
public record TestServerInfo(@Nullable String requirePass) implements ServerInfo {
    @Override public int port() { return 6380; }
    @Override public int hz() { return 10; }
    @Override public long uptimeSeconds() { return 42; }
    @Override public int connectedClients() { return 1; }
    @Override public int maxClients() { return 10000; }
    @Override public long totalConnectionsReceived() { return 3; }
    @Override public long rejectedConnections() { return 0; }
    @Override public long totalCommandsProcessed() { return 7; }
    @Override public long netInputBytes() { return 100; }
    @Override public long netOutputBytes() { return 200; }
    @Override public String dataThreadName() { return "test"; }
    @Override public String maxmemoryPolicy() { return "noeviction"; }
    @Override public String clientOutputBufferLimit() { return "normal 67108864 16777216 60"; }
    @Override public long outputLimitCloses() { return 0; }
    @Override public ConfigParameters config() { return new ConfigParameters().withEncodingKnobs(); }
    @Override public void resetStats() { }
}
