package dev.ioloop.netty;

import java.util.concurrent.ConcurrentHashMap;

import dev.ioloop.IOLoop;
import io.netty.channel.EventLoop;
import org.jspecify.annotations.Nullable;

/**
 * The IOLoops attached to running Netty event loops, one open loop per event loop (Tornado's
 * {@code AsyncIOMainLoop} is one per asyncio loop). Safe from any thread.
 */
final class AttachedLoops {

    static final AttachedLoops INSTANCE = new AttachedLoops();

    private final ConcurrentHashMap<EventLoop, IOLoop> loops = new ConcurrentHashMap<>();

    private AttachedLoops() {
    }

    /**
     * Returns the open IOLoop attached to {@code host}, attaching a new one if there is none (named
     * {@code name}, or the builder's default name when null).
     */
    IOLoop attach(EventLoop host, @Nullable String name) {
        IOLoop[] created = new IOLoop[1];
        // ordering: compute runs atomically per key, so concurrent attaches to one host agree on one loop,
        // and a loop closed meanwhile is replaced by a new one (never handed out closed, unless it is
        // closed after this returns).
        IOLoop loop = loops.compute(host, (key, existing) -> {
            if (existing != null && !existing.isClosed()) {
                return existing;
            }
            IOLoop.Builder builder = IOLoop.builder().backend(context -> new NettyBackend(context, host)).makeCurrent(false);
            created[0] = ((name != null) ? builder.name(name) : builder).build();
            return created[0];
        });
        if (loop == created[0]) {
            NettyBackend backend = (NettyBackend) loop.backend();
            backend.closeWithHost(loop);
            backend.wakeup(); // the first iteration: the loop runs from now on, nothing else would start it
        }
        return loop;
    }

    /** Forgets {@code host}'s loop once it is closed (a new open one attached meanwhile stays). */
    void forget(EventLoop host) {
        loops.computeIfPresent(host, (key, existing) -> existing.isClosed() ? null : existing);
    }

    /** For tests: whether {@code host} has a loop registered. */
    boolean contains(EventLoop host) {
        return loops.containsKey(host);
    }
}
