package dev.ioloop.spring.boot.netty;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Test support: one HTTP/1.1 keep-alive connection to 127.0.0.1, kept open so that every request on it is served by
 * the same server event loop (a server assigns a connection to one loop for its life). JDK clients pool connections
 * out of the test's control; this one does not. Reads Content-Length and chunked bodies. Not thread-safe.
 *
 * <p>A {@link #get} that gets no answer within {@link #ANSWER_TIMEOUT_MILLIS} is sent again on a new connection (up
 * to {@link #ATTEMPTS} times). On a loaded machine one of these GETs once got no answer for 30 s while the server's
 * other loops ran; the likely cause is Reactor Netty's own: a keep-alive connection whose next request arrives
 * before the server has finished with the previous exchange can stop being read (reported upstream as reactor-netty
 * issues 4361 and 4188). The new connection is served by whichever
 * loop the server picks; one that lands on a blocked loop gets no answer either and is replaced in turn. Each
 * answer comes with the name of no loop, so a caller that needs a given loop asks {@code /whoami} on the connection.
 */
final class KeepAliveConnection implements AutoCloseable {

    /** One response: its status code and its body as UTF-8. */
    record Response(int status, String body) {
    }

    /** How long a {@link #get} waits for its answer before it tries a new connection. */
    static final int ANSWER_TIMEOUT_MILLIS = 10_000;

    /** How long {@link #read()} waits for a response the caller sent with {@link #send}. */
    static final int READ_TIMEOUT_MILLIS = 30_000;

    /** How many connections a {@link #get} tries. */
    static final int ATTEMPTS = 3;

    private final int port;

    private Socket socket;

    private InputStream in;

    private OutputStream out;

    KeepAliveConnection(int port) throws IOException {
        this.port = port;
        connect();
    }

    private void connect() throws IOException {
        this.socket = new Socket("127.0.0.1", this.port);
        this.socket.setSoTimeout(READ_TIMEOUT_MILLIS);
        this.in = new BufferedInputStream(this.socket.getInputStream());
        this.out = this.socket.getOutputStream();
    }

    /**
     * Sends a GET and reads its response, on a new connection if this one gives no answer in time (see the class).
     * @throws SocketTimeoutException if no connection answered
     */
    Response get(String path) throws IOException {
        for (int attempt = 1;; attempt++) {
            send(path);
            this.socket.setSoTimeout(ANSWER_TIMEOUT_MILLIS);
            try {
                Response response = read();
                this.socket.setSoTimeout(READ_TIMEOUT_MILLIS);
                return response;
            }
            catch (SocketTimeoutException ex) {
                if (attempt == ATTEMPTS) {
                    throw ex;
                }
                this.socket.close();
                connect();
            }
        }
    }

    /** Sends a GET without reading its response (read it later with {@link #read()}). */
    void send(String path) throws IOException {
        this.out.write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: */*\r\n\r\n")
            .getBytes(StandardCharsets.US_ASCII));
        this.out.flush();
    }

    /** Reads the next response. */
    Response read() throws IOException {
        String statusLine = line();
        int status = Integer.parseInt(statusLine.split(" ")[1]);
        int length = -1;
        boolean chunked = false;
        for (String header = line(); !header.isEmpty(); header = line()) {
            String lower = header.toLowerCase(Locale.ROOT);
            if (lower.startsWith("content-length:")) {
                length = Integer.parseInt(lower.substring("content-length:".length()).trim());
            }
            else if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) {
                chunked = true;
            }
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        if (chunked) {
            for (int size = Integer.parseInt(line().trim(), 16); size > 0; size = Integer.parseInt(line().trim(), 16)) {
                body.write(this.in.readNBytes(size));
                line();
            }
            line();
        }
        else if (length > 0) {
            body.write(this.in.readNBytes(length));
        }
        return new Response(status, body.toString(StandardCharsets.UTF_8));
    }

    private String line() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b = this.in.read(); b != '\n'; b = this.in.read()) {
            if (b < 0) {
                throw new IOException("connection closed by the server");
            }
            if (b != '\r') {
                line.write(b);
            }
        }
        return line.toString(StandardCharsets.US_ASCII);
    }

    @Override
    public void close() throws IOException {
        this.socket.close();
    }
}
