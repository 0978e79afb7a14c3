package dev.ioloop.netty;

import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;

import dev.ioloop.IOLoopBackend;
import io.netty.channel.IoRegistration;
import io.netty.channel.nio.NioSelectableChannelIoHandle;
import org.jspecify.annotations.Nullable;

/**
 * One {@code java.nio} channel an IOLoop watches through Netty's NIO transport: the {@code IoHandle}
 * Netty's selector dispatches to, and the loop's {@link IOLoopBackend.ChannelKey} for it.
 *
 * <p>Netty calls {@link #handle} on the event loop thread; {@link #close()} is a no-op because the
 * IOLoop, not Netty, decides whether its channels are closed ({@code IOLoop.close(true)}).
 */
final class ChannelHandle extends NioSelectableChannelIoHandle<SelectableChannel> implements IOLoopBackend.ChannelKey {

    final SelectableChannel channel;
    final Object attachment;
    private final NioHandles owner;
    // ordering: volatile; the interest set last asked for (any thread), applied on the event loop
    // thread, which reads it after the registration exists so the latest request always wins.
    volatile int interestOps;
    // ordering: volatile; set by cancel (any thread) before the registration is cancelled on the event
    // loop, so that nothing is reported for this key once cancel returned.
    volatile boolean cancelled;
    // ordering: volatile; set once on the event loop thread when Netty registered the channel, read by
    // cancel and update on any thread (null: registration still pending, which reads the fields above).
    volatile @Nullable IoRegistration registration;

    ChannelHandle(SelectableChannel channel, Object attachment, int interestOps, NioHandles owner) {
        super(channel);
        this.channel = channel;
        this.attachment = attachment;
        this.interestOps = interestOps;
        this.owner = owner;
    }

    @Override
    protected void handle(SelectableChannel selected, SelectionKey key) {
        owner.ready(this, key);
    }

    @Override
    public void close() {
        // The IOLoop owns the channel's life: Netty tearing its event loop down must not close it.
    }

    @Override
    public String toString() {
        return "ChannelHandle[" + channel + "]";
    }
}
