package dev.ioloop.benchmarks;

import dev.ioloop.test.TestCertificates;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/**
 * TLS echo, ioloop's TLS streams against Netty 4.2's {@code SslHandler} with the JDK provider,
 * taking turns in 100 ms slices inside one JVM as {@link InterleavedRatios} does (the ratio is the
 * median over rounds of ours / Netty's). Both servers use one SSLContext (same key, provider and
 * TLS 1.3 cipher suite) and one thread; the clients are the same blocking JDK {@code SSLSocket}s.
 *
 * <ul>
 *   <li><b>round trip</b>: 64 bytes written, 64 bytes read back, one connection (round trips/s).
 *   <li><b>bulk</b>: 256 KiB written in 16 KiB writes while a reader thread takes the echo back; an
 *       operation is 256 KiB echoed (both ways through the server), on each of four connections in
 *       turn (a single connection's TCP autotuning swung whole runs between 0.9 and 2.1).
 * </ul>
 *
 * <p>Usage: {@code TlsRatios [rounds [sliceMillis [outputTsv]]]} (defaults 30, 100,
 * {@code target/benchmarks/tls.tsv}); columns as {@link InterleavedRatios}'s. The certificate is made
 * at run time.
 */
public final class TlsRatios {

    private static final int MESSAGE = 64;
    private static final int BULK = 256 * 1024;
    private static final int BULK_WRITE = 16 * 1024;
    private static final int BULK_CONNECTIONS = 4;

    private TlsRatios() {
    }

    /**
     * Runs both workloads and writes the TSV.
     *
     * @param args see the class doc
     * @throws Exception if a server or a connection fails
     */
    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 30;
        long sliceNanos = TimeUnit.MILLISECONDS.toNanos(args.length > 1 ? Long.parseLong(args[1]) : 100);
        Path output = Path.of(args.length > 2 ? args[2] : "target/benchmarks/tls.tsv");
        if (rounds < 1 || sliceNanos < 1) {
            throw new IllegalArgumentException("'rounds' and 'sliceMillis' must be positive (were " + rounds + ", "
                    + sliceNanos / 1_000_000 + ")");
        }
        TestCertificates.Authority ca = TestCertificates.authority("benchmark CA");
        SSLContext server = ca.issue("localhost", "DNS:localhost", "IP:127.0.0.1").context();
        SSLContext client = TestCertificates.trusting(ca);
        List<InterleavedRatios.Row> rows = new ArrayList<>();
        try (TlsEchoServers servers = new TlsEchoServers(server);
             Client ioloopTrip = new Client(client, servers.ioloopPort());
             Client nettyTrip = new Client(client, servers.nettyPort());
             BulkClients ioloopBulk = new BulkClients(client, servers.ioloopPort());
             BulkClients nettyBulk = new BulkClients(client, servers.nettyPort())) {
            double[][] trips = InterleavedRatios.slices(List.of(
                    new InterleavedRatios.Contender("ioloop", ioloopTrip::roundTrip),
                    new InterleavedRatios.Contender("netty", nettyTrip::roundTrip)), rounds, sliceNanos);
            rows.add(InterleavedRatios.row("TLS echo round trip, 64 B", "netty", trips[0], trips[1]));
            double[][] bulk = InterleavedRatios.slices(List.of(
                    new InterleavedRatios.Contender("ioloop", ioloopBulk::bulk),
                    new InterleavedRatios.Contender("netty", nettyBulk::bulk)), rounds, sliceNanos);
            rows.add(InterleavedRatios.row("TLS echo bulk, 256 KiB", "netty", bulk[0], bulk[1]));
        }
        List<String> lines = new ArrayList<>();
        lines.add("benchmark\tpeer\tratio\tours\ttheirs\tunit");
        for (InterleavedRatios.Row row : rows) {
            lines.add(String.format(Locale.ROOT, "%s\t%s\t%.4f\t%.1f\t%.1f\tops/s",
                    row.benchmark(), row.peer(), row.ratio(), row.ours(), row.theirs()));
        }
        if (output.getParent() != null) {
            Files.createDirectories(output.getParent());
        }
        Files.write(output, lines, StandardCharsets.UTF_8);
        lines.forEach(System.out::println);
    }

    /**
     * Bulk clients of one server: each operation goes to the next of {@value #BULK_CONNECTIONS}
     * connections, so one connection's TCP buffer autotuning does not decide a whole run.
     */
    private static final class BulkClients implements AutoCloseable {
        private final Client[] clients = new Client[BULK_CONNECTIONS];
        private int next;

        BulkClients(SSLContext context, int port) throws IOException {
            for (int i = 0; i < clients.length; i++) {
                clients[i] = new Client(context, port);
                clients[i].startReader();
            }
        }

        long bulk() throws IOException {
            Client client = clients[next];
            next = (next + 1) % clients.length;
            return client.bulk();
        }

        @Override
        public void close() throws IOException {
            for (Client client : clients) {
                client.close();
            }
        }
    }

    /** One blocking TLS client connection; for bulk, a reader thread counts the bytes echoed. */
    private static final class Client implements AutoCloseable {
        private final SSLSocket socket;
        private final OutputStream out;
        private final InputStream in;
        private final byte[] message = new byte[MESSAGE];
        private final byte[] reply = new byte[MESSAGE];
        private final byte[] chunk = new byte[BULK_WRITE];
        // ordering: written by the reader thread only, read by the writer; an AtomicLong so the writer sees progress
        private final AtomicLong received = new AtomicLong();
        private long sent;
        private Thread reader;

        Client(SSLContext context, int port) throws IOException {
            Socket plain = new Socket(InetAddress.getLoopbackAddress(), port);
            plain.setTcpNoDelay(true);
            socket = (SSLSocket) context.getSocketFactory().createSocket(plain, "localhost", port, true);
            socket.startHandshake();
            out = socket.getOutputStream();
            in = socket.getInputStream();
            java.util.Arrays.fill(message, (byte) 'x');
        }

        long roundTrip() throws IOException {
            out.write(message);
            out.flush();
            int got = 0;
            while (got < MESSAGE) {
                int n = in.read(reply, got, MESSAGE - got);
                if (n < 0) {
                    throw new IOException("echo server closed the connection");
                }
                got += n;
            }
            return 1;
        }

        void startReader() {
            reader = new Thread(() -> {
                byte[] buffer = new byte[64 * 1024];
                try {
                    int n;
                    while ((n = in.read(buffer)) >= 0) {
                        received.addAndGet(n);
                    }
                } catch (IOException e) {
                    // closed at the end of the run
                }
            }, "tls-bulk-reader");
            reader.setDaemon(true);
            reader.start();
        }

        long bulk() throws IOException {
            for (int i = 0; i < BULK; i += BULK_WRITE) {
                out.write(chunk);
            }
            out.flush();
            sent += BULK;
            while (received.get() < sent) {
                if (!reader.isAlive()) {
                    throw new UncheckedIOException(new IOException("the bulk connection closed"));
                }
                LockSupport.parkNanos(20_000);
            }
            return 1;
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
