package dev.ioloop.sample.server;

import dev.ioloop.iostream.IOStream;
import dev.ioloop.sample.command.CommandContext;
import dev.ioloop.sample.resp.ReplyBuffer;
import dev.ioloop.sample.resp.RespDecoder;
import dev.ioloop.sample.resp.RespEncoder;
import dev.ioloop.sample.resp.RespFrame;
import dev.ioloop.sample.resp.RespProtocolException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client: reads a burst, runs every complete command in it in order, and writes all their replies in one write
 * per read burst (pipelining). A burst that ends inside a command keeps its tail in a per-connection query buffer
 * until the command is complete; an idle connection holds no buffer, and replies go through the server's one
 * reply buffer. A protocol error or an unfinished command over the query-buffer limit
 * is answered with {@code -ERR ...} after the replies before it, and the connection closes; QUIT closes after its
 * {@code +OK}. While a write has not drained to the socket, no more is read (back-pressure for clients that
 * pipeline without reading).
 *
 * <p>Threading: reads and writes on the stream's loop; decoding, commands and encoding on the data loop, which is
 * the same loop unless the server spreads connections over a group.
 */
final class RedisConnection {

    private static final Logger log = LoggerFactory.getLogger(RedisConnection.class);
    /** The most bytes one fresh read burst asks the stream for. */
    private static final int BURST_READ = 64 * 1024;
    /** The smallest query buffer made for an unfinished command. */
    private static final int MIN_QUERY_BUFFER = 4 * 1024;
    private static final byte[] NO_QUERY = new byte[0];

    private final IOStream stream;
    private final RedisServer server;
    private final CommandContext ctx;
    // ordering: the fields below are plain. With connections on a group they are used by two loops in turn, never
    // at once: the connection loop reads into 'query' and hands the burst to the data loop with execute(); the data
    // loop hands the replies back with execute(). Each hand-off goes through a loop's callback queue, whose
    // offer/poll pair is a happens-before edge, so each side sees the other's writes.
    //
    // 'query' is NO_QUERY while no command is unfinished (an idle connection holds no buffer): the next burst is
    // the stream's own fresh array, decoded in place. Only when a burst ends inside a command does the connection
    // keep that array (compacted or grown) and read the rest into it.
    private byte[] query = NO_QUERY;
    private int start; // first unconsumed byte of query
    private int end;   // one past the last received byte
    private boolean closing;
    // One command's arguments, refilled by the decoder for each command (commands do not keep the list).
    private final List<byte[]> args = new ArrayList<>();
    RedisConnection(IOStream stream, RedisServer server, long clientId) {
        this.stream = stream;
        this.server = server;
        this.ctx = new CommandContext(server.store(), server, clientId);
    }

    /** Starts the read loop. */
    void start() {
        readLoop();
    }

    /**
     * Reads until a read is pending; a read that completes at once (data already buffered) is handled in this loop
     * rather than by recursion, so a long pipeline cannot grow the stack.
     */
    private void readLoop() {
        while (!closing && !stream.closed()) {
            if (start == end) {
                CompletableFuture<byte[]> read = stream.readBytes(BURST_READ, true);
                if (!read.isDone()) {
                    read.whenComplete((bytes, error) -> {
                        if (afterRead(takeBurst(bytes), error)) {
                            readLoop();
                        }
                    });
                    return;
                }
                Throwable error = read.isCompletedExceptionally() ? failure(read) : null;
                if (!afterRead(error == null ? takeBurst(read.join()) : null, error)) {
                    return;
                }
                continue;
            }
            makeRoom();
            CompletableFuture<Integer> read = stream.readInto(ByteBuffer.wrap(query, end, query.length - end), true);
            if (!read.isDone()) {
                read.whenComplete((n, error) -> {
                    if (afterRead(advance(n), error)) {
                        readLoop();
                    }
                });
                return;
            }
            Throwable error = read.isCompletedExceptionally() ? failure(read) : null;
            if (!afterRead(error == null ? advance(read.join()) : null, error)) {
                return;
            }
        }
    }

    /** A fresh burst (nothing was unfinished): its array becomes the query buffer; returns its length. */
    private @Nullable Integer takeBurst(byte @Nullable [] bytes) {
        if (bytes == null) {
            return null;
        }
        query = bytes;
        start = 0;
        end = bytes.length;
        return bytes.length;
    }

    /** More bytes of an unfinished command arrived in the query buffer; returns how many. */
    private @Nullable Integer advance(@Nullable Integer n) {
        if (n != null) {
            end += n;
        }
        return n;
    }

