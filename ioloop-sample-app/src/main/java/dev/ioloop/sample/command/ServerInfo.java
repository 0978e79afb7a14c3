package dev.ioloop.sample.command;

import org.jspecify.annotations.Nullable;

/**
 * What commands may read about the server: its configuration and counters, for AUTH, INFO and CONFIG GET.
 * Implemented by the server; read on the data loop's thread.
 */
public interface ServerInfo {

    /** The Redis version this server answers as (INFO, HELLO): the protocol level it speaks. */
    String REDIS_VERSION = "7.0.15";

    /** Returns the password clients must AUTH with, or null when none is configured. */
    @Nullable String requirePass();

    /** Returns the TCP port clients connect to. */
    int port();

    /** Returns how many times per second the server's cron runs. */
    int hz();

    /** Returns the whole seconds since the server started. */
    long uptimeSeconds();

    /** Returns the number of open client connections. */
    int connectedClients();

    /** Returns the largest number of clients served at once. */
    int maxClients();

    /** Returns the number of connections accepted since start. */
    long totalConnectionsReceived();

    /** Returns the number of connections refused because of {@link #maxClients()}. */
    long rejectedConnections();

    /** Returns the number of commands run since start. */
    long totalCommandsProcessed();

    /** Returns the bytes read from clients since start. */
    long netInputBytes();

    /** Returns the bytes written to clients since start. */
    long netOutputBytes();

    /** Returns the name of the thread the data lives on. */
    String dataThreadName();

    /** Returns the maxmemory policy by its Redis name ({@code noeviction}). */
    String maxmemoryPolicy();

    /** Returns the client output limits as CONFIG GET shows them: {@code normal hard soft soft-seconds}. */
    String clientOutputBufferLimit();

    /** Returns the number of clients closed for their output buffer limits since start. Safe from any thread. */
    long outputLimitCloses();

    /** Returns the parameters CONFIG GET and SET see. Data loop. */
    ConfigParameters config();

    /** Zeroes the server's counters (CONFIG RESETSTAT); the keyspace's are reset by the store. Data loop. */
    void resetStats();
}
