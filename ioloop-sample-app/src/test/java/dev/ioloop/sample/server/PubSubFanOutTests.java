package dev.ioloop.sample.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.management.UnixOperatingSystemMXBean;
import dev.ioloop.sample.testing.ServerProcess;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * One publisher, 10,000 subscribers: every PUBLISH reaches each of them exactly once and in order, and the publisher
 * gets its count back once the loop has handed the message to all of them (one burst of writes, nobody waited for).
 * The server runs in a child JVM: 10,000 connections on each side would not fit one process's descriptor limit.
 */
class PubSubFanOutTests {

    /**
     * 10,000, or fewer where this process may not open that many sockets (each process here holds one end of every
     * subscriber connection; the JVM raises its soft descriptor limit to the hard one at start).
     */
    private static final int SUBSCRIBERS = subscribers();
    private static final int MESSAGES = 5;

    @Test
    void aPublishReachesTenThousandSubscribersExactlyOnceInOrder() throws Exception {
        try (ServerProcess server = ServerProcess.start("512m", 1024 * 1024);
             Socket admin = connect(server.port())) {
            call(admin, "CONFIG", "SET", "maxclients", Integer.toString(SUBSCRIBERS + 100));
            List<Socket> subscribers = new ArrayList<>(SUBSCRIBERS);
            try {
                byte[] subscribe = command("SUBSCRIBE", "fan");
                for (int i = 0; i < SUBSCRIBERS; i++) {
                    Socket s = connect(server.port());
                    subscribers.add(s);
                    s.getOutputStream().write(subscribe);
                }
                byte[] confirmation = "*3\r\n$9\r\nsubscribe\r\n$3\r\nfan\r\n:1\r\n".getBytes(StandardCharsets.US_ASCII);
                for (Socket s : subscribers) {
                    assertThat(readExactly(s, confirmation.length)).isEqualTo(confirmation);
                }
                assertThat(call(admin, "PUBSUB", "NUMSUB", "fan")).isEqualTo("*2\r\n$3\r\nfan\r\n:" + SUBSCRIBERS + "\r\n");
                long[] roundTripNanos = new long[MESSAGES];
                for (int m = 0; m < MESSAGES; m++) {
                    long start = System.nanoTime();
                    assertThat(call(admin, "PUBLISH", "fan", "message-" + m)).isEqualTo(":" + SUBSCRIBERS + "\r\n");
                    roundTripNanos[m] = System.nanoTime() - start;
                }
                for (Socket s : subscribers) {
                    for (int m = 0; m < MESSAGES; m++) {
                        byte[] expected = ("*3\r\n$7\r\nmessage\r\n$3\r\nfan\r\n$9\r\nmessage-" + m + "\r\n")
                                .getBytes(StandardCharsets.US_ASCII);
                        assertThat(readExactly(s, expected.length)).isEqualTo(expected);
                    }
                    assertThat(s.getInputStream().available()).isZero();
                }
                // measured, not asserted (a shared machine): how long one publish to 10,000 kept the publisher waiting
                System.out.println("PubSubFanOutTests: PUBLISH to " + SUBSCRIBERS + " subscribers, round trips (ms): "
                        + Arrays.toString(Arrays.stream(roundTripNanos).mapToDouble(n -> n / 1e6).toArray()));
            } finally {
                for (Socket s : subscribers) {
                    s.close();
                }
            }
        }
    }

    private static int subscribers() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof UnixOperatingSystemMXBean unix) {
            long fit = unix.getMaxFileDescriptorCount() - 1_024; // room for the JVM's own files and the admin socket
            return (int) Math.max(1_000, Math.min(10_000, fit));
        }
        return 10_000;
    }

    private static Socket connect(int port) throws Exception {
        Socket s = new Socket();
        s.connect(new InetSocketAddress("127.0.0.1", port), 30_000);
        s.setSoTimeout(60_000);
        s.setTcpNoDelay(true);
        return s;
    }

    private static byte[] command(String... args) {
        byte[][] a = new byte[args.length][];
        for (int i = 0; i < args.length; i++) {
            a[i] = args[i].getBytes(StandardCharsets.UTF_8);
        }
        return dev.ioloop.sample.resp.RespEncoder.encodeCommand(a);
    }

    /** Sends a command and returns its reply frame's exact bytes. */
    private static String call(Socket s, String... args) throws Exception {
        s.getOutputStream().write(command(args));
        StringBuilder frame = new StringBuilder();
        readFrame(s.getInputStream(), frame);
        return frame.toString();
    }

    private static void readFrame(InputStream in, StringBuilder frame) throws Exception {
        String line = readLine(in, frame);
        if (line.charAt(0) == '$' && !line.equals("$-1")) {
            frame.append(new String(in.readNBytes(Integer.parseInt(line.substring(1)) + 2), StandardCharsets.ISO_8859_1));
        } else if (line.charAt(0) == '*') {
            for (int i = Integer.parseInt(line.substring(1)); i > 0; i--) {
                readFrame(in, frame);
            }
        }
    }

    private static String readLine(InputStream in, StringBuilder frame) throws Exception {
        StringBuilder line = new StringBuilder();
        int prev = -1;
        for (int b; (b = in.read()) >= 0; prev = b) {
            frame.append((char) b);
            if (prev == '\r' && b == '\n') {
                return line.substring(0, line.length() - 1);
            }
            line.append((char) b);
        }
        throw new java.io.EOFException("closed after " + frame);
    }

    private static byte[] readExactly(Socket s, int n) throws Exception {
        InputStream in = s.getInputStream();
        return in.readNBytes(n);
    }
}
