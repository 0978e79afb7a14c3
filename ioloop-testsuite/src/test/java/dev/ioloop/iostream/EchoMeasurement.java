package dev.ioloop.iostream;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import dev.ioloop.tcp.TCPClient;
import dev.ioloop.tcp.TCPServer;
import dev.ioloop.tcp.TCPServerOptions;

/**
 * Run by hand (not a test): pipelined line echo through one connection, server and client each on
 * its own loop. Prints lines per second and the bytes the server's loop thread allocated per line
 * (read result, futures, the write's ByteBuffer wrapper: no buffer growth in steady state).
 *
 * <pre>
 * java -cp ioloop-core/target/test-classes:ioloop-core/target/classes:... \
 *     dev.ioloop.iostream.EchoMeasurement 2000000 32 256
 * </pre>
 * Arguments: lines, bytes per line (newline included), lines per client batch.
 */
public final class EchoMeasurement {

    private EchoMeasurement() {
    }

    public static void main(String[] args) throws Exception {
        int lines = args.length > 0 ? Integer.parseInt(args[0]) : 2_000_000;
        int lineBytes = args.length > 1 ? Integer.parseInt(args[1]) : 32;
        int batch = args.length > 2 ? Integer.parseInt(args[2]) : 256;
        for (int round = 1; round <= 3; round++) {
            measure(round, lines, lineBytes, batch);
        }
    }

    private static void measure(int round, int lines, int lineBytes, int batch) throws Exception {
        try (LoopThread serverLoop = new LoopThread("echo-server"); LoopThread clientLoop = new LoopThread("echo-client")) {
            TCPServer server = new TCPServer((stream, address) -> echo(stream), serverLoop.loop(),
                    TCPServerOptions.defaults());
            server.listen(0, "127.0.0.1");
            int port = server.boundAddresses().get(0).getPort();
            IOStream client = LoopThread.await(new TCPClient(clientLoop.loop()).connect("127.0.0.1", port));
            byte[] line = new byte[lineBytes];
            Arrays.fill(line, (byte) 'x');
            line[lineBytes - 1] = '\n';
            long allocatedBefore = serverLoop.call(EchoMeasurement::allocatedOnThisThread);
            long start = System.nanoTime();
            CompletableFuture<Void> done = new CompletableFuture<>();
            clientLoop.run(() -> sendBatches(client, line, batch, lines, done));
            LoopThread.await(done);
            double seconds = (System.nanoTime() - start) / 1e9;
            long allocated = serverLoop.call(EchoMeasurement::allocatedOnThisThread) - allocatedBefore;
            System.out.printf("round %d: %,d lines of %d bytes in %.2f s = %,.0f lines/s; server loop allocated %.0f bytes/line%n",
                    round, lines, lineBytes, seconds, lines / seconds, (double) allocated / lines);
            clientLoop.run(client::close);
            server.close();
        }
    }

    private static long allocatedOnThisThread() {
        return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean()).getCurrentThreadAllocatedBytes();
    }

    private static CompletionStage<Void> echo(IOStream stream) {
        return stream.readUntil(new byte[] {'\n'}).thenCompose(stream::write).thenCompose(written -> echo(stream));
    }

    /** Writes a batch of lines, reads their echoes, repeats until all lines went round. */
    private static void sendBatches(IOStream client, byte[] line, int batch, int remaining, CompletableFuture<Void> done) {
        if (remaining == 0) {
            done.complete(null);
            return;
        }
        int n = Math.min(batch, remaining);
        for (int i = 0; i < n; i++) {
            client.write(line);
        }
        client.readBytes(n * line.length).whenComplete((echoed, error) -> {
            if (error != null) {
                done.completeExceptionally(error);
            } else if (echoed[echoed.length - 1] != '\n') {
                done.completeExceptionally(new AssertionError("bad echo " + new String(echoed, StandardCharsets.ISO_8859_1)));
            } else {
                sendBatches(client, line, batch, remaining - n, done);
            }
        });
    }
}
