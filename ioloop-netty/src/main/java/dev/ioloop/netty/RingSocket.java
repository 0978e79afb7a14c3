package dev.ioloop.netty;

import dev.ioloop.IOLoop;
import dev.ioloop.IOLoopBackend;
import dev.ioloop.iostream.StreamSocket;
import io.netty.channel.IoEvent;
import io.netty.channel.IoEventLoop;
import io.netty.channel.IoRegistration;
import io.netty.channel.uring.IoUringIoEvent;
import io.netty.channel.uring.IoUringIoHandle;
import io.netty.channel.uring.IoUringIoOps;
import io.netty.channel.unix.Buffer;
import io.netty.channel.unix.Errors;
import io.netty.channel.unix.Socket;
import io.netty.util.concurrent.Future;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * A connected TCP socket on an IOLoop's io_uring event loop: a {@link StreamSocket} whose reads and sends
 * are operations on the ring ({@code IORING_OP_RECV}, {@code IORING_OP_SEND}), submitted through Netty
 * 4.2's public I/O SPI ({@link IoUringIoHandle}, {@link IoUringIoOps}).
 *
 * <p>It holds at most {@link #RECEIVE_CAPACITY} bytes received and not yet read, and {@link #SEND_CAPACITY}
 * bytes taken and not yet sent, each in a direct buffer of its own that the kernel reads or fills while an
 * operation is in flight; nothing else is buffered. A {@code recv} is in flight only while the stream wants
 * to read and everything received was read, so a stream that stops reading stops the socket reading, and
 * TCP slows the peer. {@link #write} takes nothing while a {@code send} is in flight, and the stream's
 * writes complete once it has finished ({@link #flushed()}).
 *
 * <p>Completions arrive inside the backend's wait, where no user code may run: the socket records them and
 * reports itself to the loop ({@link IOLoopBackend.ReadySource}), which tells the stream in the dispatch step
 * right after the wait, as it calls a channel's handler after a select. Closing shuts the socket down (the peer sees the end of stream at
 * once and the operations in flight complete) and closes the descriptor after their completions.
 *
 * <p>Loop thread only.
 */
final class RingSocket implements StreamSocket, IoUringIoHandle, IOLoopBackend.ReadySource {

    /** Bytes received and not yet read that a socket holds at most. */
    static final int RECEIVE_CAPACITY = 16 * 1024;
    /** Bytes taken and not yet sent that a socket holds at most. */
    static final int SEND_CAPACITY = 64 * 1024;

    // io_uring opcodes (include/uapi/linux/io_uring.h): stable kernel ABI
    static final byte IORING_OP_SEND = 26;
    static final byte IORING_OP_RECV = 27;

    private final IOLoop loop;
    private final Socket socket;
    private final ByteBuffer received = Buffer.allocateDirectWithNativeOrder(RECEIVE_CAPACITY);
    private final ByteBuffer unsent = Buffer.allocateDirectWithNativeOrder(SEND_CAPACITY);
    private final long receivedAddress = Buffer.memoryAddress(received);
    private final long unsentAddress = Buffer.memoryAddress(unsent);
    private final Runnable dispatch = this::dispatch;
    private final NettyBackend backend;
    /** A report to the loop is pending: its dispatch step will tell the stream. */
    private boolean readyReported;
    private final @Nullable InetSocketAddress localAddress;
    private final @Nullable InetSocketAddress remoteAddress;
    private @Nullable IoRegistration registration;
    private @Nullable Listener listener;
    /** received[readFrom, receivedTo): bytes the stream has not read yet. */
    private int readFrom;
    private int receivedTo;
    /** unsent[sentTo, takenTo): bytes the send in flight is sending. */
    private int sentTo;
    private int takenTo;
    private boolean recvInFlight;
    private boolean sendInFlight;
    private boolean endOfStream;
    private @Nullable IOException failure;
    private int interest;
    private int pendingEvents;
    private boolean dispatchScheduled;
    private boolean closed;
    private boolean released;

    /**
     * @param loop an IOLoop on {@code NettyBackend.factory(IoUringIoHandler.newFactory())}
     * @param socket a connected socket, owned by this from now on
     */
    RingSocket(IOLoop loop, Socket socket) {
        this.loop = loop;
        this.backend = (NettyBackend) loop.backend();
        this.socket = socket;
        this.localAddress = address(socket::localAddress);
        this.remoteAddress = address(socket::remoteAddress);
    }

    /** An address of a connected socket, read once: a socket the peer reset cannot tell it any more. */
    private static @Nullable InetSocketAddress address(Supplier<@Nullable InetSocketAddress> getter) {
        try {
            return getter.get();
        } catch (RuntimeException e) { // NotYetConnectedException: reset before it was asked
            return null;
        }
    }

    @Override
    public void start(Listener listener) {
        this.listener = listener;
        IoEventLoop eventLoop = (IoEventLoop) NettyBackend.eventLoop(loop);
        Future<IoRegistration> registered = eventLoop.register(this); // on the loop thread: done at once
        if (registered.isSuccess()) {
            registration = registered.getNow();
        } else {
            failure = new IOException("cannot register the socket with " + loop.name() + "'s io_uring event loop",
                    registered.cause());
            schedule(IOLoop.READ | IOLoop.WRITE); // the stream reads the failure and closes with it
        }
    }

    @Override
    public void interest(int events) {
        interest = events;
        if ((events & IOLoop.READ) != 0) {
            if (readFrom < receivedTo || endOfStream || failure != null) {
                schedule(IOLoop.READ); // what the socket holds already: no completion will announce it
            } else {
                armRecv();
            }
        }
        if ((events & IOLoop.WRITE) != 0 && !sendInFlight) {
            schedule(IOLoop.WRITE);
        }
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        if (readFrom == receivedTo) {
            if (failure != null) {
                throw failure;
            }
            return endOfStream ? -1 : 0;
        }
        int n = Math.min(dst.remaining(), receivedTo - readFrom);
        // ordering: the recv completed, so the kernel wrote these bytes before its completion was read
        dst.put(dst.position(), received, readFrom, n); // absolute: no view allocated per read
        dst.position(dst.position() + n);
        readFrom += n;
        if (readFrom == receivedTo) {
            readFrom = receivedTo = 0;
            if ((interest & IOLoop.READ) != 0) {
                armRecv();
            }
        }
        return n;
    }

    @Override
    public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
        if (failure != null) {
            throw failure;
        }
        if (sendInFlight || closed) {
            return 0;
        }
        int taken = 0;
        for (int i = offset; i < offset + length && taken < SEND_CAPACITY; i++) {
            ByteBuffer src = srcs[i];
            int n = Math.min(src.remaining(), SEND_CAPACITY - taken);
            unsent.put(taken, src, src.position(), n); // absolute: no view allocated per write
            src.position(src.position() + n);
            taken += n;
        }
        if (taken == 0) {
            return 0;
        }
        sentTo = 0;
        takenTo = taken;
        submitSend();
        return takenTo;
    }

    @Override
    public boolean flushed() {
        return !sendInFlight;
    }

    @Override
    public boolean isOpen() {
        return !closed;
    }

    @Override
    public void setNoDelay(boolean on) throws IOException {
        socket.setTcpNoDelay(on);
    }

    @Override
    public boolean noDelay() throws IOException {
        return socket.isTcpNoDelay();
    }

    @Override
    public @Nullable InetSocketAddress localAddress() {
        return localAddress;
    }

    @Override
    public @Nullable InetSocketAddress remoteAddress() {
        return remoteAddress;
    }

    // ------------------------------------------------------------------ the ring

    private void armRecv() {
        IoRegistration registration = this.registration;
        if (recvInFlight || closed || endOfStream || failure != null || registration == null) {
            return;
        }
        recvInFlight = true;
        registration.submit(new IoUringIoOps(IORING_OP_RECV, (byte) 0, (short) 0, socket.intValue(),
                0L, receivedAddress, RECEIVE_CAPACITY, 0, (short) 0, (short) 0, (short) 0, 0, 0L));
    }

    private void submitSend() {
        IoRegistration registration = this.registration;
        if (registration == null) {
            failure = new IOException("the socket is not registered with its io_uring event loop");
            schedule(IOLoop.READ | IOLoop.WRITE);
            return;
        }
        sendInFlight = true;
        registration.submit(new IoUringIoOps(IORING_OP_SEND, (byte) 0, (short) 0, socket.intValue(),
                0L, unsentAddress + sentTo, takenTo - sentTo, 0, (short) 0, (short) 0, (short) 0, 0, 0L));
    }

    /** A completion, inside the backend's wait: recorded here, told to the stream from a loop callback. */
    @Override
    public void handle(IoRegistration registration, IoEvent event) {
        IoUringIoEvent completion = (IoUringIoEvent) event;
        int res = completion.res();
        if (completion.opcode() == IORING_OP_RECV) {
            recvInFlight = false;
            if (res > 0) {
                receivedTo = res; // a recv is submitted only with the buffer empty: it starts at 0
            } else if (res == 0) {
                endOfStream = true;
            } else if (!closed) {
                failure = Errors.newIOException("recv", res);
            }
            reportFromWait(IOLoop.READ);
        } else if (completion.opcode() == IORING_OP_SEND) {
            sendInFlight = false;
            if (res < 0) {
                if (!closed) {
                    failure = Errors.newIOException("send", res);
                }
                reportFromWait(IOLoop.READ | IOLoop.WRITE);
            } else if (sentTo + res < takenTo) {
                sentTo += res; // the socket took part: the rest, from where it stopped
                if (!closed) {
                    submitSend();
                }
            } else {
                sentTo = takenTo = 0;
                reportFromWait(IOLoop.WRITE);
            }
        }
        if (closed) {
            releaseOnceIdle();
        }
    }

    /**
     * Inside the backend's wait (a completion): the loop tells the stream in the dispatch step right after it,
     * once however many completions this socket had in the wait.
     */
    private void reportFromWait(int events) {
        if (closed) {
            return;
        }
        pendingEvents |= events;
        if (!readyReported) {
            readyReported = true;
            backend.reportReady(this, events);
        }
    }

    /** The loop's dispatch step, after a wait in which this socket reported completions. */
    @Override
    public void ready(int ignored) {
        readyReported = false;
        dispatch();
    }

    /** Outside the backend's wait (the stream asked for what the socket holds already): a loop callback tells it. */
    private void schedule(int events) {
        if (closed) {
            return;
        }
        pendingEvents |= events;
        if (!dispatchScheduled) {
            dispatchScheduled = true;
            loop.addCallback(dispatch);
        }
    }

    private void dispatch() {
        if (readyReported) {
            return; // a report to the loop is pending too: its dispatch tells the stream everything at once
        }
        dispatchScheduled = false;
        int events = pendingEvents;
        pendingEvents = 0;
        Listener listener = this.listener;
        if (!closed && listener != null) {
            listener.onEvents(events);
        }
    }

    // ------------------------------------------------------------------ close

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            socket.shutdown(); // the FIN goes out now, and the recv and send in flight complete
        } catch (IOException | RuntimeException e) {
            // a socket the peer reset (NotYetConnectedException): nothing left to send, and its operations ended
        }
        releaseOnceIdle();
    }

    private void releaseOnceIdle() {
        if (!recvInFlight && !sendInFlight && !released) {
            released = true;
            IoRegistration registration = this.registration;
            if (registration != null) {
                registration.cancel();
            }
            closeDescriptor();
        }
    }

    /** Netty's call as the event loop shuts down: the ring's operations end with it. */
    @Override
    public void unregistered() {
        closed = true;
        if (!released) {
            released = true;
            closeDescriptor();
        }
    }

    private void closeDescriptor() {
        RingSockets.closeQuietly(socket);
    }

    @Override
    public String toString() {
        return "RingSocket[fd " + socket.intValue() + (closed ? ", closed" : "") + "]";
    }
}
