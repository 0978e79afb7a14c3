package dev.ioloop.benchmarks.resp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;

/**
 * Runs decoded commands against the shared map and writes Redis's replies; flushes once per read
 * burst ({@code channelReadComplete}). Commands: PING, ECHO, GET, SET (key value), DEL, EXISTS,
 * INCR, DBSIZE, CONFIG GET (what {@code redis-benchmark} asks), QUIT; anything else gets Redis's
 * unknown-command error. A protocol error is answered and the connection closed.
 *
 * <p>Loop thread only: one instance per connection, all on the server's single event loop.
 */
final class RespCommandHandler extends ChannelInboundHandlerAdapter {

    private static final ByteBuf PONG = constant("+PONG\r\n");
    private static final ByteBuf OK = constant("+OK\r\n");
    private static final ByteBuf NULL_BULK = constant("$-1\r\n");
    private static final byte[] CRLF = {'\r', '\n'};

    private final Map<BytesKey, byte[]> store;

    RespCommandHandler(Map<BytesKey, byte[]> store) {
        this.store = store;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        byte[][] args = (byte[][]) msg;
        String name = new String(args[0], StandardCharsets.ISO_8859_1).toLowerCase(Locale.ROOT);
        switch (name) {
            case "ping" -> {
                if (args.length == 1) {
                    ctx.write(PONG.duplicate());
                } else if (args.length == 2) {
                    ctx.write(bulk(ctx, args[1]));
                } else {
                    ctx.write(wrongArity(ctx, name));
                }
            }
            case "echo" -> ctx.write(args.length == 2 ? bulk(ctx, args[1]) : wrongArity(ctx, name));
            case "get" -> {
                if (args.length != 2) {
                    ctx.write(wrongArity(ctx, name));
                } else {
                    byte[] value = store.get(new BytesKey(args[1]));
                    ctx.write(value == null ? NULL_BULK.duplicate() : bulk(ctx, value));
                }
            }
            case "set" -> {
                if (args.length < 3) {
                    ctx.write(wrongArity(ctx, name));
                } else if (args.length > 3) {
                    ctx.write(error(ctx, "ERR syntax error"));
                } else {
                    store.put(new BytesKey(args[1]), args[2]);
                    ctx.write(OK.duplicate());
                }
            }
            case "del", "exists" -> {
                if (args.length < 2) {
                    ctx.write(wrongArity(ctx, name));
                } else {
                    long count = 0;
                    for (int i = 1; i < args.length; i++) {
                        BytesKey key = new BytesKey(args[i]);
                        boolean present = name.equals("del") ? store.remove(key) != null : store.containsKey(key);
                        count += present ? 1 : 0;
                    }
                    ctx.write(integer(ctx, count));
                }
            }
            case "incr" -> ctx.write(args.length == 2 ? incr(ctx, args[1]) : wrongArity(ctx, name));
            case "dbsize" -> ctx.write(integer(ctx, store.size()));
            case "config" -> ctx.write(config(ctx, args));
            case "quit" -> ctx.writeAndFlush(OK.duplicate()).addListener(ChannelFutureListener.CLOSE);
            default -> ctx.write(unknown(ctx, args));
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        ctx.flush();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof DecoderException && cause.getCause() instanceof RespProtocolException protocol) {
            ctx.writeAndFlush(error(ctx, "ERR Protocol error: " + protocol.getMessage()))
                    .addListener(ChannelFutureListener.CLOSE);
        } else {
            ctx.close();
        }
    }

    private ByteBuf incr(ChannelHandlerContext ctx, byte[] keyBytes) {
        BytesKey key = new BytesKey(keyBytes);
        byte[] current = store.get(key);
        long value;
        try {
            value = current == null ? 0 : Long.parseLong(new String(current, StandardCharsets.ISO_8859_1));
        } catch (NumberFormatException e) {
            return error(ctx, "ERR value is not an integer or out of range");
        }
        if (value == Long.MAX_VALUE) {
            return error(ctx, "ERR increment or decrement would overflow");
        }
        store.put(key, Long.toString(value + 1).getBytes(StandardCharsets.ISO_8859_1));
        return integer(ctx, value + 1);
    }

    /** CONFIG GET parameter: the pair redis-benchmark expects (save "" and appendonly "no"). */
    private static ByteBuf config(ChannelHandlerContext ctx, byte[][] args) {
        if (args.length != 3 || !new String(args[1], StandardCharsets.ISO_8859_1).equalsIgnoreCase("get")) {
            return error(ctx, "ERR unknown subcommand or wrong number of arguments for 'config' command");
        }
        String parameter = new String(args[2], StandardCharsets.ISO_8859_1).toLowerCase(Locale.ROOT);
        String value = switch (parameter) {
            case "save" -> "";
            case "appendonly" -> "no";
            default -> null;
        };
        if (value == null) {
            return ctx.alloc().buffer(4).writeBytes("*0\r\n".getBytes(StandardCharsets.ISO_8859_1));
        }
        ByteBuf reply = ctx.alloc().buffer(32);
        reply.writeBytes("*2\r\n".getBytes(StandardCharsets.ISO_8859_1));
        writeBulk(reply, parameter.getBytes(StandardCharsets.ISO_8859_1));
        writeBulk(reply, value.getBytes(StandardCharsets.ISO_8859_1));
        return reply;
    }

    private static ByteBuf unknown(ChannelHandlerContext ctx, byte[][] args) {
        StringBuilder message = new StringBuilder("ERR unknown command '")
                .append(new String(args[0], StandardCharsets.ISO_8859_1)).append("', with args beginning with: ");
        for (int i = 1; i < args.length; i++) {
            message.append('\'').append(new String(args[i], StandardCharsets.ISO_8859_1)).append("' ");
        }
        return error(ctx, message.toString());
    }

    private static ByteBuf wrongArity(ChannelHandlerContext ctx, String name) {
        return error(ctx, "ERR wrong number of arguments for '" + name + "' command");
    }

    private static ByteBuf error(ChannelHandlerContext ctx, String message) {
        byte[] bytes = message.getBytes(StandardCharsets.ISO_8859_1);
        return ctx.alloc().buffer(bytes.length + 3).writeByte('-').writeBytes(bytes).writeBytes(CRLF);
    }

    private static ByteBuf integer(ChannelHandlerContext ctx, long value) {
        byte[] digits = Long.toString(value).getBytes(StandardCharsets.ISO_8859_1);
        return ctx.alloc().buffer(digits.length + 3).writeByte(':').writeBytes(digits).writeBytes(CRLF);
    }

    private static ByteBuf bulk(ChannelHandlerContext ctx, byte[] value) {
        ByteBuf reply = ctx.alloc().buffer(value.length + 16);
        writeBulk(reply, value);
        return reply;
    }

    private static void writeBulk(ByteBuf reply, byte[] value) {
        reply.writeByte('$').writeBytes(Integer.toString(value.length).getBytes(StandardCharsets.ISO_8859_1))
                .writeBytes(CRLF).writeBytes(value).writeBytes(CRLF);
    }

    private static ByteBuf constant(String reply) {
        return Unpooled.unreleasableBuffer(
                Unpooled.directBuffer().writeBytes(reply.getBytes(StandardCharsets.ISO_8859_1)));
    }
}
