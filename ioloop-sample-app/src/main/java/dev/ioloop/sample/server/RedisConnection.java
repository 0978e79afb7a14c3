package dev.ioloop.sample.server;

import dev.ioloop.iostream.IOStream;
import dev.ioloop.iostream.LentReadHandler;
import dev.ioloop.iostream.StreamClosedException;
import dev.ioloop.sample.command.BlockedClients;
import dev.ioloop.sample.command.CommandContext;
import dev.ioloop.sample.command.PubSub;
import dev.ioloop.sample.resp.ReplyBuffer;
import dev.ioloop.sample.resp.RequestArgs;
import dev.ioloop.sample.resp.RespDecoder;
import dev.ioloop.sample.resp.RespEncoder;
import dev.ioloop.sample.resp.RespFrame;
import dev.ioloop.sample.resp.RespProtocolException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client: reads a burst, runs its complete commands in order, and hands their replies to the stream as it goes
 * (pipelining), with every byte it holds bounded.
 *
 * <ul>
 *   <li>Replies are encoded into the server's reply buffer and handed to the stream once {@link #BATCH_BYTES} have
 *       gathered, or at the end of the burst; a bulk string of {@link #ZERO_COPY_BYTES} or more is written from the
 *       store's own array (string values are immutable), not copied.
 *   <li>While {@link #PAUSE_BYTES} or more replies are unwritten (the client reads slower than it asks), the rest of
 *       its pipeline waits in the query buffer and nothing more is read from it: TCP slows the client down. So one
 *       connection holds at most about that much, plus one reply, plus one batch.
 *   <li>Redis's {@code client-output-buffer-limit} ({@link ClientOutput}): a reply that would take the unwritten
 *       replies over the hard limit, or unwritten replies over the soft limit for soft-seconds, close the client with
 *       a WARN line naming it; other clients are not affected. A reply array is measured before it is encoded, so
 *       one over the limit is never built.
 *   <li>Requests are decoded where the stream read them ({@link IOStream#readLent}): no copy per read. A burst that
 *       ends inside a command leaves its tail in the stream's buffer, which lends it again with the rest (an idle
 *       connection holds no buffer). With connections on a group the bytes are copied into a per-connection query
 *       buffer instead, because the data loop decodes them after the read's callback returned. An unfinished
 *       command over the query-buffer limit, or malformed input, is answered {@code -ERR ...} after the replies
 *       before it, and the connection closes; QUIT closes after its {@code +OK}.
 * </ul>
 *
 * <p>Threading: reads, writes and the limits on the stream's loop; decoding, commands and encoding on the data loop,
 * which is the same loop unless the server spreads connections over a group. Then each batch hops to the data loop
 * and its replies hop back.
 */
final class RedisConnection implements PubSub.Subscriber, BlockedClients.BlockingClient, LentReadHandler {

    private static final Logger log = LoggerFactory.getLogger(RedisConnection.class);
    /** The most bytes one lent read adds, as the stream offers them: one socket read (its MAX_IO_BYTES). */
    private static final int BURST_READ = 256 * 1024;
    /** The smallest query buffer made for an unfinished command (connections on a group). */
    private static final int MIN_QUERY_BUFFER = 4 * 1024;
    /** Replies encoded before they are handed to the stream (one reply may take a batch past it). */
    static final int BATCH_BYTES = 64 * 1024;
    /** Unwritten replies at which the client's pipeline waits until they have been written. */
    static final int PAUSE_BYTES = 64 * 1024;
    /** Bulk strings at least this long are written from their own array instead of being copied. */
    static final int ZERO_COPY_BYTES = 16 * 1024;
    private static final byte[] NO_QUERY = new byte[0];

    private final IOStream stream;
    private final RedisServer server;
    private final CommandContext ctx;
    private final ClientOutput output;
    /** Whether the connection runs its commands on its own loop, in the bytes the stream lends (else it copies). */
    private final boolean inPlace;
    // ordering: the fields below are plain. With connections on a group they are used by two loops in turn, never
    // at once: the connection loop copies into 'query' and hands the batch to the data loop with execute(); the data
    // loop hands the replies back with execute(). Each hand-off goes through a loop's callback queue, whose
    // offer/poll pair is a happens-before edge, so each side sees the other's writes.
    //
    // In place, 'query' is the stream's lent array only while consume() runs, NO_QUERY otherwise: what is not
    // consumed stays in the stream's buffer ('held' bytes). On a group, 'query' is the connection's own copy, and
    // NO_QUERY while no command is unfinished (an idle connection holds no buffer).
    private byte[] query = NO_QUERY;
    private int start; // first unconsumed byte of query
    private int end;   // one past the last received byte
    /** In place: bytes the stream holds that this connection was shown and did not consume. Connection loop. */
    private int held;
    private boolean closing;
    /** The query may hold complete commands not run yet (a batch stopped for its output). */
    private boolean pending;
    /** Bytes read and not yet counted in the server's stats (counted on the data loop). */
    private long unrecordedInput;
    /** Unwritten replies when the batch hopped to the data loop (its limit checks use it there). */
    private long unwrittenAtHop;
    /** Data-loop time of the last batch run for this client (the idle timeout counts from it). Data loop only. */
    private double lastCommandTime;
    /**
     * Whether the client was blocked when its last batch ended: written by the data loop in process(), read by the
     * connection loop after the batch's hop back (ordering: as the fields above).
     */
    private boolean blockedAfterBatch;
    // Connection loop only: a read or a batch hop is under way (it will go on with the read loop when it completes),
    // so a blocked client's release must not start another.
    private boolean readInFlight;
    private boolean batchInFlight;
    // The server's list of connected clients runs through its connections ({@link ClientList}). Data loop only.
    @Nullable RedisConnection prevClient;
    @Nullable RedisConnection nextClient;
    // Whether the read started last has been delivered (consume or closed ran). Connection loop only.
    private boolean delivered;

    RedisConnection(IOStream stream, RedisServer server, long clientId) {
        this.stream = stream;
        this.server = server;
        this.output = new ClientOutput(stream, server.runtime(), server, clientId);
        this.inPlace = stream.ioLoop() == server.loop();
        this.lastCommandTime = server.loop().time(); // IOLoop.time() is a monotonic clock, readable from any thread
        this.ctx = new CommandContext(server.shared(), server, clientId);
        // the connection itself is the subscriber and the blocking client: no adapter objects per client
        this.ctx.setBlockingClient(this);
        this.ctx.setSubscriber(this);
    }

    /** The client is gone: forgets what it held among the clients' shared state (its watches). Data loop. */
    void released() {
        server.shared().release(ctx);
    }

    /**
     * Closes the client if it ran no command for more than {@code timeoutSeconds} (CONFIG SET timeout) at loop time
     * {@code now}; blocked and pub/sub clients are exempt, as in Redis. Data loop.
     */
    void closeIfIdle(double now, int timeoutSeconds) {
        if (now - lastCommandTime > timeoutSeconds && !ctx.exemptFromIdleTimeout()) {
            log.debug("client {} closed: idle for more than {} s (timeout)", ctx.clientId(), timeoutSeconds);
            stream.ioLoop().execute(stream::close);
        }
    }

    /**
     * The client's wait in a blocking command ended with {@code reply} (served, timed out, CLIENT UNBLOCK). Data loop,
     * possibly in the middle of another client's batch, so the reply is encoded on its own (not in the server's reply
     * buffer) and everything else happens on the connection loop, after whatever was queued there before.
     */
    @Override
    public void unblocked(RespFrame reply) {
        byte[] bytes = RespEncoder.encode(reply);
        server.recordBatch(0, 0, bytes.length);
        stream.ioLoop().execute(() -> {
            if (stream.closed() || !output.write(ByteBuffer.wrap(bytes))) {
                return;
            }
            if (readInFlight || batchInFlight) {
                return; // that read or batch goes on with the read loop, which now runs the queued commands
            }
            pending = queued();
            blockedAfterBatch = false;
            readLoop();
        });
    }

    /**
     * Queues a published message for this subscriber (the same bytes go to every subscriber). Data loop: written at
     * once when the connection lives there, else handed to its loop. Either way the pub/sub output limits apply
     * ({@link ClientOutput#write}): a subscriber that does not keep up is closed, never buffered without bound.
     */
    @Override
    public void deliver(byte[] message) {
        server.recordBatch(0, 0, message.length);
        if (stream.ioLoop() == server.loop()) {
            if (!stream.closed()) {
                output.write(ByteBuffer.wrap(message));
            }
            return;
        }
        stream.ioLoop().execute(() -> {
            if (!stream.closed()) {
                output.write(ByteBuffer.wrap(message));
            }
        });
    }

    /** The client subscribed to something or left its last subscription: its output limits change class. Data loop. */
    @Override
    public void subscribed(boolean subscribed) {
        output.setPubsub(subscribed);
    }

    /** Starts the read loop. Connection loop. */
    void start() {
        readLoop();
    }

    /**
     * Runs pending commands or reads until something is pending: a read, a write to drain, or a hop to the data
     * loop. A step that completes at once (data already buffered) is handled in this loop rather than by
     * recursion, so a long pipeline cannot grow the stack.
     */
    private void readLoop() {
        while (!closing && !stream.closed()) {
            if (pending && !inPlace) {
                if (!runBatch()) {
                    return;
                }
                continue;
            }
            // in place, complete commands wait in the stream's buffer (pending): shown again at once; otherwise the
            // stream waits for at least one byte more than this connection has seen
            delivered = false;
            stream.readLent(pending ? 1 : held + 1, this);
            if (!delivered) {
                readInFlight = true; // consume or closed goes on with the read loop
                return;
            }
            if (!afterDelivery()) {
                return;
            }
        }
    }

    /**
     * The stream lends what it buffered (at least one byte more than this connection had seen, or the complete
     * commands that wait): in place, the commands run in the lent bytes and those consumed are the ones run; on a
     * group, the bytes are copied into the query buffer and all consumed. A delivery inside the readLent call
     * (buffered bytes) leaves the rest to the read loop on the stack. What this throws reaches the loop's funnel and
     * closes the stream (the stream's rule for readLent handlers). Connection loop.
     */
    @Override
    public int consume(byte[] bytes, int offset, int length) {
        boolean readLoopOnStack = !readInFlight;
        readInFlight = false;
        delivered = true;
        unrecordedInput += length - held; // the bytes not seen before
        int consumed;
        if (inPlace) {
            query = bytes;
            start = offset;
            end = offset + length;
            try {
                process(null);
                consumed = start - offset;
            } finally {
                query = NO_QUERY; // lent only for this call
                start = 0;
                end = 0;
            }
            held = length - consumed;
        } else {
            append(bytes, offset, length);
            consumed = length;
            pending = true;
        }
        if (!readLoopOnStack && afterDelivery()) {
            readLoop(); // its next read starts now and is delivered after this returns, from what is left
        }
        return consumed;
    }

    /** The stream closed before more bytes came (EOF, error, local close). Connection loop. */
    @Override
    public void closed(StreamClosedException cause) {
        readInFlight = false;
        delivered = true;
        log.debug("client {} gone: {}", ctx.clientId(), cause.getCause() == null ? "EOF" : cause.getCause().toString());
    }

    /** After a delivery: in place its batch ran (what follows it), on a group the batch runs next. */
    private boolean afterDelivery() {
        return !inPlace || afterBatch();
    }

    /** Whether commands, complete or not, wait behind a blocked client's blocking command. */
    private boolean queued() {
        return inPlace ? held > 0 : start != end;
    }

    /** Copies lent bytes after the unfinished command in the query buffer (connections on a group). */
    private void append(byte[] bytes, int offset, int length) {
        if (start == end && query.length < length) {
            query = Arrays.copyOfRange(bytes, offset, offset + length); // the common case: a burst of whole commands
            start = 0;
            end = length;
            return;
        }
        makeRoom(length);
        System.arraycopy(bytes, offset, query, end, length);
        end += length;
    }

    /**
     * Runs one batch of the pending commands and writes its replies; returns whether to go on now (false: the
     * connection waits for its writes to drain, for the data loop, or closes). Connection loop.
     */
    private boolean runBatch() {
        if (stream.ioLoop() == server.loop()) {
            process(null);
            return afterBatch();
        }
        unwrittenAtHop = stream.writeBufferSize();
        batchInFlight = true;
        server.loop().execute(() -> {
            List<ByteBuffer> parts = new ArrayList<>(2);
            try {
                process(parts);
            } catch (Throwable e) {
                // the data loop's funnel logs it (rethrown below); the connection it broke closes once the replies
                // before it are written
                stream.ioLoop().execute(() -> {
                    for (ByteBuffer part : parts) {
                        output.write(part);
                    }
                    output.whenWritten().whenComplete((ok, error) -> stream.close(e));
                });
                throw e;
            }
            stream.ioLoop().execute(() -> {
                batchInFlight = false;
                for (ByteBuffer part : parts) {
                    if (!output.write(part)) {
                        return;
                    }
                }
                if (afterBatch()) {
                    readLoop();
                }
            });
        });
        return false;
    }

    /** After a batch's replies were handed to the stream: closes, waits for them to drain, or goes on. */
    private boolean afterBatch() {
        if (stream.closed()) {
            return false;
        }
        if (closing) {
            output.whenWritten().whenComplete((ok, e) -> stream.close());
            return false;
        }
        if (blockedAfterBatch && queued()) {
            // blocked with more commands queued behind the blocking one: they wait for its reply (unblocked()).
            // With nothing queued the read loop goes on reading, which also notices a disconnect while blocked.
            return false;
        }
        if (output.unwritten() >= PAUSE_BYTES) {
            // back-pressure: the client reads slower than it asks; its pipeline waits until the replies drained
            output.whenWritten().whenComplete((ok, e) -> {
                output.drained();
                if (e == null) {
                    readLoop();
                }
            });
            return false;
        }
        return true;
    }

    /**
     * Runs the pending commands until the query holds no complete one, a batch of replies has gathered, or the
     * connection closes; emits the replies (written at once with {@code parts} null, else collected for the
     * connection loop). Data loop only.
     */
    private void process(@Nullable List<ByteBuffer> parts) {
        // the iteration's time, as Redis stamps lastinteraction with its cached server time: no clock read per
        // batch (issue 12, -P 1); it lags time() by at most the iteration run so far, far below the timeout's seconds
        lastCommandTime = server.loop().iterationTime();
        ReplyBuffer out = server.replies();
        RequestArgs args = server.commandArgs();
        out.clear(); // a batch that failed with an unexpected exception must not leak replies to another client
        pending = false;
        long ran = 0;
        long emitted = 0;
        try {
            while (!closing && !ctx.blocked()) {
                if (emitted + out.size() >= BATCH_BYTES) {
                    pending = true;
                    break;
                }
                // the arguments are ranges of 'query', which stays unchanged while the command runs
                int next = server.decoder().decodeRequest(query, start, end, ctx.authenticated(), args);
                if (next == RespDecoder.INCOMPLETE) {
                    break;
                }
                start = next;
                if (args.isEmpty()) {
                    continue;
                }
                RespFrame reply;
                try {
                    reply = server.commands().dispatch(args, ctx);
                } catch (Throwable bug) {
                    // A command failed unexpectedly: the replies before it still go out, then it is thrown to the
                    // loop's funnel (logged once there) and the connection it broke closes.
                    closing = true;
                    flush(out, parts);
                    throw bug;
                }
                ran++;
                if (ctx.blocked()) {
                    break; // its reply comes when the wait ends; the commands after it wait in the query
                }
                emitted += encode(reply, out, parts);
                if (ctx.closeAfterReply()) {
                    closing = true;
                }
            }
        } catch (RespProtocolException e) {
            refuse("ERR " + e.getMessage());
        }
        if (!closing) {
            checkQueryBuffer();
        }
        blockedAfterBatch = ctx.blocked();
        emitted += flush(out, parts);
        server.recordBatch(ran, unrecordedInput, emitted);
        unrecordedInput = 0;
        // the shared argument list and lookup key point into this client's query buffer: let go of it, so the data
        // loop never keeps a large one alive after its batch
        args.clear();
        server.shared().releaseRequestBytes();
    }

    /** Encodes one reply; a large bulk string goes out from its own array. Returns the bytes emitted meanwhile. */
    private long encode(RespFrame reply, ReplyBuffer out, @Nullable List<ByteBuffer> parts) {
        if (reply instanceof RespFrame.BulkString bulk && bulk.bytes().length >= ZERO_COPY_BYTES) {
            byte[] value = bulk.bytes();
            if (!withinHardLimit(out.size() + value.length + 32L)) {
                closing = true;
                return 0;
            }
            out.put((byte) '$').putDecimal(value.length).crlf();
            long emitted = flush(out, parts);
            emit(ByteBuffer.wrap(value), parts);
            out.crlf();
            return emitted + value.length;
        }
        if (reply instanceof RespFrame.RespArray && !withinHardLimit(out.size() + RespEncoder.encodedLength(reply))) {
            closing = true;
            return 0; // never encode a reply the client may not receive anyway
        }
        RespEncoder.encode(reply, out);
        return 0;
    }

    /**
     * Hands what the server's reply buffer holds to the stream; returns its size. On the data loop the buffer's own
     * array is written: usually the socket takes it all at once and the buffer is reused; if not, the stream keeps
     * the array and the buffer takes a new one (no copy either way). A batch hopping to another loop is a copy.
     */
    private long flush(ReplyBuffer out, @Nullable List<ByteBuffer> parts) {
        int size = out.size();
        if (size == 0) {
            return 0;
        }
        if (parts != null) {
            byte[] bytes = out.toByteArray();
            out.clearAndTrim(RedisServer.REPLY_BUFFER_KEPT);
            parts.add(ByteBuffer.wrap(bytes));
            return size;
        }
        boolean written = output.write(out.view());
        if (written && output.unwritten() > 0) {
            // the stream still holds the view: it is the last write queued, so its bytes are unwritten while any
            // are (IOStream.writeWithoutFuture). A transport that copied them (io_uring's socket, TLS) left none.
            out.handOver(RedisServer.REPLY_BUFFER_KEPT); // the stream writes from that array later
        } else {
            out.clearAndTrim(RedisServer.REPLY_BUFFER_KEPT);
        }
        if (!written) {
            closing = true;
        }
        return size;
    }

    private void emit(ByteBuffer part, @Nullable List<ByteBuffer> parts) {
        if (parts != null) {
            parts.add(part);
        } else if (!output.write(part)) {
            closing = true;
        }
    }

    /** Whether {@code more} reply bytes fit under the hard limit with what is unwritten; else closes the client. */
    private boolean withinHardLimit(long more) {
        long unwritten = stream.ioLoop() == server.loop() ? output.unwritten() : unwrittenAtHop;
        return output.fitsHardLimit(unwritten, more);
    }

    /** An unfinished command over the query-buffer limit is refused; an empty query holds no buffer. */
    private void checkQueryBuffer() {
        if (ctx.blocked() && end - start > server.queryBufferLimit()) {
            refuse("ERR Protocol error: commands sent while blocked exceed the query buffer limit of "
                    + server.queryBufferLimit() + " bytes");
            return;
        }
        if (pending || ctx.blocked()) {
            return; // complete commands remain: the buffer is checked once they have run
        }
        if (start == end) {
            if (!inPlace) {
                start = 0;
                end = 0;
                query = NO_QUERY; // idle again: hold no buffer until a burst ends inside a command
            }
        } else if (end - start > server.queryBufferLimit()) {
            refuse("ERR Protocol error: unfinished command exceeds the query buffer limit of "
                    + server.queryBufferLimit() + " bytes");
        }
    }

    private void refuse(String message) {
        server.recordProtocolError();
        log.debug("client {} closed: {}", ctx.clientId(), message);
        RespEncoder.encode(RespFrame.error(message.replace('\r', ' ').replace('\n', ' ')), server.replies());
        closing = true;
        pending = false;
    }

    /**
     * Ensures {@code length} bytes of free space after {@code end} for more of an unfinished command: compacts, then
     * grows (to at least {@link #MIN_QUERY_BUFFER}, doubling). Bounded: the query buffer never holds more than the
     * limit plus one read's worth (checkQueryBuffer refuses an unfinished command over the limit after each read).
     */
    private void makeRoom(int length) {
        if (query.length - end >= length) {
            return;
        }
        if (start > 0) {
            System.arraycopy(query, start, query, 0, end - start);
            end -= start;
            start = 0;
            if (query.length - end >= length) {
                return;
            }
        }
        long max = server.queryBufferLimit() + (long) BURST_READ;
        long wanted = Math.max(end + (long) length, Math.max(MIN_QUERY_BUFFER, query.length * 2L));
        query = Arrays.copyOf(query, (int) Math.min(Math.max(max, end + (long) length), wanted));
    }
}
