package dev.ioloop.sample.server;

import dev.ioloop.IOLoop;
import dev.ioloop.IOLoopGroup;
import dev.ioloop.PeriodicCallback;
import dev.ioloop.iostream.IOStream;
import dev.ioloop.sample.command.CommandTable;
import dev.ioloop.sample.command.ConfigParameters;
import dev.ioloop.sample.command.SharedState;
import dev.ioloop.sample.command.ServerInfo;
import dev.ioloop.sample.resp.ReplyBuffer;
import dev.ioloop.sample.resp.RequestArgs;
import dev.ioloop.sample.resp.RespDecoder;
import dev.ioloop.sample.store.ExpiryCycle;
import dev.ioloop.sample.store.KeyValueStore;
import dev.ioloop.sample.store.StoreClock;
import dev.ioloop.iostream.TlsOptions;
import dev.ioloop.tcp.TCPServer;
import dev.ioloop.tcp.TCPServerOptions;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Redis-protocol key-value server on one {@link IOLoop}: the loop accepts clients, runs their commands and owns
 * the data, as Redis's single thread does (so the store needs no locks and a command never waits for another
 * thread).
 *
 * <pre>{@code
 * IOLoop loop = IOLoop.builder().name("redis").build();
 * Thread t = new Thread(loop::start); t.start();
 * RedisServer server = new RedisServer(new RedisServerProperties(), loop, StoreClock.system());
 * server.start();          // listens on 127.0.0.1:6380
 * server.startCron();      // active expiry hz times per second (the Spring app uses @PeriodicCallback instead)
 * ...
 * server.close();
 * }</pre>
 *
 * <p>Threading: {@link #start()}, {@link #close()} and every counter getter are safe from any thread; {@link #cron()}
 * and {@link #store()} belong to the loop's thread. The counters other threads read are updated on the loop with a
 * single writer (see the {@code ordering} comments).
 */
public final class RedisServer implements ServerInfo, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(RedisServer.class);
    /** The reply buffer's capacity kept between bursts; one large reply grows it, the next burst shrinks it back. */
    static final int REPLY_BUFFER_KEPT = 64 * 1024;
    private static final byte[] MAX_CLIENTS_REPLY = "-ERR max number of clients reached\r\n".getBytes(StandardCharsets.US_ASCII);

    private final RedisServerProperties properties;
    private final IOLoop loop;
    private final KeyValueStore store;
    private final SharedState shared;
    private final CommandTable commands;
    private final RespDecoder decoder;
    private final RuntimeConfig runtime;
    private final ConfigParameters configParameters;
    /** The connected clients, for the idle timeout. Data loop only. */
    private final ClientList clients = new ClientList();
    /** Whether the server runs its cron itself (startCron, or CONFIG SET hz) rather than being called at a fixed rate. */
    private boolean ownCron;
    // Every burst's replies are encoded here on the data loop and copied out before the next burst runs, so one
    // buffer serves all connections (an idle connection holds none).
    private final ReplyBuffer replies = new ReplyBuffer(REPLY_BUFFER_KEPT);
    // One command's arguments (ranges of the query buffer), refilled by the decoder for each command on the data loop;
    // commands never keep the list (MULTI copies it), so one list serves all connections (an idle connection holds
    // none). Bounded: RequestArgs drops back to a small capacity after a request with many arguments.
    private final RequestArgs commandArgs = new RequestArgs();
    private final long startedNanos = System.nanoTime();
    private @Nullable TCPServer tcpServer;
    private @Nullable PeriodicCallback cron;
    private volatile int boundPort; // ordering: written once in start() before it returns, read anywhere after
    private volatile int boundTlsPort = -1; // ordering: as boundPort; -1 while there is no TLS port
    private final @Nullable TlsOptions tls;
    private @Nullable TCPServer tlsServer;
    private final @Nullable IOLoopGroup connectionLoops;
    // Connection bookkeeping runs on whichever loop accepted or closed the connection: with a group, several.
    // ordering: getAndIncrement is atomic; ids need uniqueness only, no ordering with other memory.
    private final AtomicLong nextClientId = new AtomicLong(1);
    // ordering: incremented/decremented atomically on connection loops; read by INFO, meters and the maxclients
    // check. Admission is a compare-and-set below maxclients (admitClient), so the count never exceeds it.
    private final AtomicInteger connectedClients = new AtomicInteger();
    // ordering: atomic counters, read with plain get() for reporting; no other state depends on them.
    private final AtomicLong totalConnections = new AtomicLong();
    private final AtomicLong rejectedConnections = new AtomicLong();
    // ordering: as rejectedConnections; hard-limit closes are counted on the data loop, soft-limit ones on the
    // connection's loop (another thread when connections live on a group).
    private final AtomicLong outputLimitCloses = new AtomicLong();
    private volatile boolean listening; // ordering: written in start()/close(), read by health checks on any thread

    // ordering: single writer (the data loop), opaque writes and reads: see TrafficCounters
    private final TrafficCounters traffic = new TrafficCounters();

    /**
     * Creates a server; nothing listens until {@link #start()}.
     *
     * @param properties the settings (read now and later; do not change them after start)
     * @param loop the loop that owns connections and data; it must be running (or about to run) on its own thread
     * @param clock the store's time source
     */
    public RedisServer(RedisServerProperties properties, IOLoop loop, StoreClock clock) {
        this(properties, loop, null, clock);
    }

    /**
     * Creates a server whose connections live on {@code connectionLoops} (round-robin) while the data stays on
     * {@code loop}: each read burst hops to the data loop to run, and its replies hop back to be written. Nothing
     * listens until {@link #start()}.
     *
     * @param properties the settings
     * @param loop the loop that owns the data (and runs the cron)
     * @param connectionLoops the loops for connections, or null to keep them on {@code loop}
     * @param clock the store's time source
     */
    public RedisServer(RedisServerProperties properties, IOLoop loop, @Nullable IOLoopGroup connectionLoops, StoreClock clock) {
        this(properties, loop, connectionLoops, clock, null);
    }

    /**
     * Creates a server that also serves TLS on {@code tls-port} (as Redis's {@code tls-port}), with the same commands,
     * data and limits as the plain port. Nothing listens until {@link #start()}.
     *
     * @param properties the settings; {@code tls-port} is used when {@code tls} is given
     * @param loop the loop that owns the data (and runs the cron)
     * @param connectionLoops the loops for connections, or null to keep them on {@code loop}
     * @param clock the store's time source
     * @param tls server-side TLS options for the TLS port, or null for none
     * @throws IllegalArgumentException if {@code tls} is given without a {@code tls-port}, or is client-side
     */
    public RedisServer(RedisServerProperties properties, IOLoop loop, @Nullable IOLoopGroup connectionLoops, StoreClock clock,
            @Nullable TlsOptions tls) {
        this(properties, loop, connectionLoops, clock, tls, CommandTable.standard());
    }

    /**
     * Creates a server with its own command table (the standard one plus commands of your own, see
     * {@link CommandTable#with}); otherwise as
     * {@link #RedisServer(RedisServerProperties, IOLoop, IOLoopGroup, StoreClock, TlsOptions)}.
     *
     * @param properties the settings; {@code tls-port} is used when {@code tls} is given
     * @param loop the loop that owns the data (and runs the cron)
     * @param connectionLoops the loops for connections, or null to keep them on {@code loop}
     * @param clock the store's time source
     * @param tls server-side TLS options for the TLS port, or null for none
     * @param commands the commands clients may run
     * @throws IllegalArgumentException if {@code tls} is given without a {@code tls-port}, or is client-side
     */
    public RedisServer(RedisServerProperties properties, IOLoop loop, @Nullable IOLoopGroup connectionLoops, StoreClock clock,
            @Nullable TlsOptions tls, CommandTable commands) {
        if (tls != null && properties.getTlsPort() == null) {
            throw new IllegalArgumentException("TLS options were given but 'sample.redis.tls-port' is not set");
        }
        if (tls != null && !tls.serverSide()) {
            throw new IllegalArgumentException("the TLS port needs server-side TLS options (was " + tls + ")");
        }
        this.tls = tls;
        this.commands = commands;
        this.connectionLoops = connectionLoops;
        this.properties = properties;
        this.loop = loop;
        this.store = new KeyValueStore(clock, ThreadLocalRandom.current().nextLong());
        this.store.setMaxmemory(properties.maxmemoryBytes(Runtime.getRuntime().maxMemory()));
        this.shared = new SharedState(store, (seconds, task) -> {
            dev.ioloop.Timeout timeout = loop.callLater(seconds, task); // blocked clients' timeouts: on the data loop
            return () -> loop.removeTimeout(timeout);
        });
        this.decoder = new RespDecoder(properties.getProtoMaxBulkLen());
        this.runtime = new RuntimeConfig(properties);
        this.configParameters = runtime.parameters(this);
    }

    /**
     * Listens on {@code bind:port} and returns once the socket is bound. Safe from any thread; the loop must be
     * running.
     *
     * @throws IllegalStateException if already started
     * @throws java.io.UncheckedIOException if the address cannot be bound
     */
    public synchronized void start() {
        if (tcpServer != null) {
            throw new IllegalStateException("RedisServer is already started: call close() first");
        }
        IOLoopGroup group = connectionLoops;
        TCPServer server = newTcpServer(streamOptions());
        server.listen(properties.getPort(), properties.getBind());
        tcpServer = server;
        List<InetSocketAddress> addresses = server.boundAddresses();
        boundPort = addresses.get(0).getPort();
        if (tls != null) {
            TCPServer secure = newTcpServer(streamOptions().withTls(tls));
            tlsServer = secure;
            secure.listen(java.util.Objects.requireNonNull(properties.getTlsPort()), properties.getBind());
            boundTlsPort = secure.boundAddresses().get(0).getPort();
        }
        listening = true;
        log.info("Redis protocol server listening on {}:{}{} (data on loop '{}', connections on {})", properties.getBind(),
                boundPort, tls == null ? "" : " and TLS port " + boundTlsPort, loop.name(),
                group == null ? "the same loop" : group.loops().size() + " group loops");
    }

    /**
     * The options of the clients' streams: no write limit of their own, because the limit is the client's output limit
     * ({@link ClientOutput}), which CONFIG SET may change while the stream lives: RedisConnection checks it before each
     * write, so the stream's queue is bounded by it (a hard limit of 0, none, makes the queue unlimited, as in Redis).
     * Likewise no read limit of their own: an unfinished command waits in the stream's buffer, and RedisConnection
     * refuses it once it exceeds the query-buffer limit (CONFIG SET may raise it to 2 GiB), so the stream's buffer
     * holds at most that limit plus one read.
     */
    private TCPServerOptions streamOptions() {
        return TCPServerOptions.defaults().withMaxWriteBufferSize(0).withMaxBufferSize(Integer.MAX_VALUE - 16);
    }

    /** A TCP server for this server's clients: on the group if there is one, else on the data loop. */
    private TCPServer newTcpServer(TCPServerOptions options) {
        IOLoopGroup group = connectionLoops;
        return group != null ? new TCPServer(this::handleStream, group, options)
                : CompletableFuture.supplyAsync(() -> new TCPServer(this::handleStream, loop, options), loop).join();
    }

    /**
     * Starts the server's own cron at {@code hz}, for use without the Spring starter's {@code @PeriodicCallback}.
     * Safe from any thread.
     */
    public synchronized void startCron() {
        if (cron == null) {
            cron = new PeriodicCallback(this::cron, Duration.ofNanos(1_000_000_000L / runtime.hz));
            cron.start(loop);
            ownCron = true;
        }
    }

    /**
     * Runs the cron at {@code hz} from now on (CONFIG SET hz): the server takes over its schedule, so a fixed-rate
     * caller of {@link #scheduledCron()} (the app's {@code @PeriodicCallback}) finds nothing left to do. Data loop.
     */
    synchronized void rescheduleCron(int hz) {
        PeriodicCallback old = cron;
        if (old != null) {
            old.stop();
        }
        cron = new PeriodicCallback(this::cron, Duration.ofNanos(1_000_000_000L / hz));
        cron.start(loop);
        ownCron = true;
    }

    /**
     * One cron run for a caller that runs it at the configured {@code sample.redis.hz} (the app's
     * {@code @PeriodicCallback}); does nothing once the server runs its own cron (after CONFIG SET hz). Loop thread.
     */
    public void scheduledCron() {
        if (!ownCron) {
            cron();
        }
    }

    /**
     * One run of the server cron, like Redis's {@code serverCron}: an active-expiry cycle within the configured
     * budget, then publication of the keyspace counters for meters. Loop thread only.
     *
     * @return what the expiry cycle did
     */
    public ExpiryCycle cron() {
        ExpiryCycle cycle = store.activeExpireCycle(properties.getActiveExpireBudget().toNanos());
        store.publishStats();
        closeIdleClients();
        return cycle;
    }

    /** Closes clients idle for more than {@code timeout} seconds (0: never), as Redis's clientsCron. Data loop. */
    private void closeIdleClients() {
        int timeout = runtime.timeoutSeconds;
        if (timeout <= 0 || clients.isEmpty()) {
            return;
        }
        double now = loop.time();
        clients.forEach(c -> c.closeIfIdle(now, timeout)); // closes on the connection's loop, later: no removal here
    }

    /** Stops accepting, closes every client and the cron. Safe from any thread; idempotent. */
    @Override
    public synchronized void close() {
        listening = false;
        if (cron != null) {
            cron.stop();
            cron = null;
        }
        TCPServer server = tcpServer;
        if (server != null) {
            server.close();
            tcpServer = null;
        }
        TCPServer secure = tlsServer;
        if (secure != null) {
            secure.close();
            tlsServer = null;
        }
    }

    /** Returns the keyspace. Loop thread only (except {@code stats()} and {@code lastCycle()}). */
    public KeyValueStore store() {
        return store;
    }

    /** Returns the loop that owns the data. */
    public IOLoop loop() {
        return loop;
    }

    /** Returns the address clients connect to; valid after {@link #start()}. */
    public InetSocketAddress address() {
        return new InetSocketAddress(properties.getBind(), boundPort);
    }

    /** Returns the TLS port clients connect to, or -1 without TLS; valid after {@link #start()}. */
    public int tlsPort() {
        return boundTlsPort; // ordering: volatile read
    }

    /** Returns whether the server accepts clients (between {@link #start()} and {@link #close()}). Safe from any thread. */
    public boolean isListening() {
        return listening; // ordering: volatile read
    }

    /** Returns the number of protocol errors (malformed input, over-limit query buffers) since start. */
    public long protocolErrors() {
        return traffic.protocolErrors();
    }

    private @Nullable CompletionStage<?> handleStream(IOStream stream, InetSocketAddress address) {
        totalConnections.incrementAndGet(); // ordering: see field
        if (!admitClient()) {
            rejectedConnections.incrementAndGet();
            stream.write(MAX_CLIENTS_REPLY).whenComplete((ok, error) -> stream.close());
            return null;
        }
        stream.setNodelay(true);
        RedisConnection connection = new RedisConnection(stream, this, nextClientId.getAndIncrement());
        // ordering: both hops are queued from this stream's loop, in this order, on the data loop's FIFO queue: the
        // client is registered before it is released
        loop.execute(() -> clients.add(connection));
        stream.setCloseCallback(() -> {
            connectedClients.decrementAndGet(); // ordering: see field
            loop.execute(() -> {
                clients.remove(connection);
                connection.released(); // what the client held on the data loop goes there
            });
        });
        connection.start();
        return null;
    }

    /**
     * Counts a new client unless that would exceed maxclients. Safe from any thread: connection loops
     * accept concurrently.
     */
    private boolean admitClient() {
        int max = runtime.maxclients; // ordering: volatile read (CONFIG SET maxclients writes it on the data loop)
        while (true) {
            // ordering: compare-and-set on the count, so concurrent accepts on several loops never push it
            // past maxclients, not even for a moment (readers such as INFO and the meters see it).
            int current = connectedClients.get();
            if (current >= max) {
                return false;
            }
            if (connectedClients.compareAndSet(current, current + 1)) {
                return true;
            }
        }
    }

    // ---------------------------------------------------------------- for RedisConnection (loop thread)

    CommandTable commands() {
        return commands;
    }

    /** Returns how many clients wait in a blocking command. Data loop only. */
    public int blockedClients() {
        return shared.blocked().count();
    }

    /** What clients share on the data loop (watched keys, blocked clients). Data loop only. */
    SharedState shared() {
        return shared;
    }

    /** The data loop's reply buffer: empty at the start of a batch, copied out and cleared at its end. */
    ReplyBuffer replies() {
        return replies;
    }

    RespDecoder decoder() {
        return decoder;
    }

    /** The data loop's argument list: the decoder refills it for each command. Data loop only. */
    RequestArgs commandArgs() {
        return commandArgs;
    }

    int queryBufferLimit() {
        return runtime.queryBufferLimit;
    }

    /** The run-time parameters (client output limits by class, ...). Any thread: see its ordering note. */
    RuntimeConfig runtime() {
        return runtime;
    }

    void recordBatch(long commandsRun, long bytesIn, long bytesOut) {
        // ordering: single writer (the data loop's thread); opaque writes, read by INFO and meters (TrafficCounters)
        traffic.recordBatch(commandsRun, bytesIn, bytesOut);
    }

    void recordOutputLimitClose() {
        outputLimitCloses.incrementAndGet(); // ordering: see field
    }



    void recordProtocolError() {
        traffic.recordProtocolError(); // ordering: single writer (loop thread)
    }

    // ---------------------------------------------------------------- ServerInfo (any thread)

    @Override
    public @Nullable String requirePass() {
        return runtime.requirepass;
    }

    @Override
    public int port() {
        return boundPort; // ordering: volatile read
    }

    @Override
    public int hz() {
        return runtime.hz;
    }

    @Override
    public long uptimeSeconds() {
        return (System.nanoTime() - startedNanos) / 1_000_000_000L;
    }

    @Override
    public int connectedClients() {
        return connectedClients.get(); // ordering: see field
    }

    @Override
    public int maxClients() {
        return runtime.maxclients;
    }

    @Override
    public long totalConnectionsReceived() {
        return totalConnections.get(); // ordering: see field
    }

    @Override
    public long rejectedConnections() {
        return rejectedConnections.get(); // ordering: see field
    }

    @Override
    public long totalCommandsProcessed() {
        return traffic.commands();
    }

    @Override
    public long netInputBytes() {
        return traffic.inputBytes();
    }

    @Override
    public long netOutputBytes() {
        return traffic.outputBytes();
    }

    @Override
    public String maxmemoryPolicy() {
        return properties.getMaxmemoryPolicy().name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }

    @Override
    public String clientOutputBufferLimit() {
        return runtime.clientOutputBufferLimit();
    }

    @Override
    public ConfigParameters config() {
        return configParameters;
    }

    @Override
    public void resetStats() {
        // ordering: single writer (the data loop, where CONFIG RESETSTAT runs) for the traffic counters; the atomic
        // ones are set atomically. A reader sees each counter either before or after the reset.
        traffic.reset();
        totalConnections.set(0);
        rejectedConnections.set(0);
        outputLimitCloses.set(0);
    }

    /** The address the server binds (CONFIG GET bind). */
    String bindAddress() {
        return properties.getBind();
    }

    @Override
    public long outputLimitCloses() {
        return outputLimitCloses.get(); // ordering: see field
    }

    @Override
    public String dataThreadName() {
        Thread t = loop.thread();
        return t == null ? loop.name() : t.getName();
    }
}
