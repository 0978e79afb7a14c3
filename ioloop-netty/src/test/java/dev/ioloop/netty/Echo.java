package dev.ioloop.netty;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

/** A Netty echo handler that records where it ran, and a blocking client for it. Test support. */
final class Echo {

    private static final long WAIT_SECONDS = 30;

    private Echo() {
    }

    /** Sends {@code text} to 127.0.0.1:{@code port} over a new connection and returns what comes back. */
    static String roundTrip(int port, String text) throws Exception {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout((int) TimeUnit.SECONDS.toMillis(WAIT_SECONDS));
            OutputStream out = socket.getOutputStream();
            out.write(text.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            return new String(in.readNBytes(text.length()), StandardCharsets.US_ASCII);
        }
    }

    /** Echoes what it reads and records the name of the thread it ran on. */
    @ChannelHandler.Sharable
    static final class Handler extends ChannelInboundHandlerAdapter {
        private final List<String> servedOn;

        Handler(List<String> servedOn) {
            this.servedOn = servedOn;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            servedOn.add(Thread.currentThread().getName());
            ctx.writeAndFlush(msg);
        }
    }
}
