package dev.ioloop.benchmarks.ping;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * One connection of the JDK and epoll PING servers: its input buffer, the reply bytes a full socket
 * did not take, and the read-answer-write step. Bounded: the input buffer holds {@link #INPUT_CAPACITY}
 * bytes (over {@link PingProtocol#MAX_COMMAND}, so a valid command always fits); replies are made in
 * the loop thread's shared output buffer, and what the socket does not take is kept (at most one
 * output buffer's worth) while the session reads nothing more. Loop thread only.
 */
final class PingSession {

    /** Bytes of input one connection buffers. */
    static final int INPUT_CAPACITY = 16 * 1024;
    /** Bytes of replies made before they are written; shared by the sessions of one loop thread. */
    static final int OUTPUT_CAPACITY = 64 * 1024;

    /** The socket calls a session needs, as the JDK's channels define them. */
    interface Socket {

        /** Reads into {@code dst} at its position, advancing it; -1 at EOF, 0 when nothing is ready. */
        int read(ByteBuffer dst) throws IOException;

        /** Writes from {@code src} at its position, advancing it; 0 when the socket is full. */
        int write(ByteBuffer src) throws IOException;
    }

    /** What the server should wait for next on this connection. */
    enum Next { READ, WRITE, CLOSE }

    private final Socket socket;
    private final ByteBuffer output;
    private final ByteBuffer input = ByteBuffer.allocateDirect(INPUT_CAPACITY);
    private ByteBuffer unwritten = ByteBuffer.allocateDirect(0);

    /**
     * @param socket the connection, non-blocking
     * @param output the loop thread's reply buffer, {@link #OUTPUT_CAPACITY} bytes, direct
     */
    PingSession(Socket socket, ByteBuffer output) {
        this.socket = socket;
        this.output = output;
    }

    /** The socket is readable: reads once, answers every complete command, writes the replies. */
    Next readable() throws IOException {
        if (socket.read(input) < 0) {
            return Next.CLOSE;
        }
        return answer();
    }

    /** The socket is writable again: writes the rest of the replies, then answers what input is left. */
    Next writable() throws IOException {
        socket.write(unwritten);
        return unwritten.hasRemaining() ? Next.WRITE : answer();
    }

    private Next answer() throws IOException {
        while (input.position() > 0) {
            output.clear();
            int buffered = input.position();
            int answered;
            try {
                answered = PingProtocol.answer(input, 0, buffered, output);
            } catch (PingProtocolException e) { // the replies before the bad command, then the error: best effort
                output.flip();
                socket.write(output);
                socket.write(ByteBuffer.wrap(PingProtocol.errorReply(e)));
                return Next.CLOSE;
            }
            input.limit(buffered).position(answered);
            input.compact();
            if (!flush()) {
                return Next.WRITE;
            }
            if (answered == 0) {
                break; // an incomplete command waits for more input
            }
        }
        return Next.READ;
    }

    /** Writes the output buffer; false if the socket took only part (the rest is kept). */
    private boolean flush() throws IOException {
        output.flip();
        while (output.hasRemaining()) {
            if (socket.write(output) == 0) {
                if (unwritten.capacity() < output.remaining()) {
                    unwritten = ByteBuffer.allocateDirect(OUTPUT_CAPACITY);
                }
                unwritten.clear();
                unwritten.put(output).flip();
                return false;
            }
        }
        return true;
    }
}
