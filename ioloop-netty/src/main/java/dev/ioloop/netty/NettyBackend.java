package dev.ioloop.netty;

import java.nio.channels.SelectableChannel;
import java.util.Objects;
import java.util.concurrent.atomic.LongAdder;

import dev.ioloop.IOLoop;
import dev.ioloop.IOLoopBackend;
import dev.ioloop.tcp.SocketProvider;
import io.netty.channel.EventLoop;
import io.netty.channel.IoEventLoop;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.nio.NioIoHandler;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.GenericFutureListener;
import org.jspecify.annotations.Nullable;

/**
 * An {@link IOLoop} backend on a Netty 4.2 event loop: Tornado's {@code tornado.platform.asyncio} for
 * Netty. Netty channels and the loop's callbacks, timeouts and handlers then run on one thread and can
 * call each other without a thread hop.
 *
 * <pre>{@code
 * IOLoop loop = IOLoop.builder().backend(NettyBackend.factory()).build();   // Tornado's AsyncIOLoop()
 * new ServerBootstrap().group(NettyBackend.eventLoop(loop))                  // its asyncio_loop
 *         .channel(NioServerSocketChannel.class)
 *         .childHandler(handler)                                             // runs on the loop's thread
 *         .bind(8080);
 * loop.start();                                                               // serves both until stop()
 * }</pre>
 *
 * <p>Two modes:
 * <ul>
 *   <li>{@link #factory()} (Tornado's {@code AsyncIOLoop}): each IOLoop gets a Netty event loop of its own,
 *   created with the IOLoop and shut down by {@link IOLoop#close()}. The whole IOLoop contract holds:
 *   {@code start()} runs on the calling thread until {@code stop()}, and that thread is the event loop's
 *   thread while it runs; {@code stop()} then {@code start()} again, on another thread too, works. Netty
 *   work queued while the loop is stopped waits, as callbacks do. {@link #factory(IoHandlerFactory)} is
 *   the same on epoll or io_uring, where {@code addHandler} (and so {@code IOStream}, {@code TCPServer},
 *   {@code TCPClient}) throws {@link UnsupportedOperationException}: those transports cannot watch a
 *   {@code java.nio} channel.</li>
 *   <li>{@link #attach(EventLoop)} (Tornado's {@code AsyncIOMainLoop}): an IOLoop running on an event loop
 *   someone else owns (Reactor Netty's, a gRPC server's), from {@code attach} until {@code close()}.</li>
 * </ul>
 *
 * <p>The watchdog: Netty's own I/O and tasks (and, on an attached loop, every task of the host) run
 * while the loop waits, so {@code stats()} counts them as waiting, not busy. The watchdog still sees
 * them block the thread: this backend {@linkplain #sharesThread() shares its thread}, so the watchdog
 * posts a heartbeat to the waiting loop and reports the thread, with its stack, when the heartbeat has
 * not run within the threshold (a blocking Netty handler or Reactor Netty request handler included).
 *
 * <p>Threading: the static methods are safe from any thread; the instance methods keep
 * {@link IOLoopBackend}'s rules (the loop calls them; users should not).
 */
public final class NettyBackend implements IOLoopBackend {

    private final String name;
    private final EventLoopDriver driver;
    private final NioHandles handles;
    private final @Nullable EventLoop host;
    // ordering: an adder on the wake-up path (rare: another thread queued work while the loop waited); tests read it.
    private final LongAdder wakeups = new LongAdder();
    private final @Nullable Context hostContext;
    private final Context context;
    /** The sockets TCPServer listens through on this backend's loops; null: java.nio channels. */
    private final @Nullable SocketProvider sockets;
    // ordering: volatile; set by the attaching thread after the loop was built, read by close() on the host.
    private volatile @Nullable GenericFutureListener<Future<Object>> hostTerminated;

    /** A backend with a Netty event loop of its own, on the given transport, with the sockets TCPServer uses, if any. */
    private NettyBackend(Context context, IoHandlerFactory ioHandlerFactory, @Nullable SocketProvider sockets) {
        this.sockets = sockets;
        this.context = context;
        OwnedEventLoop owned = new OwnedEventLoop(context, ioHandlerFactory);
        this.name = "netty-" + owned.transport();
        this.driver = owned;
        this.handles = new NioHandles(context, owned, owned.transport(), owned::registrations, owned::readinessReported);
        this.host = null;
        this.hostContext = null;
    }

