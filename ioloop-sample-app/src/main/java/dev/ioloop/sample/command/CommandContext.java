package dev.ioloop.sample.command;

import dev.ioloop.sample.store.KeyValueStore;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * One connection's view while a command runs: the store and what clients share ({@link SharedState}), the server,
 * and the client's own state (id, name, authentication, whether to close after the reply, the command being run, its
 * transaction: the commands queued after MULTI and the keys it WATCHes).
 *
 * <p>Not thread-safe: the data loop's thread owns it.
 */
public final class CommandContext {

    private final SharedState shared;
    private final KeyValueStore store;
    private final ServerInfo server;
    private final long clientId;
    private @Nullable String clientName;
    private boolean authenticated;
    private boolean closeAfterReply;
    private String commandName = "";
    // the transaction: queued commands while in MULTI (null outside), whether queueing failed, whether EXEC runs
    private @Nullable List<QueuedCommand> queued;
    private boolean queueingFailed;
    private boolean executing;
    // A client that never WATCHes or subscribes holds none of these (null until first used, null again once empty):
    // with 10,000 idle connections each empty collection would cost ~0.5 MB (issue 12's idle-memory target).
    private @Nullable List<WatchedKeys.Watch> watched;
    private boolean watchTouched;
    private boolean blocked;
    private java.util.@Nullable LinkedHashSet<String> channels;
    private java.util.@Nullable LinkedHashSet<String> patterns;
    private PubSub.@Nullable Subscriber subscriber;
    private BlockedClients.@Nullable BlockingClient blockingClient;

    /** A command queued after MULTI: its table entry and its own copy of the arguments. */
    record QueuedCommand(CommandSpec spec, List<byte[]> args) {
    }

    /**
     * Creates a client's context.
     *
     * @param store the keyspace
     * @param server the server's configuration and counters
     * @param clientId the client's id, unique within the server (CLIENT ID)
     */
    public CommandContext(KeyValueStore store, ServerInfo server, long clientId) {
        this(new SharedState(store), server, clientId);
    }

    /**
     * Creates a client's context among others sharing {@code shared} (their WATCHes see each other's changes).
     *
     * @param shared what clients share, the keyspace included
     * @param server the server's configuration and counters
     * @param clientId the client's id, unique within the server (CLIENT ID)
     */
    public CommandContext(SharedState shared, ServerInfo server, long clientId) {
        this.shared = shared;
        this.store = shared.store();
        this.server = server;
        this.clientId = clientId;
        this.authenticated = server.requirePass() == null;
    }

    /** Returns the keyspace. */
    public KeyValueStore store() {
        return store;
    }

    /** Returns what clients share. */
    public SharedState shared() {
        return shared;
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

    /** Whether the idle timeout spares this client (it is blocked or subscribed), as Redis's clientsCron. */
    public boolean exemptFromIdleTimeout() {
        return blocked || subscriptionCount() > 0;
    }

    // ---------------------------------------------------------------- pub/sub

    /** Returns how many channels and patterns the client subscribes to (more than 0: subscribed mode). */
    public int subscriptionCount() {
        return (channels == null ? 0 : channels.size()) + (patterns == null ? 0 : patterns.size());
    }

    /**
     * Returns whether this client holds any of the collections only pub/sub, WATCH and MULTI need: a client that never
     * used them (or left them all) holds none.
     */
    boolean holdsFeatureState() {
        return channels != null || patterns != null || watched != null || queued != null;
    }

    /** The channels the client subscribes to, in the order it subscribed (change it with the methods below). */
    java.util.Set<String> channels() {
        return channels == null ? java.util.Set.of() : channels;
    }

    /** The patterns the client subscribes to, in the order it subscribed (change it with the methods below). */
    java.util.Set<String> patterns() {
        return patterns == null ? java.util.Set.of() : patterns;
    }

    /** Adds {@code channel} to the client's channels; returns whether it was new. */
    boolean addChannel(String channel) {
        channels = channels == null ? new java.util.LinkedHashSet<>() : channels;
        return channels.add(channel);
    }

    /** Removes {@code channel} from the client's channels; returns whether it was there. The last one frees the set. */
    boolean removeChannel(String channel) {
        boolean removed = channels != null && channels.remove(channel);
        channels = channels == null || channels.isEmpty() ? null : channels;
        return removed;
    }

    /** Adds {@code pattern} to the client's patterns; returns whether it was new. */
    boolean addPattern(String pattern) {
        patterns = patterns == null ? new java.util.LinkedHashSet<>() : patterns;
        return patterns.add(pattern);
    }

    /** Removes {@code pattern} from the client's patterns; returns whether it was there. The last one frees the set. */
    boolean removePattern(String pattern) {
        boolean removed = patterns != null && patterns.remove(pattern);
        patterns = patterns == null || patterns.isEmpty() ? null : patterns;
        return removed;
    }

    /** Returns the connection messages go to, or null if this client cannot receive them (no connection). */
    PubSub.@Nullable Subscriber subscriber() {
        return subscriber;
    }

    /** Lets this client receive published messages through {@code connection}. */
    public void setSubscriber(PubSub.Subscriber connection) {
        this.subscriber = connection;
    }

    // ---------------------------------------------------------------- blocking

    /** Returns whether the client waits in a blocking command (its next commands wait until it is served). */
    public boolean blocked() {
        return blocked;
    }

    void setBlocked(boolean blocked) {
        this.blocked = blocked;
    }

    /** Returns the connection told when a wait ends, or null if this client cannot block (no connection). */
    BlockedClients.@Nullable BlockingClient blockingClient() {
        return blockingClient;
    }

    /** Lets this client block: {@code connection} is told its reply when a wait ends. */
    public void setBlockingClient(BlockedClients.BlockingClient connection) {
        this.blockingClient = connection;
    }

    // ---------------------------------------------------------------- transaction

    /** Returns whether the client is in MULTI (its commands are queued). */
    public boolean inMulti() {
        return queued != null;
    }

    /** Returns whether the command runs inside EXEC (blocking commands then do not block). */
    public boolean executingTransaction() {
        return executing;
    }

    void beginMulti() {
        queued = new ArrayList<>();
        queueingFailed = false;
    }

    void queue(CommandSpec spec, List<byte[]> args) {
        List<byte[]> copy = new ArrayList<>(args); // the connection reuses its argument list
        java.util.Objects.requireNonNull(queued).add(new QueuedCommand(spec, copy));
    }

    /** A command was refused while queueing: EXEC will answer EXECABORT. */
    void failQueueing() {
        queueingFailed = true;
    }

    boolean queueingFailed() {
        return queueingFailed;
    }

    List<QueuedCommand> queued() {
        return queued == null ? List.of() : queued;
    }

    /** Leaves MULTI (EXEC, DISCARD) and forgets the watched keys. */
    void endMulti() {
        queued = null;
        queueingFailed = false;
        shared.watches().unwatchAll(this);
    }

    void setExecuting(boolean executing) {
        this.executing = executing;
    }

    /** The keys this client watches, as {@link WatchedKeys} records them (change it with the methods below). */
    List<WatchedKeys.Watch> watched() {
        return watched == null ? List.of() : watched;
    }

    /** Records one more watched key. */
    void addWatch(WatchedKeys.Watch watch) {
        if (watched == null) {
            watched = new ArrayList<>(2);
        }
        watched.add(watch);
    }

    /** Forgets every watched key (and the list that held them). */
    void clearWatches() {
        watched = null;
    }

    void markWatchTouched() {
        watchTouched = true;
    }

    void clearWatchTouched() {
        watchTouched = false;
    }

    boolean watchTouched() {
        return watchTouched;
    }
}
