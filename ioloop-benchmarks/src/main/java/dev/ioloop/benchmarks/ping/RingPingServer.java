package dev.ioloop.benchmarks.ping;

import io.netty.channel.IoEvent;
import io.netty.channel.IoEventLoop;
import io.netty.channel.IoRegistration;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.uring.IoUring;
import io.netty.channel.uring.IoUringIoEvent;
import io.netty.channel.uring.IoUringIoHandle;
import io.netty.channel.uring.IoUringIoHandler;
import io.netty.channel.uring.IoUringIoOps;
import io.netty.channel.unix.Buffer;
import io.netty.channel.unix.Socket;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The PING server on Netty 4.2's io_uring event loop, below its channels: one {@link IoUringIoHandler}
 * loop thread, each socket an {@link IoUringIoHandle} that submits its own {@code accept}, {@code recv}
 * and {@code send} operations ({@link IoUringIoOps}) and is called back with their completions. A
 * connection keeps one {@code recv} in flight into its own input buffer while its replies are sent from
 * its own output buffer, so the replies to one read and the next read go to the kernel in the same
 * {@code io_uring_enter}. This is what an ioloop-core backend on the ring would do per request, without
 * Netty's channel pipeline and its pooled buffers ({@link UringPingServer} measures those). Linux 5.19+
 * ({@link IoUring#ensureAvailability}).
 *
 * <p>Bounded as the others: a connection holds {@link PingSession#INPUT_CAPACITY} bytes of input and
 * {@link PingSession#OUTPUT_CAPACITY} bytes of replies. While a send is unfinished it makes no new
 * replies, and once its input buffer is full it stops reading, so a client that never reads is held up by
 * TCP's flow control. {@link #start} and {@link #close} from any thread but the server's; everything else
 * runs on the loop thread, which alone touches the connections.
 */
final class RingPingServer implements PingServer {

    private static final Logger logger = LoggerFactory.getLogger(RingPingServer.class);

    // io_uring opcodes (include/uapi/linux/io_uring.h): stable kernel ABI
    private static final byte IORING_OP_ACCEPT = 13;
    private static final byte IORING_OP_SEND = 26;
    private static final byte IORING_OP_RECV = 27;
    /** accept4's flag for the accepted descriptor: not inherited by child processes. */
    private static final int SOCK_CLOEXEC = 0x80000;
    /** Room kept free in the output buffer for an error reply after the replies before it. */
    private static final int ERROR_ROOM = 256;

    private final MultiThreadIoEventLoopGroup group;
    private final IoEventLoop loop;
    private final Acceptor acceptor;
    /** The open connections. Loop thread only. */
    private final Set<Connection> connections = new HashSet<>();

    private RingPingServer(InetSocketAddress address) throws IOException {
        IoUring.ensureAvailability();
        group = new MultiThreadIoEventLoopGroup(1, IoUringIoHandler.newFactory());
        loop = group.next();
        acceptor = new Acceptor(NativeListener.open(address, group));
    }

    /** Binds {@code address} (port 0: any free one) and starts serving on a new event loop thread. */
    static RingPingServer start(InetSocketAddress address) throws IOException, InterruptedException {
        RingPingServer server = new RingPingServer(address);
        try {
            IoRegistration registration = server.loop.register(server.acceptor).sync().getNow();
            server.loop.execute(() -> server.acceptor.arm(registration));
        } catch (InterruptedException | RuntimeException e) {
            server.group.shutdownGracefully(0, 0, TimeUnit.SECONDS);
            throw e;
        }
        return server;
    }

    @Override
    public InetSocketAddress address() {
        return acceptor.listener.localAddress();
    }

    /** The listening socket's handle: one {@code accept} in flight, submitted again after each completion. */
    private final class Acceptor implements IoUringIoHandle {

        private final Socket listener;
        private final AcceptFailures acceptFailures = new AcceptFailures("ring");
        private boolean closing;

        Acceptor(Socket listener) {
            this.listener = listener;
        }

        void arm(IoRegistration registration) {
            if (!closing) {
                registration.submit(new IoUringIoOps(IORING_OP_ACCEPT, (byte) 0, (short) 0, listener.intValue(),
                        0L, 0L, 0, SOCK_CLOEXEC, (short) 0, (short) 0, (short) 0, 0, 0L));
            }
        }

        @Override
        public void handle(IoRegistration registration, IoEvent event) {
            int res = ((IoUringIoEvent) event).res();
            if (closing) {
                if (res >= 0) {
                    closeFd(new Socket(res));
                }
                registration.cancel();
                closeFd(listener);
                return;
            }
            if (res >= 0) {
                accepted(new Socket(res));
            } else {
                acceptFailures.failed(new IOException("accept failed: errno " + -res));
            }
            arm(registration);
        }

        private void accepted(Socket socket) {
            try {
                socket.setTcpNoDelay(true);
            } catch (IOException e) {
                closeFd(socket); // reset before we saw it: that connection only
                return;
            }
            Connection connection = new Connection(socket);
            loop.register(connection).addListener(registered -> {
                if (registered.isSuccess()) {
                    connections.add(connection);
                    connection.start((IoRegistration) registered.getNow());
                } else {
                    connection.release();
                }
            });
        }

        /** Stops accepting: shutting the listener down completes the {@code accept} in flight with an error. */
        void stop() {
            closing = true;
            try {
                listener.shutdown();
            } catch (IOException e) {
                // not listening any more either way
            }
        }

        @Override
        public void close() {
            closing = true;
            closeFd(listener);
        }
    }

    /**
     * One connection. Its input buffer holds the bytes {@code [answeredTo, received)} not answered yet; a
     * {@code recv} in flight writes after {@code received}, so the buffer is compacted only while none is.
     * Its output buffer holds {@code [sentTo, replied)}, the replies a {@code send} in flight is sending.
     */
    private final class Connection implements IoUringIoHandle {

        private final Socket socket;
        private final ByteBuffer input = Buffer.allocateDirectWithNativeOrder(PingSession.INPUT_CAPACITY);
        private final ByteBuffer output = Buffer.allocateDirectWithNativeOrder(PingSession.OUTPUT_CAPACITY);
        private final long inputAddress = Buffer.memoryAddress(input);
        private final long outputAddress = Buffer.memoryAddress(output);
        private IoRegistration registration;
        private int answeredTo;
        private int received;
        private int sentTo;
        private int replied;
        private boolean recvInFlight;
        private boolean sendInFlight;
        /** After the replies in the output buffer are sent, close: the last one was a protocol error. */
        private boolean closeAfterSend;
        private boolean closing;
        private boolean released;

        Connection(Socket socket) {
            this.socket = socket;
        }

        void start(IoRegistration registration) {
            this.registration = registration;
            armRecv();
        }

        @Override
        public void handle(IoRegistration registration, IoEvent event) {
            IoUringIoEvent completion = (IoUringIoEvent) event;
            try {
                if (completion.opcode() == IORING_OP_RECV) {
                    recvInFlight = false;
                    received(completion.res());
                } else if (completion.opcode() == IORING_OP_SEND) {
                    sendInFlight = false;
                    sent(completion.res());
                }
            } catch (Throwable t) { // a bug of ours: logged once, and this connection closed, not left hanging
                logger.error("ring PING server: closing a connection after an unexpected failure", t);
                disconnect();
                if (t instanceof VirtualMachineError error) {
                    throw error; // the loop's own handling: the process is in trouble, not one connection
                }
            }
            if (closing) {
                releaseOnceIdle();
            }
        }

        private void received(int res) {
            if (closing) {
                return;
            }
            if (res <= 0) { // 0: the peer's FIN; below 0: -errno (a reset peer)
                disconnect();
                return;
            }
            received += res;
            answer();
            armRecv();
        }

        private void sent(int res) {
            if (closing) {
                return;
            }
            if (res < 0) {
                disconnect();
                return;
            }
            sentTo += res;
            if (sentTo < replied) {
                submitSend(); // the socket took part: the rest, from where it stopped
                return;
            }
            if (closeAfterSend) {
                disconnect();
                return;
            }
            answer();
            armRecv();
        }

        /** Answers what input is buffered, unless the output buffer is still being sent. */
        private void answer() {
            if (sendInFlight || answeredTo == received) {
                return;
            }
            output.clear().limit(PingSession.OUTPUT_CAPACITY - ERROR_ROOM);
            try {
                answeredTo = PingProtocol.answer(input, answeredTo, received, output);
            } catch (PingProtocolException e) { // the replies before the bad command, then the error
                output.limit(output.capacity()).put(PingProtocol.errorReply(e));
                closeAfterSend = true;
            }
            if (output.position() > 0) {
                sentTo = 0;
                replied = output.position();
                submitSend();
            } else if (closeAfterSend) {
                disconnect();
            }
        }

        private void submitSend() {
            sendInFlight = true;
            registration.submit(new IoUringIoOps(IORING_OP_SEND, (byte) 0, (short) 0, socket.intValue(),
                    0L, outputAddress + sentTo, replied - sentTo, 0, (short) 0, (short) 0, (short) 0, 0, 0L));
        }

        /** Keeps one {@code recv} in flight while there is room for its bytes. */
        private void armRecv() {
            if (recvInFlight || closing || closeAfterSend) {
                return;
            }
            if (answeredTo == received) {
                answeredTo = received = 0;
            } else if (answeredTo > 0) { // no recv in flight: the unanswered bytes can move to the front
                input.limit(received).position(answeredTo);
                input.compact();
                received -= answeredTo;
                answeredTo = 0;
            }
            if (received == input.capacity()) {
                // a full buffer of commands waits for the send in flight (no valid command is this long):
                // reading resumes once the client takes its replies
                return;
            }
            recvInFlight = true;
            registration.submit(new IoUringIoOps(IORING_OP_RECV, (byte) 0, (short) 0, socket.intValue(),
                    0L, inputAddress + received, input.capacity() - received, 0,
                    (short) 0, (short) 0, (short) 0, 0, 0L));
        }

        /**
         * Closes the connection: shutting the socket down sends the FIN now and completes the operations in
         * flight; its descriptor and buffers are released once they have completed.
         */
        void disconnect() {
            if (closing) {
                return;
            }
            closing = true;
            connections.remove(this);
            try {
                socket.shutdown();
            } catch (IOException e) {
                // a reset socket: nothing left to send
            }
            releaseOnceIdle();
        }

        private void releaseOnceIdle() {
            if (!recvInFlight && !sendInFlight) {
                registration.cancel();
                release();
            }
        }

        /**
         * Closes the descriptor once no operation is in flight on it. The buffers are the JDK's direct
         * buffers: they go with the connection, which Netty holds until its last completion.
         */
        void release() {
            if (!released) {
                released = true;
                closeFd(socket);
            }
        }

        /** Called by Netty as the event loop shuts down, the ring and its operations with it. */
        @Override
        public void close() {
            disconnect();
            released = true;
            closeFd(socket);
        }
    }

    private static void closeFd(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // closing a socket that failed: nothing left to release
        }
    }

    @Override
    public void close() throws InterruptedException {
        loop.submit(() -> {
            acceptor.stop();
            for (Connection connection : new ArrayList<>(connections)) {
                connection.disconnect(); // the FIN goes out now, whatever the loop's shutdown does next
            }
        }).sync();
        group.shutdownGracefully(0, 5, TimeUnit.SECONDS).sync();
    }
}
