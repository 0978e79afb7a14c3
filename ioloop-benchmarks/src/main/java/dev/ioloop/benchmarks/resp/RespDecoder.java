package dev.ioloop.benchmarks.resp;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.util.ArrayList;
import java.util.List;

/**
 * Decodes RESP2 requests into {@code byte[][]} argument vectors, with Redis's parsing rules: a
 * frame starting with {@code *} is a multibulk of {@code $}-prefixed bulk strings, anything else is
 * an inline command split on spaces; empty commands are skipped; limits and error wording follow
 * Redis ({@code networking.c}): multibulk length at most 1,048,576, bulk length at most 512 MiB,
 * inline lines and count lines at most 64 KiB. A malformed frame raises
 * {@link RespProtocolException}, which the handler answers and closes on.
 *
 * <p>Stateful across reads (a half-received multibulk keeps its parsed arguments), so a command
 * split at any byte is parsed once. After a protocol error the rest of the input is discarded (the
 * handler answers and closes, as Redis does). Loop thread only.
 */
public final class RespDecoder extends ByteToMessageDecoder {

    static final int MAX_INLINE = 64 * 1024;
    static final int MAX_MULTIBULK_LENGTH = 1024 * 1024;
    static final long MAX_BULK_LENGTH = 512L * 1024 * 1024;

    private byte[][] args;  // the multibulk being read, or null between commands
    private int argIndex;
    private long bulkLength = -1; // length of the bulk being read, or -1 when its header is next
    private boolean failed;       // after a protocol error, input is discarded until the close

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (failed) {
            in.skipBytes(in.readableBytes());
            return;
        }
        try {
            decodeCommands(in, out);
        } catch (RespProtocolException e) {
            failed = true;
            in.skipBytes(in.readableBytes());
            throw e;
        }
    }

    private void decodeCommands(ByteBuf in, List<Object> out) {
        while (in.isReadable()) {
            byte[][] command = args != null || in.getByte(in.readerIndex()) == '*' ? multibulk(in) : inline(in);
            if (command == null) {
                return;
            }
            if (command.length > 0) {
                out.add(command);
            }
        }
    }

    /** Returns the next inline command, an empty array for an empty line, or null when more bytes are needed. */
    private static byte[][] inline(ByteBuf in) {
        int newline = in.indexOf(in.readerIndex(), in.writerIndex(), (byte) '\n');
        if (newline < 0) {
            if (in.readableBytes() > MAX_INLINE) {
                throw new RespProtocolException("too big inline request");
            }
            return null;
        }
        int end = newline > in.readerIndex() && in.getByte(newline - 1) == '\r' ? newline - 1 : newline;
        List<byte[]> words = new ArrayList<>(4);
        int start = -1;
        for (int i = in.readerIndex(); i <= end; i++) {
            boolean blank = i == end || in.getByte(i) == ' ' || in.getByte(i) == '\t';
            if (blank && start >= 0) {
                byte[] word = new byte[i - start];
                in.getBytes(start, word);
                words.add(word);
                start = -1;
            } else if (!blank && start < 0) {
                start = i;
            }
        }
        in.readerIndex(newline + 1);
        return words.toArray(new byte[0][]);
    }

    /** Continues the multibulk in progress; returns it when complete, an empty array for {@code *0}, or null. */
    private byte[][] multibulk(ByteBuf in) {
        if (args == null) {
            long count = numberLine(in, '*', "too big mbulk count string", "invalid multibulk length",
                    MAX_MULTIBULK_LENGTH);
            if (count == Long.MIN_VALUE) {
                return null;
            }
            if (count <= 0) {
                return new byte[0][];
            }
            args = new byte[(int) count][];
            argIndex = 0;
        }
        while (argIndex < args.length) {
            if (bulkLength < 0) {
                if (!in.isReadable()) {
                    return null;
                }
                byte first = in.getByte(in.readerIndex());
                if (first != '$') {
                    throw new RespProtocolException("expected '$', got '" + (char) (first & 0xff) + "'");
                }
                long length = numberLine(in, '$', "too big bulk count string", "invalid bulk length", MAX_BULK_LENGTH);
                if (length == Long.MIN_VALUE) {
                    return null;
                }
                if (length < 0) {
                    throw new RespProtocolException("invalid bulk length");
                }
                bulkLength = length;
            }
            if (in.readableBytes() < bulkLength + 2) {
                return null;
            }
            byte[] arg = new byte[(int) bulkLength];
            in.readBytes(arg);
            in.skipBytes(2); // Redis does not check that these are CRLF either
            args[argIndex++] = arg;
            bulkLength = -1;
        }
        byte[][] command = args;
        args = null;
        return command;
    }

    /**
     * Reads a {@code <prefix><integer>\r\n} line; returns Long.MIN_VALUE when the line is incomplete.
     * The prefix byte is known to be there.
     */
    private static long numberLine(ByteBuf in, char prefix, String tooBig, String invalid, long max) {
        int cr = in.indexOf(in.readerIndex(), in.writerIndex(), (byte) '\r');
        if (cr < 0 || cr + 1 >= in.writerIndex()) {
            if (in.readableBytes() > MAX_INLINE) {
                throw new RespProtocolException(tooBig);
            }
            return Long.MIN_VALUE;
        }
        long value = parseLong(in, in.readerIndex() + 1, cr);
        if (value == Long.MIN_VALUE || value > max) {
            throw new RespProtocolException(invalid);
        }
        in.readerIndex(cr + 2);
        return value;
    }

    /** Parses a decimal long in [from, to), optionally negative; Long.MIN_VALUE when malformed. */
    private static long parseLong(ByteBuf in, int from, int to) {
        boolean negative = from < to && in.getByte(from) == '-';
        int i = negative ? from + 1 : from;
        if (i == to || to - i > 18) {
            return Long.MIN_VALUE;
        }
        long value = 0;
        for (; i < to; i++) {
            int digit = in.getByte(i) - '0';
            if (digit < 0 || digit > 9) {
                return Long.MIN_VALUE;
            }
            value = value * 10 + digit;
        }
        return negative ? -value : value;
    }
}
