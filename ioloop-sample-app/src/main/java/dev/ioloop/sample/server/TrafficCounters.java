package dev.ioloop.sample.server;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The server's traffic counters behind INFO's {@code total_commands_processed}, {@code total_net_input_bytes},
 * {@code total_net_output_bytes} and the {@code redis.*} meters: commands run, bytes read and written, protocol
 * errors. Recorded once per batch of commands, so at {@code redis-benchmark -P 1} once per request.
 *
 * <p>Threading: one writer, the data loop's thread (recording and {@link #reset()}); readers on any thread.
 *
 * <p>ordering: the writer reads its own fields plainly and writes them opaque (VarHandle setOpaque); readers read
 * opaque. Each value is read whole (no torn longs), becomes visible promptly and never goes backwards between
 * resets, with no fence on the loop's path: three volatile stores per batch were three StoreLoad fences per request
 * at {@code -P 1} (issue 12). No reader needs the counters ordered with each other or with anything else (INFO
 * reads each on its own, as Redis's INFO does). The core's loop counters follow the same rule.
 */
final class TrafficCounters {

    private static final VarHandle COMMANDS;
    private static final VarHandle INPUT_BYTES;
    private static final VarHandle OUTPUT_BYTES;
    private static final VarHandle PROTOCOL_ERRORS;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            COMMANDS = lookup.findVarHandle(TrafficCounters.class, "commands", long.class);
            INPUT_BYTES = lookup.findVarHandle(TrafficCounters.class, "inputBytes", long.class);
            OUTPUT_BYTES = lookup.findVarHandle(TrafficCounters.class, "outputBytes", long.class);
            PROTOCOL_ERRORS = lookup.findVarHandle(TrafficCounters.class, "protocolErrors", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    @SuppressWarnings("unused") private long commands;
    @SuppressWarnings("unused") private long inputBytes;
    @SuppressWarnings("unused") private long outputBytes;
    @SuppressWarnings("unused") private long protocolErrors;

    /** Counts a batch: {@code commandsRun} commands, {@code bytesIn} bytes read, {@code bytesOut} written. Writer only. */
    void recordBatch(long commandsRun, long bytesIn, long bytesOut) {
        COMMANDS.setOpaque(this, commands + commandsRun);
        INPUT_BYTES.setOpaque(this, inputBytes + bytesIn);
        OUTPUT_BYTES.setOpaque(this, outputBytes + bytesOut);
    }

    /** Counts a client closed for malformed input or an over-limit query buffer. Writer only. */
    void recordProtocolError() {
        PROTOCOL_ERRORS.setOpaque(this, protocolErrors + 1);
    }

    /** Sets every counter to 0 (CONFIG RESETSTAT); a reader sees each one before or after it. Writer only. */
    void reset() {
        COMMANDS.setOpaque(this, 0L);
        INPUT_BYTES.setOpaque(this, 0L);
        OUTPUT_BYTES.setOpaque(this, 0L);
        PROTOCOL_ERRORS.setOpaque(this, 0L);
    }

    /** Commands run. Any thread. */
    long commands() {
        return (long) COMMANDS.getOpaque(this);
    }

    /** Bytes read from clients. Any thread. */
    long inputBytes() {
        return (long) INPUT_BYTES.getOpaque(this);
    }

    /** Bytes written (handed to the streams) for clients. Any thread. */
    long outputBytes() {
        return (long) OUTPUT_BYTES.getOpaque(this);
    }

    /** Clients closed for malformed input or an over-limit query buffer. Any thread. */
    long protocolErrors() {
        return (long) PROTOCOL_ERRORS.getOpaque(this);
    }
}
