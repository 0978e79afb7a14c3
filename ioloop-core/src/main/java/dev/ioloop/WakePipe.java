package dev.ioloop;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channel;
import java.nio.channels.Pipe;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;

/**
 * Wakes a thread blocked in {@link Selector#select} through a pipe registered with that selector,
 * instead of {@link Selector#wakeup()}.
 *
 * <p>Why: the JDK's wake-up writes its eventfd while holding a lock that the woken thread takes
 * again as soon as {@code epoll_wait} returns (to read the eventfd). Whenever the woken loop thread
 * preempts its waker on the same CPU, it finds that lock held, blocks on it, and needs two more
 * context switches before it runs a callback: in the B5 benchmark on a 2-core machine that happened
 * on about 40% of wake-ups and cost about 25 µs each instead of 7 µs (BENCHMARKS.md, "Issue 9,
 * follow-up"). Here a waker holds nothing the loop thread needs: it writes one byte to the pipe's
 * non-blocking sink, whose locks only wakers take (and a non-blocking NIO channel is not closed by an
 * interrupt of the thread writing to it). The loop thread does not read the byte when the selector
 * reports it, which would be one more system call before the callbacks run, but {@linkplain
 * #drainIfReported() just before its next look} at the selector: the pipe is level-triggered, so an
 * unread byte only makes that look return at once.
 *
 * <p>Bounded: the pipe holds what the kernel allows (64 KiB on Linux). A waker writes at most one byte
 * per wait of the loop (the loop's gate lets one waker through per wait), and the loop reads them all
 * at its next wait; a write to a full pipe writes nothing and leaves the loop woken all the same.
 *
 * <p>Threading: {@link #signal()} is safe from any thread; the rest is the selector thread's.
 */
final class WakePipe {

    /** What a waker writes: one byte, shared read-only; each write uses its own duplicate. */
    private static final ByteBuffer WAKE_BYTE = ByteBuffer.allocateDirect(1).asReadOnlyBuffer();

    private final Selector selector;
    private final Pipe pipe;
    private final SelectionKey key;
    /** Selector thread only: where the pipe's bytes are read into. */
    private final ByteBuffer drain = ByteBuffer.allocateDirect(64);
    /** Selector thread only: the last look at the selector reported the pipe readable. */
    private boolean reported;

    /**
     * Opens the pipe and registers its source with {@code selector} for reading.
     *
     * @throws IOException if the pipe cannot be opened or registered (nothing is left open)
     */
    WakePipe(Selector selector) throws IOException {
        this.selector = selector;
        this.pipe = Pipe.open();
        try {
            pipe.sink().configureBlocking(false);
            pipe.source().configureBlocking(false);
            this.key = pipe.source().register(selector, SelectionKey.OP_READ);
        } catch (IOException | RuntimeException e) {
            close(e);
            throw e;
        }
    }

    /**
     * Selector thread only, for each key a look reported: true, remembering it, if the key is this
     * pipe's (not a channel of the loop's).
     */
    boolean claim(SelectionKey reported) {
        if (reported != key) {
            return false;
        }
        this.reported = true;
        return true;
    }

    /**
     * Selector thread only, before each look at the selector and before the loop announces how it will
     * wait: reads the bytes the last look reported. A byte written for the coming wait is written after
     * the waker saw that announcement, so after this read: it is never consumed unseen.
     *
     * @throws UncheckedIOException if reading the pipe fails
     */
    void drainIfReported() {
        if (!reported) {
            return;
        }
        reported = false;
        try {
            int read;
            do {
                drain.clear();
                read = pipe.source().read(drain);
            } while (read == drain.capacity());
        } catch (IOException e) {
            throw new UncheckedIOException("reading the wake-up pipe failed", e);
        }
    }

    /** Safe from any thread: makes the selector's current or next look return; never throws. */
    void signal() {
        try {
            pipe.sink().write(WAKE_BYTE.duplicate()); // 0 written: the pipe is full, the loop is woken anyway
        } catch (IOException e) {
            // Closed with the loop (nothing left to wake), or a failure the JDK's own wake-up still covers.
            if (selector.isOpen()) {
                selector.wakeup();
            }
        }
    }

    /** Closes both ends of the pipe. */
    void close() throws IOException {
        IOException failure = new IOException("closing the wake-up pipe failed");
        close(failure);
        if (failure.getSuppressed().length > 0) {
            throw failure;
        }
    }

    private void close(Exception failure) {
        for (Channel end : new Channel[] {pipe.sink(), pipe.source()}) {
            try {
                end.close();
            } catch (IOException e) {
                failure.addSuppressed(e);
            }
        }
    }
}
