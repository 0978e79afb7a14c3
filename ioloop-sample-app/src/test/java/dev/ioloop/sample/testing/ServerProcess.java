package dev.ioloop.sample.testing;

import dev.ioloop.IOLoop;
import dev.ioloop.sample.server.RedisServer;
import dev.ioloop.sample.server.RedisServerProperties;
import dev.ioloop.sample.store.StoreClock;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A {@link RedisServer} in a JVM of its own with a given heap, for probes that must not share the test JVM's heap
 * (filling memory). The child runs {@link #main} with this test run's class path, prints {@code PORT n} once it
 * listens, and exits when its standard input closes; its output goes to a file the failure message names.
 */
public final class ServerProcess implements AutoCloseable {

    private final Process process;
    private final int port;
    private final Path log;

    private ServerProcess(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    /**
     * Starts a server with the default settings except {@code sample.redis.query-buffer-limit}, in a JVM with
     * {@code -Xmx<heap>}.
     *
     * @param heap the child's maximum heap, as {@code -Xmx} takes it ({@code "96m"})
     * @param queryBufferLimit the query-buffer limit in bytes
     */
    public static ServerProcess start(String heap, int queryBufferLimit) throws IOException {
        Path log = java.nio.file.Files.createTempFile("redis-server-process", ".log");
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx" + heap);
        command.add("-XX:+UseSerialGC"); // a small, predictable heap: no region sizing to reason about
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(ServerProcess.class.getName());
        command.add(Integer.toString(queryBufferLimit));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        StringBuilder seen = new StringBuilder();
        String line;
        while ((line = out.readLine()) != null) {
            seen.append(line).append('\n');
            if (line.startsWith("PORT ")) {
                int port = Integer.parseInt(line.substring(5).trim());
                Thread drain = new Thread(() -> copy(out, log), "server-process-output");
                drain.setDaemon(true);
                drain.start();
                return new ServerProcess(process, port, log);
            }
        }
        throw new IOException("the server process ended before it listened:\n" + seen);
    }

    private static void copy(BufferedReader out, Path log) {
        try (var writer = java.nio.file.Files.newBufferedWriter(log, StandardCharsets.UTF_8)) {
            String line;
            while ((line = out.readLine()) != null) {
                writer.write(line);
                writer.newLine();
                writer.flush();
            }
        } catch (IOException e) {
            // the process ended
        }
    }

    /** Returns the port the child listens on (127.0.0.1). */
    public int port() {
        return port;
    }

    /** Returns whether the child still runs. */
    public boolean isAlive() {
        return process.isAlive();
    }

    /** Returns the child's output so far (for failure messages). */
    public String output() throws IOException {
        return java.nio.file.Files.readString(log, StandardCharsets.UTF_8);
    }

    @Override
    public void close() throws Exception {
        process.getOutputStream().close();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(30, TimeUnit.SECONDS);
        }
        java.nio.file.Files.deleteIfExists(log);
    }

    /**
     * The child: a server on port 0 with default settings (the query-buffer limit from {@code args[0]}) until its
     * standard input closes.
     */
    public static void main(String[] args) throws Exception {
        RedisServerProperties properties = new RedisServerProperties();
        properties.setPort(0);
        properties.setQueryBufferLimit(Integer.parseInt(args[0]));
        IOLoop loop = IOLoop.builder().name("redis-child").build();
        Thread thread = new Thread(loop::start, "redis-child-loop");
        thread.start();
        RedisServer server = new RedisServer(properties, loop, StoreClock.system());
        server.start();
        System.out.println("PORT " + server.port());
        System.out.flush();
        while (System.in.read() >= 0) {
            // until the parent closes our input
        }
        server.close();
        loop.stop();
        thread.join(30_000);
        loop.close();
    }
}
