package dev.ioloop.benchmarks;

import java.io.IOException;
import java.lang.ref.Reference;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * The load run's idle-connection client: opens {@code count} connections to a RESP server, sends
 * one {@code PING} on each and reads the {@code +PONG} (so every connection is accepted and served
 * once), prints {@code READY <count>}, then holds them open, idle, until it is killed.
 *
 * <p>Usage: {@code IdleConnections host port count}.
 */
public final class IdleConnections {

    private static final byte[] PING = "PING\r\n".getBytes(StandardCharsets.ISO_8859_1);
    private static final int PONG_BYTES = "+PONG\r\n".length();

    private IdleConnections() {
    }

    /**
     * Opens, checks and holds the connections.
     *
     * @param args {@code host port count}
     * @throws IOException if a connection fails or a reply is not {@code +PONG}
     * @throws InterruptedException if interrupted while holding
     */
    public static void main(String[] args) throws IOException, InterruptedException {
        if (args.length != 3) {
            throw new IllegalArgumentException("usage: IdleConnections host port count (was " + args.length + " arguments)");
        }
        List<SocketChannel> connections = open(new InetSocketAddress(args[0], Integer.parseInt(args[1])),
                Integer.parseInt(args[2]));
        System.out.println("READY " + connections.size());
        System.out.flush();
        new CountDownLatch(1).await(); // held until the JVM is killed; the OS closes the sockets
        Reference.reachabilityFence(connections);
    }

    /**
     * Opens {@code count} connections and pings each once.
     *
     * @param address the server
     * @param count how many connections, at least 1
     * @return the open connections, in blocking mode
     * @throws IOException if a connection fails or a reply is not {@code +PONG}
     */
    static List<SocketChannel> open(InetSocketAddress address, int count) throws IOException {
        if (count < 1) {
            throw new IllegalArgumentException("'count' must be at least 1 (was " + count + ")");
        }
        List<SocketChannel> connections = new ArrayList<>(count);
        ByteBuffer reply = ByteBuffer.allocate(PONG_BYTES);
        for (int i = 0; i < count; i++) {
            SocketChannel connection = SocketChannel.open(address);
            connections.add(connection);
            connection.write(ByteBuffer.wrap(PING));
            reply.clear();
            while (reply.hasRemaining()) {
                if (connection.read(reply) < 0) {
                    throw new IOException("connection " + i + " closed by the server before +PONG");
                }
            }
            String text = new String(reply.array(), StandardCharsets.ISO_8859_1);
            if (!text.equals("+PONG\r\n")) {
                throw new IOException("connection " + i + " got '" + text.strip() + "' instead of +PONG");
            }
        }
        return connections;
    }
}
