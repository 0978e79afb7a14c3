package dev.ioloop.sample.command;

import dev.ioloop.sample.store.KeyValueStore;
import org.jspecify.annotations.Nullable;

/**
 * One connection's view while a command runs: the store, the server, and the client's own state (id, name,
 * authentication, whether to close after the reply, the command being run).
 *
 * <p>Not thread-safe: the data loop's thread owns it.
 */
public final class CommandContext {

    private final KeyValueStore store;
    private final ServerInfo server;
    private final long clientId;
    private @Nullable String clientName;
    private boolean authenticated;
    private boolean closeAfterReply;
    private String commandName = "";

    /**
     * Creates a client's context.
     *
     * @param store the keyspace
     * @param server the server's configuration and counters
     * @param clientId the client's id, unique within the server (CLIENT ID)
     */
    public CommandContext(KeyValueStore store, ServerInfo server, long clientId) {
        this.store = store;
        this.server = server;
        this.clientId = clientId;
        this.authenticated = server.requirePass() == null;
    }

    /** Returns the keyspace. */
    public KeyValueStore store() {
        return store;
    }

    /** Returns the server. */
    public ServerInfo server() {
        return server;
    }

    /** Returns this client's id. */
    public long clientId() {
        return clientId;
    }

    /** Returns the name set with CLIENT SETNAME, or null. */
    public @Nullable String clientName() {
        return clientName;
    }

    /** Sets or clears (null) the client's name. */
    public void setClientName(@Nullable String name) {
        this.clientName = name;
    }

    /** Returns whether the client may run commands (no password configured, or AUTH succeeded). */
    public boolean authenticated() {
        return authenticated;
    }

    /** Records that AUTH succeeded. */
    public void authenticate() {
        this.authenticated = true;
    }

    /** Returns whether the connection closes once the pending replies are written (QUIT). */
    public boolean closeAfterReply() {
        return closeAfterReply;
    }

    /** Asks the connection to close once the pending replies are written. */
    public void requestClose() {
        this.closeAfterReply = true;
    }

    /** Returns the lower-case name of the command being run (for error texts). */
    public String commandName() {
        return commandName;
    }

    void setCommandName(String name) {
        this.commandName = name;
    }
}
