package dev.ioloop.sample.testing;

import dev.ioloop.IOLoop;
import dev.ioloop.sample.server.RedisServer;
import dev.ioloop.sample.server.RedisServerProperties;
import dev.ioloop.sample.store.StoreClock;
import dev.ioloop.test.CapturedLog;
import dev.ioloop.test.LogCapture;
import org.slf4j.event.Level;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * A {@link RedisServer} on port 0 with its loop on its own thread, for raw-socket tests; {@link #close()} stops
 * both and fails if anything was logged at WARN or above meanwhile (as ioloop-test's @IOLoopTest does). Also a tiny
 * blocking RESP client ({@link Client}) that reads replies byte-exactly.
 */
public final class RunningServer implements AutoCloseable {

    private final IOLoop loop;
    private final dev.ioloop.IOLoopThread running;
    private final RedisServer server;
    private final dev.ioloop.IOLoopGroup group; // null: connections on the data loop
    private final LogCapture logs = LogCapture.start();
    private final List<String> expectedLogs = new java.util.concurrent.CopyOnWriteArrayList<>();

    /** Starts a server with {@code properties} (port forced to 0) on a fresh loop. */
    public RunningServer(RedisServerProperties properties, StoreClock clock) {
        this(properties, clock, 0);
    }

    /**
     * Starts a server whose connections live on a group of {@code connectionLoops} loops (0: on the data loop).
     */
    public RunningServer(RedisServerProperties properties, StoreClock clock, int connectionLoops) {
        this(properties, clock, connectionLoops, (dev.ioloop.iostream.TlsOptions) null);
    }

    /** Starts a server with its own command table; connections on a group of {@code connectionLoops} loops (0: none). */
    public RunningServer(RedisServerProperties properties, StoreClock clock, int connectionLoops,
                         dev.ioloop.sample.command.CommandTable commands) {
        this(properties, clock, connectionLoops, null, commands);
    }

    /**
     * Starts a server that also serves TLS with {@code tls} on a free {@code tls-port} (when {@code tls} is given).
     */
    public RunningServer(RedisServerProperties properties, StoreClock clock, int connectionLoops,
            dev.ioloop.iostream.TlsOptions tls) {
        this(properties, clock, connectionLoops, tls, dev.ioloop.sample.command.CommandTable.standard());
    }

    /**
     * Starts a server whose loop (the only one: connections live on it too) runs on {@code loopClock}, so that a test
     * moves the time behind the server's timeouts (the output soft limit's seconds) instead of sleeping.
     */
    public RunningServer(RedisServerProperties properties, StoreClock clock, dev.ioloop.LoopClock loopClock) {
        this(properties, clock, 0, null, dev.ioloop.sample.command.CommandTable.standard(), loopClock);
    }

    private RunningServer(RedisServerProperties properties, StoreClock clock, int connectionLoops,
            dev.ioloop.iostream.@org.jspecify.annotations.Nullable TlsOptions tls, dev.ioloop.sample.command.CommandTable commands) {
        this(properties, clock, connectionLoops, tls, commands, dev.ioloop.LoopClock.system());
    }

    private RunningServer(RedisServerProperties properties, StoreClock clock, int connectionLoops,
            dev.ioloop.iostream.@org.jspecify.annotations.Nullable TlsOptions tls, dev.ioloop.sample.command.CommandTable commands,
            dev.ioloop.LoopClock loopClock) {
        properties.setPort(0);
        if (tls != null) {
            properties.setTlsPort(0);
        }
        loop = IOLoop.builder().name("redis-test").clock(loopClock).build();
        running = dev.ioloop.IOLoopThread.start(loop, "redis-test-loop", false);
        if (connectionLoops > 0) {
            group = new dev.ioloop.IOLoopGroup("redis-conn", connectionLoops);
            group.start();
        } else {
            group = null;
        }
        server = new RedisServer(properties, loop, group, clock, tls, commands);
        server.start();
    }

    /** Returns the server. */
    public RedisServer server() {
        return server;
    }

    /**
     * Declares WARN or ERROR lines whose message, or whose exception's message, contains {@code messagePart} as
     * expected: {@link #close()} does not fail for them.
     */
    public void expectLog(String messagePart) {
        expectedLogs.add(messagePart);
    }

    /** Returns how many WARN or ERROR lines so far contain {@code messagePart} (in the message or its exception's). */
    public long countLogs(String messagePart) {
        return logs.records().stream().filter(e -> e.isAtLeast(Level.WARN) && mentions(e, messagePart)).count();
    }

    private static boolean mentions(CapturedLog e, String part) {
        return e.message().contains(part)
                || (e.throwable() != null && String.valueOf(e.throwable().getMessage()).contains(part));
    }

    /** Runs {@code task} on the loop and returns its result. */
    public <T> T onLoop(Supplier<T> task) {
        return CompletableFuture.supplyAsync(task, loop).join();
    }

    /** Opens a client connection. */
    public Client connect() throws IOException {
        Socket socket = new Socket();
        socket.connect(new InetSocketAddress("127.0.0.1", server.port()), 10_000);
        socket.setSoTimeout(30_000);
        socket.setTcpNoDelay(true);
        return new Client(socket);
    }

    @Override
    public void close() throws InterruptedException {
        server.close();
        if (group != null) {
            group.close();
        }
        running.close(Duration.ofSeconds(30), false); // on the loop's thread: io_uring accepts no other
        loop.close(); // idempotent; refuses a loop whose thread did not end
        List<String> unexpected = new ArrayList<>();
        for (CapturedLog e : logs.records()) {
            if (e.isAtLeast(Level.WARN) && expectedLogs.stream().noneMatch(part -> mentions(e, part))) {
                unexpected.add(e.level() + " " + e.loggerName() + ": " + e.message());
            }
        }
        logs.close();
        if (!unexpected.isEmpty()) {
            throw new AssertionError("unexpected WARN/ERROR logs: " + unexpected);
        }
    }

    /** A blocking client that sends raw bytes and reads exact reply frames. */
    public static final class Client implements AutoCloseable {
        private final Socket socket;
        private final InputStream in;
        private final OutputStream out;

        Client(Socket socket) throws IOException {
            this.socket = socket;
            this.in = new java.io.BufferedInputStream(socket.getInputStream(), 65536);
            this.out = socket.getOutputStream();
        }

        /** Sends raw bytes. */
        public void send(byte[] bytes) throws IOException {
            out.write(bytes);
            out.flush();
        }

        /** Sends a command as multibulk. */
        public void send(String... args) throws IOException {
            byte[][] a = new byte[args.length][];
            for (int i = 0; i < args.length; i++) {
                a[i] = args[i].getBytes(java.nio.charset.StandardCharsets.UTF_8);
            }
            send(dev.ioloop.sample.resp.RespEncoder.encodeCommand(a));
        }

        /** Sends a command and returns its reply's exact bytes as ISO-8859-1 text. */
        public String call(String... args) throws IOException {
            send(args);
            return readReply();
        }

        /** Reads one reply frame's exact bytes (as ISO-8859-1 text). */
        public String readReply() throws IOException {
            java.io.ByteArrayOutputStream frame = new java.io.ByteArrayOutputStream();
            readFrame(frame);
            return frame.toString(java.nio.charset.StandardCharsets.ISO_8859_1);
        }

        private void readFrame(java.io.ByteArrayOutputStream frame) throws IOException {
            String line = readLine(frame);
            char type = line.charAt(0);
            if (type == '$') {
                int n = Integer.parseInt(line.substring(1));
                if (n >= 0) {
                    frame.write(in.readNBytes(n + 2));
                }
            } else if (type == '*') {
                int n = Integer.parseInt(line.substring(1));
                for (int i = 0; i < n; i++) {
                    readFrame(frame);
                }
            }
        }

        private String readLine(java.io.ByteArrayOutputStream frame) throws IOException {
            StringBuilder sb = new StringBuilder();
            int prev = -1;
            while (true) {
                int b = in.read();
                if (b < 0) {
                    throw new java.io.EOFException("connection closed after: " + sb);
                }
                frame.write(b);
                if (prev == '\r' && b == '\n') {
                    return sb.substring(0, sb.length() - 1);
                }
                sb.append((char) b);
                prev = b;
            }
        }

        /** Returns how many received bytes are waiting to be read (without waiting for more). */
        public int buffered() throws IOException {
            return in.available();
        }

        /** Reads everything until the server closes the connection. */
        public byte[] readUntilClosed() throws IOException {
            return in.readAllBytes();
        }

        /** Returns whether the server closed the connection (reads one byte; EOF means closed). */
        public boolean isClosedByServer() throws IOException {
            try {
                return in.read() < 0;
            } catch (java.net.SocketException e) {
                return true;
            }
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
