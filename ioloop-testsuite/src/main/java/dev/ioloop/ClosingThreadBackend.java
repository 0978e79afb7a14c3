package dev.ioloop;

import java.nio.channels.SelectableChannel;

import org.jspecify.annotations.Nullable;

/**
 * Test support: a backend that wraps another and records the thread that closed it, to show which thread a
 * loop was closed on (Netty's io_uring accepts its shutdown from the thread that ran it only).
 */
public final class ClosingThreadBackend implements IOLoopBackend {

    private final IOLoopBackend delegate;
    private volatile @Nullable Thread closedOn;

    private ClosingThreadBackend(IOLoopBackend delegate) {
        this.delegate = delegate;
    }

    /** Backends of {@code factory}, each wrapped; {@code sink} gets each wrapper as it is made. */
    public static Factory wrapping(Factory factory, java.util.function.Consumer<ClosingThreadBackend> sink) {
        return context -> {
            ClosingThreadBackend backend = new ClosingThreadBackend(factory.create(context));
            sink.accept(backend);
            return backend;
        };
    }

    /** @return the thread that closed the backend, or null while open */
    public @Nullable Thread closedOn() {
        return closedOn;
    }

    @Override
    public String name() {
        return delegate.name();
    }

    @Override
    public boolean ownsThread() {
        return delegate.ownsThread();
    }

    @Override
    public ChannelKey register(SelectableChannel channel, int events, Object attachment) {
        return delegate.register(channel, events, attachment);
    }

    @Override
    public void update(ChannelKey key, int events) {
        delegate.update(key, events);
    }

    @Override
    public void cancel(ChannelKey key) {
        delegate.cancel(key);
    }

    @Override
    public boolean sharesThread() {
        return delegate.sharesThread();
    }

    @Override
    public boolean idle() {
        return delegate.idle();
    }

    @Override
    public <T> @Nullable T capability(Class<T> type) {
        return delegate.capability(type);
    }

    @Override
    public void poll() {
        delegate.poll();
    }

    @Override
    public void await(long timeoutNanos) {
        delegate.await(timeoutNanos);
    }

    @Override
    public void wakeup() {
        delegate.wakeup();
    }

    @Override
    public void close() {
        closedOn = Thread.currentThread();
        delegate.close();
    }
}