    /**
     * Handles one completed read; returns whether to read again now. When the connection lives on another loop
     * than the data, the burst hops to the data loop (decode, run, encode) and its replies hop back to be written;
     * the query buffer and context are not touched on this loop until the replies are back (the loops' callback
     * queues order the hand-offs), so no lock is needed.
     */
    private boolean afterRead(@Nullable Integer n, @Nullable Throwable error) {
        if (error != null || n == null) {
            log.debug("client {} gone: {}", ctx.clientId(), error == null ? "EOF" : error.toString());
            return false;
        }
        if (stream.ioLoop() == server.loop()) {
            long commands = process();
            server.recordBurst(commands, n, server.replies().size());
            return afterProcess(flush());
        }
        server.loop().execute(() -> {
            long commands = process();
            ReplyBuffer out = server.replies();
            server.recordBurst(commands, n, out.size());
            byte[] replies = out.toByteArray();
            out.clearAndTrim(RedisServer.REPLY_BUFFER_KEPT);
            stream.ioLoop().execute(() -> {
                if (afterProcess(replies.length == 0 ? CompletableFuture.completedFuture(null) : stream.write(replies))) {
                    readLoop();
                }
            });
        });
        return false;
    }

    /** After a burst's replies were handed to the stream: closes, waits for the write to drain, or reads on. */
    private boolean afterProcess(CompletableFuture<Void> write) {
        if (closing) {
            write.whenComplete((ok, e) -> stream.close());
            return false;
        }
        if (!write.isDone()) {
            write.whenComplete((ok, e) -> {
                if (e == null) {
                    readLoop();
                }
            });
            return false;
        }
        return true;
    }

    /**
     * Runs every complete command in the buffer, encoding their replies into the server's (shared, emptied here)
     * reply buffer; returns how many ran. Data loop only.
     */
    private long process() {
        ReplyBuffer out = server.replies();
        out.clear(); // a burst that failed with an unexpected exception must not leak replies to another client
        long ran = 0;
        try {
            while (!closing) {
                int next = server.decoder().decodeCommandInto(query, start, end, ctx.authenticated(), args);
                if (next == RespDecoder.INCOMPLETE) {
                    break;
                }
                start = next;
                if (args.isEmpty()) {
                    continue;
                }
                RespEncoder.encode(server.commands().dispatch(args, ctx), out);
                ran++;
                if (ctx.closeAfterReply()) {
                    closing = true;
                }
            }
        } catch (RespProtocolException e) {
            refuse("ERR " + e.getMessage());
            return ran;
        }
        if (start == end) {
            start = 0;
            end = 0;
            query = NO_QUERY; // idle again: hold no buffer until a burst ends inside a command
        } else if (end - start > server.queryBufferLimit()) {
            refuse("ERR Protocol error: unfinished command exceeds the query buffer limit of "
                    + server.queryBufferLimit() + " bytes");
        }
        return ran;
    }

    private void refuse(String message) {
        server.recordProtocolError();
        log.debug("client {} closed: {}", ctx.clientId(), message);
        RespEncoder.encode(RespFrame.error(message.replace('\r', ' ').replace('\n', ' ')), server.replies());
        closing = true;
    }

    private CompletableFuture<Void> flush() {
        ReplyBuffer out = server.replies();
        if (out.size() == 0) {
            return CompletableFuture.completedFuture(null);
        }
        byte[] bytes = out.toByteArray();
        out.clearAndTrim(RedisServer.REPLY_BUFFER_KEPT);
        return stream.write(bytes);
    }

    /**
     * Ensures free space after {@code end} for the rest of an unfinished command: compacts, then grows (to at least
     * {@link #MIN_QUERY_BUFFER}, doubling) up to the limit plus one read's worth.
     */
    private void makeRoom() {
        if (end < query.length) {
            return;
        }
        if (start > 0) {
            System.arraycopy(query, start, query, 0, end - start);
            end -= start;
            start = 0;
            if (end < query.length) {
                return;
            }
        }
        long max = server.queryBufferLimit() + (long) BURST_READ;
        query = Arrays.copyOf(query, (int) Math.min(max, Math.max(MIN_QUERY_BUFFER, query.length * 2L)));
    }

    private static Throwable failure(CompletableFuture<?> future) {
        try {
            future.join();
            return new IllegalStateException("not failed");
        } catch (java.util.concurrent.CompletionException e) {
            return e.getCause() == null ? e : e.getCause();
        } catch (java.util.concurrent.CancellationException e) {
            return e;
        }
    }
}
