package dev.ioloop.iostream;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.List;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

import dev.ioloop.test.TestCertificates;

/**
 * Test support for TLS: one CA made at class load, a server certificate for {@code localhost} and
 * {@code 127.0.0.1}, the options both sides use, and a blocking JDK {@link SSLSocket} peer over a
 * real connection (the kernel in between) to a stream the test drives. Certificates are made at
 * run time; nothing is read from disk.
 */
public final class TlsFixture {

    /** The CA every test trusts. */
    public static final TestCertificates.Authority CA = TestCertificates.authority("ioloop test CA");
    /** The server's certificate, valid now for {@code localhost} and {@code 127.0.0.1}. */
    public static final TestCertificates.Issued SERVER = CA.issue("localhost", "DNS:localhost", "IP:127.0.0.1");
    /** The server's context: its key, trusting {@link #CA} (for client certificates). */
    public static final SSLContext SERVER_CONTEXT = SERVER.context(CA);
    /** A client's context trusting {@link #CA}. */
    public static final SSLContext CLIENT_CONTEXT = TestCertificates.trusting(CA);

    private TlsFixture() {
    }

    /** Server-side options on {@link #SERVER_CONTEXT}. */
    public static TlsOptions serverOptions() {
        return TlsOptions.server(SERVER_CONTEXT);
    }

    /** Client-side options trusting {@link #CA}, verifying {@code localhost}. */
    public static TlsOptions clientOptions() {
        return TlsOptions.client(CLIENT_CONTEXT).withServerHostname("localhost");
    }

    /**
     * A connection whose {@code near} end is a channel for a stream and whose {@code far} end is a
     * plain blocking socket the test may layer an {@link SSLSocket} on.
     */
    public record Connection(SocketChannel near, Socket far) implements AutoCloseable {

        /** Opens one on 127.0.0.1. */
        public static Connection open() throws IOException {
            try (ServerSocketChannel listener = ServerSocketChannel.open()) {
                listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
                Socket far = new Socket(InetAddress.getLoopbackAddress(), ((InetSocketAddress) listener.getLocalAddress()).getPort());
                far.setSoTimeout((int) LoopThread.WAIT.toMillis());
                far.setTcpNoDelay(true);
                return new Connection(listener.accept(), far);
            }
        }

        /**
         * Layers a client-mode SSLSocket over {@code far} (not yet handshaking).
         *
         * @param context the client's context
         * @param protocols the versions to enable, or none for the defaults
         */
        public SSLSocket clientSocket(SSLContext context, String... protocols) throws IOException {
            SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket(far, "localhost", far.getPort(), true);
            socket.setUseClientMode(true);
            if (protocols.length > 0) {
                socket.setEnabledProtocols(protocols);
            }
            javax.net.ssl.SSLParameters parameters = socket.getSSLParameters();
            parameters.setEndpointIdentificationAlgorithm("HTTPS");
            socket.setSSLParameters(parameters);
            return socket;
        }

        @Override
        public void close() throws IOException {
            near.close();
            far.close();
        }
    }

    /** The protocols both JDK sides support, for parameterised tests. */
    public static List<String> protocols() {
        return List.of("TLSv1.2", "TLSv1.3");
    }
}