    /** A backend whose iterations run on a host's event loop. */
    NettyBackend(Context context, EventLoop host) {
        HostedIterations hosted = new HostedIterations(host, context);
        this.name = "netty-attached";
        this.driver = hosted;
        this.handles = new NioHandles(context, host instanceof IoEventLoop ? (IoEventLoop) host : null,
                Transports.nameOfHost(host), null, hosted::readinessReported);
        this.host = host;
        this.hostContext = context;
        this.sockets = null;
        this.context = context;
    }

    /**
     * Returns the factory of backends that give each IOLoop a Netty event loop of its own on the NIO
     * transport (Tornado's {@code AsyncIOLoop}); pass it to {@link IOLoop#configure} or
     * {@link IOLoop.Builder#backend}.
     *
     * @return a factory; each backend it creates opens one NIO selector, released by {@code IOLoop.close()}
     */
    public static IOLoopBackend.Factory factory() {
        return factory(NioIoHandler.newFactory());
    }

    /**
     * Returns the factory of backends that give each IOLoop a Netty event loop of its own on the given
     * transport, such as {@code EpollIoHandler.newFactory()} or {@code IoUringIoHandler.newFactory()}.
     * Callbacks, timeouts, futures and Netty channels work on every transport; {@code addHandler} on a
     * {@code java.nio} channel only on NIO (elsewhere it throws {@link UnsupportedOperationException}).
     *
     * @param ioHandlerFactory the transport
     * @return a factory; each backend it creates asks {@code ioHandlerFactory} for one IoHandler
     */
    public static IOLoopBackend.Factory factory(IoHandlerFactory ioHandlerFactory) {
        Objects.requireNonNull(ioHandlerFactory, "ioHandlerFactory");
        return context -> new NettyBackend(context, ioHandlerFactory, null);
    }

    /**
     * {@link #factory(IoHandlerFactory)}, whose loops also offer {@code sockets} to {@code TCPServer}
     * ({@link IOLoopBackend#capability}): a server on such a loop listens, accepts and serves its streams through
     * them instead of {@code java.nio} channels. {@code RingSockets.backend()} is this on io_uring.
     *
     * @param ioHandlerFactory the transport
     * @param sockets the transport's own sockets, for loops of this transport only
     * @return a factory; each backend it creates asks {@code ioHandlerFactory} for one IoHandler
     */
    public static IOLoopBackend.Factory factory(IoHandlerFactory ioHandlerFactory, SocketProvider sockets) {
        Objects.requireNonNull(ioHandlerFactory, "ioHandlerFactory");
        Objects.requireNonNull(sockets, "sockets");
        return context -> new NettyBackend(context, ioHandlerFactory, sockets);
    }

    /**
     * Returns an IOLoop whose callbacks, timeouts, futures and handlers run on {@code running}, an event
     * loop someone else owns (Tornado's {@code AsyncIOMainLoop}). The IOLoop runs from now until
     * {@link IOLoop#close()}: {@code start()} and {@code runSync()} throw {@link IllegalStateException},
     * {@code stop()} does nothing, {@code close()} from any thread removes its handlers and drops its
     * queued callbacks and timeouts and leaves the event loop running. The event loop terminating closes
     * the IOLoop. Attaching again to the same event loop returns the same IOLoop while it is open.
     * Handlers on {@code java.nio} channels need a NIO event loop; on epoll or io_uring {@code addHandler}
     * throws {@link UnsupportedOperationException}.
     *
     * @param running a Netty event loop, running or about to (Netty starts its thread on the first task)
     * @return the IOLoop attached to it
     * @throws IllegalArgumentException if the event loop is shutting down, or belongs to an IOLoop built
     *     with {@link #factory()} (use that IOLoop)
     */
    public static IOLoop attach(EventLoop running) {
        return attachNamed(running, null);
    }

    /**
     * {@link #attach(EventLoop)}, naming the IOLoop if this call attaches a new one: its logs (the
     * watchdog's "IOLoop 'reactor-http-epoll-1' blocked for ...") and {@code toString()} then say which
     * event loop it is. An IOLoop already attached to {@code running} is returned with the name it has.
     *
     * @param running a Netty event loop, running or about to (Netty starts its thread on the first task)
     * @param name the name of a newly attached IOLoop, not blank (the event loop's thread name is a good one)
     * @return the IOLoop attached to it
     * @throws IllegalArgumentException as {@link #attach(EventLoop)} does, or if {@code name} is blank
     */
    public static IOLoop attach(EventLoop running, String name) {
        Objects.requireNonNull(name, "name");
        if (name.isBlank()) {
            throw new IllegalArgumentException("'name' must not be blank");
        }
        return attachNamed(running, name);
    }

