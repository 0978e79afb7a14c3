package dev.ioloop.benchmarks.loop;

import dev.ioloop.IOLoop;
import dev.ioloop.IOLoopThread;
import dev.ioloop.Timeout;
import dev.ioloop.netty.NettyBackend;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.Pipe;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/** An {@link IOLoop} running on its own thread, driven through its public API only. */
public final class IOLoopUnderTest implements LoopUnderTest {

    private static final double NANOS_PER_SECOND = 1e9;

    private final IOLoopThread running;
    private final @Nullable Pipe pipe;

    IOLoopUnderTest() {
        this(new IOLoop(false));
    }

    /**
     * Starts {@code loop} on a new daemon thread and returns once it runs callbacks.
     *
     * @param loop a new loop, not running; this object stops and closes it
     */
    public IOLoopUnderTest(IOLoop loop) {
        this(loop, null);
    }

    private IOLoopUnderTest(IOLoop loop, @Nullable Pipe pipe) {
        this.pipe = pipe;
        this.running = IOLoopThread.start(loop, "ioloop-bench", true);
    }

    /**
     * A loop with one channel registered for READ that never becomes ready (a pipe's source), so that
     * it waits in select as a loop serving connections does, rather than parking its thread.
     *
     * @return the running loop; closing it closes the pipe
     */
    public static IOLoopUnderTest withChannelRegistered() {
        try {
            Pipe pipe = Pipe.open();
            pipe.source().configureBlocking(false);
            IOLoop loop = new IOLoop(false);
            loop.addHandler(pipe.source(), (channel, events) -> { }, IOLoop.READ);
            return new IOLoopUnderTest(loop, pipe);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open a pipe for the registered channel", e);
        }
    }

    /**
     * A loop on ioloop-netty's own Netty event loop ({@code NettyBackend.factory()}, NIO).
     *
     * @return the running loop
     */
    public static IOLoopUnderTest onNetty() {
        return new IOLoopUnderTest(IOLoop.builder().backend(NettyBackend.factory()).makeCurrent(false).build());
    }

    /** @return the loop, for benchmarks that use more of its API (B6); safe from any thread */
    public IOLoop loop() {
        return running.loop();
    }

    @Override
    public void execute(Runnable task) {
        running.loop().addCallback(task);
    }

    @Override
    public Runnable chainLink(Chain chain) {
        IOLoop loop = running.loop();
        return new Runnable() {
            @Override
            public void run() {
                if (chain.linkRan()) {
                    loop.addCallback(this);
                }
            }
        };
    }

    @Override
    public Object schedule(Runnable task, long delayNanos) {
        return running.loop().callLater(delayNanos / NANOS_PER_SECOND, task);
    }

    @Override
    public void cancel(Object handle) {
        running.loop().removeTimeout((Timeout) handle);
    }

    @Override
    public void close() {
        try {
            if (running.stop(Duration.ofSeconds(10))) {
                running.loop().close(true); // closes the pipe's source
            }
            if (pipe != null) {
                pipe.sink().close();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