    private static IOLoop attachNamed(EventLoop running, @Nullable String name) {
        Objects.requireNonNull(running, "running");
        if (running instanceof OwnedEventLoop) {
            throw new IllegalArgumentException(running + " is the event loop of an IOLoop built with"
                    + " NettyBackend.factory(): use that IOLoop instead of attaching to it");
        }
        if (running.isShuttingDown()) {
            throw new IllegalArgumentException("event loop " + running + " is shutting down: attach to a running one");
        }
        return AttachedLoops.INSTANCE.attach(running, name);
    }

    /**
     * Returns the Netty event loop under an IOLoop (Tornado's {@code AsyncIOLoop.asyncio_loop}): its own
     * for a loop built with {@link #factory()}, usable in {@code Bootstrap.group(...)},
     * {@code ServerBootstrap.group(...)} and {@code channel.register}; the host for an attached loop.
     *
     * @param loop an IOLoop on a Netty backend
     * @return its event loop
     * @throws IllegalArgumentException if the loop does not run on Netty
     */
    public static EventLoop eventLoop(IOLoop loop) {
        Objects.requireNonNull(loop, "loop");
        IOLoopBackend backend = loop.backend();
        if (!(backend instanceof NettyBackend)) {
            throw new IllegalArgumentException("IOLoop '" + loop.name() + "' runs on the " + backend.name()
                    + " backend, not on Netty: build it with IOLoop.builder().backend(NettyBackend.factory())");
        }
        return ((NettyBackend) backend).driver.eventLoop();
    }

    // ------------------------------------------------------------------ IOLoopBackend

    @Override
    public String name() {
        return name;
    }

    @Override
    public boolean ownsThread() {
        return driver.ownsThread();
    }

    @Override
    public ChannelKey register(SelectableChannel channel, int events, Object attachment) {
        return handles.register(channel, events, attachment);
    }

    @Override
    public void update(ChannelKey key, int events) {
        handles.update((ChannelHandle) key, events);
    }

    @Override
    public void cancel(ChannelKey key) {
        handles.cancel((ChannelHandle) key);
    }

    /**
     * Loop thread, inside the wait only (a completion handler of this backend's event loop): {@code source} is
     * ready; the loop calls it in the dispatch step that follows the wait.
     */
    void reportReady(IOLoopBackend.ReadySource source, int events) {
        context.ready(source, events);
    }

    @Override
    public <T> @Nullable T capability(Class<T> type) {
        return type.isInstance(sockets) ? type.cast(sockets) : null;
    }

    /** Always: Netty's I/O and tasks, or the host's, run on the loop thread while the loop waits. */
    @Override
    public boolean sharesThread() {
        return true;
    }

    @Override
    public boolean idle() {
        return driver.idle();
    }

    @Override
    public void poll() {
        handles.beforeWait();
        driver.poll();
        if (handles.afterWait()) {
            driver.readinessReported();
        }
    }

    @Override
    public void await(long timeoutNanos) {
        handles.beforeWait();
        driver.await(timeoutNanos);
        if (handles.afterWait()) {
            driver.readinessReported();
        }
    }

    @Override
    public void wakeup() {
        wakeups.increment();
        driver.wakeup();
    }

    @Override
    public void close() {
        driver.close();
        EventLoop attachedTo = host;
        if (attachedTo != null) {
            GenericFutureListener<Future<Object>> listener = hostTerminated;
            if (listener != null) {
                attachedTo.terminationFuture().removeListener(listener); // a long-lived host keeps no listener per loop
            }
            AttachedLoops.INSTANCE.forget(attachedTo);
        }
    }

    @Override
    public String toString() {
        return "NettyBackend[" + name + ", " + driver.eventLoop() + "]";
    }

    /** For tests: how many times another thread woke the loop. Safe from any thread. */
    long wakeups() {
        return wakeups.sum();
    }

    /** For tests: how many Netty tasks other threads queued on an owned event loop (0 for an attached one). */
    long tasksFromOtherThreads() {
        return driver instanceof OwnedEventLoop ? ((OwnedEventLoop) driver).tasksFromOtherThreads() : 0;
    }

    // ------------------------------------------------------------------ attached loops

    /**
     * Attached loops, once built: the host terminating closes {@code loop}. Its thread is gone, so the
     * thread that saw it terminate runs the release (termination happens-after every host task, so no
     * iteration runs concurrently).
     */
    void closeWithHost(IOLoop loop) {
        EventLoop attachedTo = Objects.requireNonNull(host, "not an attached backend");
        Context context = Objects.requireNonNull(hostContext, "not an attached backend");
        GenericFutureListener<Future<Object>> listener = terminated -> {
            loop.close();
            context.runOnce();
        };
        hostTerminated = listener;
        attachedTo.terminationFuture().addListener(listener);
    }
}
