package dev.ioloop.netty;

import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;

import dev.ioloop.IOLoopBackend;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelPromise;
import io.netty.channel.DefaultChannelPromise;
import io.netty.channel.IoEventLoop;
import io.netty.channel.IoEventLoopGroup;
import io.netty.channel.IoHandle;
import io.netty.channel.IoHandler;
import io.netty.channel.IoHandlerContext;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.IoRegistration;
import io.netty.util.concurrent.AbstractScheduledEventExecutor;
import io.netty.util.concurrent.DefaultPromise;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.GlobalEventExecutor;
import io.netty.util.concurrent.Promise;
import io.netty.util.concurrent.Ticker;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Netty event loop of an IOLoop built with {@code NettyBackend.factory()}: a real
 * {@link IoEventLoop} (Netty channels register on it, {@code ServerBootstrap.group(...)} takes it)
 * whose thread is whichever thread runs the IOLoop's {@code start()} now.
 *
 * <p>Why not Netty's {@code ManualIoEventLoop}: its owning thread can be set once, and an IOLoop may be
 * stopped and started again on another thread. This class drives Netty's public I/O SPI itself: it
 * owns the {@link IoHandler} (NIO, epoll, io_uring), runs it from the IOLoop's wait step with an
 * {@link IoWait} that blocks only as long as the IOLoop may, and keeps Netty's tasks in a
 * queue of their own, run after each wait (those queued when the wait ended; later ones wait for the
 * next wait, as IOLoop callbacks do). Netty's scheduled tasks follow the IOLoop's clock (a
 * {@link LoopTicker}).
 *
 * <p>{@link #inEventLoop(Thread)} is true for the thread running the IOLoop's iterations (and for the
 * thread closing the loop, while it shuts Netty down); while the IOLoop is stopped no thread is the
 * event loop's, so Netty work queued meanwhile waits for the next {@code start()}.
 *
 * <p>A little over 300 lines because Netty's {@code EventLoop} interface is wide: most members are
 * one- or two-line executor and registration methods.
 *
 * <p>Threading: Netty's {@code EventLoop} methods are safe from any thread; {@link #poll()} and
 * {@link #await(long)} run on the loop thread; {@link #close()} runs once, on the closing thread,
 * after the IOLoop stopped.
 */
final class OwnedEventLoop extends AbstractScheduledEventExecutor implements IoEventLoop, EventLoopDriver {

    private static final Logger logger = LoggerFactory.getLogger(NettyBackend.class);

    private enum State { OPEN, SHUTTING_DOWN, TERMINATED }

    private final IOLoopBackend.Context context;
    private final LoopTicker ticker;
    private final NettyTasks tasks;
    private final Promise<Void> terminationFuture = new DefaultPromise<>(GlobalEventExecutor.INSTANCE);
    private final IoWait waiting = new IoWait(this);
    private final IoHandler handler;
    // ordering: one atomic for the life, so execute() on any thread sees TERMINATED once the closer set it.
    private final AtomicReference<State> state = new AtomicReference<>(State.OPEN);
    // ordering: volatile; the thread closing the loop while it shuts Netty down (set before, cleared after).
    private volatile @Nullable Thread closer;
    // ordering: volatile; the thread that last waited, for inEventLoop(otherThread) (see there).
    private volatile @Nullable Thread lastDriver;
    // ordering: volatile; set by wakeup() (any thread) before it wakes the handler, read by canBlock()
    // on the loop thread: a wake-up that lands before the handler blocks makes it not block.
    private volatile boolean wakePending;
    // ordering: an adder, counted on the cross-thread path only (which wakes the handler anyway); tests read it.
    private final LongAdder tasksFromOtherThreads = new LongAdder();
    // Loop thread only (the lifecycle orders one loop thread before the next):
    private boolean initialized;
    private @Nullable Thread firstThread;
    private long registrations;

    OwnedEventLoop(IOLoopBackend.Context context, IoHandlerFactory ioHandlerFactory) {
        this.context = context;
        this.ticker = new LoopTicker(context.clock());
        this.tasks = new NettyTasks(context.loopName());
        this.handler = Objects.requireNonNull(ioHandlerFactory.newHandler(this), "the IoHandlerFactory returned null");
    }

    /** The transport's name, from its IoHandler: {@code nio}, {@code epoll}, {@code io_uring} or the class name. */
    String transport() {
        return Transports.name(handler.getClass());
    }

    /** Every registration ever made on this event loop's handler (Netty's channels and the IOLoop's). Loop thread only. */
    long registrations() {
        return registrations;
    }

    /** For tests: how many Netty tasks threads other than the loop's have queued. Safe from any thread. */
    long tasksFromOtherThreads() {
        return tasksFromOtherThreads.sum();
    }

    // ------------------------------------------------------------------ driven by the IOLoop

    @Override
    public OwnedEventLoop eventLoop() {
        return this;
    }

    @Override
    public boolean ownsThread() {
        return true;
    }

    /**
     * Whether a poll would do nothing: nothing was ever registered (Netty's channels are not counted
     * out when they close, so a loop that served any stays polled), no Netty task and no scheduled one
     * waits. Asked before each iteration of a burst; a task another thread queues ends it here.
     */
    @Override
    public boolean idle() {
        // ordering: volatile reads of the task queue's indexes; a producer's offer is seen by the next call.
        return registrations == 0 && tasks.isEmpty() && nextScheduledTaskDeadlineNanos() == -1;
    }

    @Override
    public void poll() {
        beginRun();
        if (registrations > 0) { // nothing to select on otherwise: a callback chain pays no system call
            runHandler(IoWait.POLL);
        }
        tasks.runQueued(this);
    }

    @Override
    public void await(long timeoutNanos) {
        beginRun();
        waiting.arm(timeoutNanos);
        runHandler(waiting);
        wakePending = false; // ordering: after the wait; a later wakeup() is for the next one
        tasks.runQueued(this);
    }

    private void runHandler(IoHandlerContext handlerContext) {
        try {
            handler.run(handlerContext);
        } catch (RuntimeException e) {
            if (Thread.currentThread() != firstThread) {
                throw new IllegalStateException(threadBound("failed"), e);
            }
            throw e;
        }
    }

    @Override
    public void wakeup() {
        wakePending = true; // ordering: volatile store before the handler's wake-up (see the field)
        handler.wakeup();
    }

    @Override
    public void readinessReported() {
        // Readiness is reported during poll() and await(), and the IOLoop dispatches it right after.
    }

    private void beginRun() {
        Thread self = Thread.currentThread();
        if (lastDriver != self) {
            lastDriver = self;
        }
        if (!initialized) {
            initialized = true;
            firstThread = self;
            handler.initialize();
        }
    }

    /** Shuts Netty down on the calling thread: cancels scheduled tasks, closes every channel, runs what is left. */
    @Override
    public void close() {
        closer = Thread.currentThread(); // ordering: volatile; this thread is the event loop's from now on
        state.set(State.SHUTTING_DOWN);
        try {
            beginRun();
            tasks.runQueued(this); // cancels of the IOLoop's channels, queued while nothing ran
            cancelScheduledTasks();
            destroyHandler();
        } finally {
            state.set(State.TERMINATED);
            tasks.drain(this);
            terminationFuture.setSuccess(null);
            closer = null;
        }
    }

    private void destroyHandler() {
        try {
            handler.prepareToDestroy(); // closes Netty's channels on this event loop
            tasks.drain(this);
            handler.destroy();
        } catch (RuntimeException e) {
            // The IOLoop is closed either way; say why the transport could not be released cleanly.
            logger.warn("IOLoop '{}': {}", context.loopName(), threadBound("failed to shut down"), e);
        }
    }

    /**
     * Some transports bind to the first thread that runs them: Netty's io_uring handler registers its
     * ring with that thread (IORING_REGISTER_RING_FDS), and the kernel refuses it to any other.
     */
    private String threadBound(String what) {
        Thread first = firstThread;
        return "the " + transport() + " event loop " + what + " on thread '" + Thread.currentThread().getName()
                + "'" + (first == null || first == Thread.currentThread() ? ""
                : ", not the thread that first ran it ('" + first.getName() + "'): some transports accept work"
                + " only from that thread (Netty's io_uring registers its ring with it); start, restart and close"
                + " this IOLoop on one thread");
    }

    /**
     * Loop thread only, for {@link IoWait}: whether the handler may block now (no wake-up, no Netty task
     * and no due scheduled task pending).
     */
    boolean mayBlock() {
        // ordering: volatile reads of wakePending and of the task queue's indexes; pair with wakeup()
        // and execute(), which store before they wake the handler.
        return !wakePending && tasks.isEmpty() && !hasScheduledTasks();
    }

    /** Loop thread only, for {@link IoWait}: the next scheduled task's deadline on the ticker, or -1. */
    long nextScheduledDeadline() {
        return nextScheduledTaskDeadlineNanos();
    }

    /** Loop thread only: the next due scheduled task, for {@link NettyTasks}; reads no clock when none is scheduled. */
    @Nullable Runnable pollDueScheduledTask() {
        return nextScheduledTaskDeadlineNanos() == -1 ? null : pollScheduledTask(ticker.nanoTime());
    }

    // ------------------------------------------------------------------ EventExecutor

    @Override
    public boolean inEventLoop(Thread thread) {
        if (thread == Thread.currentThread()) {
            return context.inLoopThread() || thread == closer;
        }
        // Another thread: the thread that last ran the loop (after stop(), until the next start(), this
        // still names the previous loop thread; Netty itself asks about the current thread only).
        return thread == lastDriver || thread == closer;
    }

    @Override
    public void execute(Runnable task) {
        Objects.requireNonNull(task, "task");
        if (state.get() == State.TERMINATED) {
            throw rejected();
        }
        tasks.add(task);
        if (!inEventLoop()) {
            tasksFromOtherThreads.increment();
            handler.wakeup();
            // ordering: re-read after the enqueue; a task that raced with the end of close() may have
            // missed its last drain, so its submitter is told (it may or may not have run).
            if (state.get() == State.TERMINATED) {
                throw rejected();
            }
        }
    }

    @Override
    public Ticker ticker() {
        return ticker;
    }

    @Override
    public boolean isShuttingDown() {
        return state.get() != State.OPEN;
    }

    @Override
    public boolean isShutdown() {
        return state.get() != State.OPEN;
    }

    @Override
    public boolean isTerminated() {
        return state.get() == State.TERMINATED;
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
        return terminationFuture.await(timeout, unit);
    }

    @Override
    public Future<?> terminationFuture() {
        return terminationFuture;
    }

    /** Refused: this event loop lives as long as its IOLoop. */
    @Override
    public Future<?> shutdownGracefully(long quietPeriod, long timeout, TimeUnit unit) {
        throw new UnsupportedOperationException(ownedMessage());
    }

    /** Refused: this event loop lives as long as its IOLoop. */
    @Override
    @Deprecated
    public void shutdown() {
        throw new UnsupportedOperationException(ownedMessage());
    }

    @Override
    public <T> List<java.util.concurrent.Future<T>> invokeAll(Collection<? extends Callable<T>> tasks)
            throws InterruptedException {
        refuseOnLoopThread("invokeAll");
        return super.invokeAll(tasks);
    }

    @Override
    public <T> List<java.util.concurrent.Future<T>> invokeAll(Collection<? extends Callable<T>> tasks, long timeout,
            TimeUnit unit) throws InterruptedException {
        refuseOnLoopThread("invokeAll");
        return super.invokeAll(tasks, timeout, unit);
    }

    @Override
    public <T> T invokeAny(Collection<? extends Callable<T>> tasks) throws InterruptedException, ExecutionException {
        refuseOnLoopThread("invokeAny");
        return super.invokeAny(tasks);
    }

    @Override
    public <T> T invokeAny(Collection<? extends Callable<T>> tasks, long timeout, TimeUnit unit)
            throws InterruptedException, ExecutionException, TimeoutException {
        refuseOnLoopThread("invokeAny");
        return super.invokeAny(tasks, timeout, unit);
    }

    // ------------------------------------------------------------------ IoEventLoop

    @Override
    public OwnedEventLoop next() {
        return this;
    }

    @Override
    public @Nullable IoEventLoopGroup parent() {
        return null;
    }

    @Override
    public Future<IoRegistration> register(IoHandle handle) {
        Promise<IoRegistration> promise = newPromise();
        if (inEventLoop()) {
            registerNow(handle, promise);
        } else {
            execute(() -> registerNow(handle, promise));
        }
        return promise;
    }

    private void registerNow(IoHandle handle, Promise<IoRegistration> promise) {
        if (state.get() == State.TERMINATED) {
            promise.setFailure(rejected());
            return;
        }
        beginRun();
        try {
            IoRegistration registration = handler.register(handle);
            registrations++;
            promise.setSuccess(registration);
        } catch (Exception e) {
            promise.setFailure(e);
        }
    }

    @Override
    public boolean isCompatible(Class<? extends IoHandle> handleType) {
        return handler.isCompatible(handleType);
    }

    @Override
    public boolean isIoType(Class<? extends IoHandler> handlerType) {
        return handler.getClass().equals(handlerType);
    }

    @Override
    @Deprecated
    public ChannelFuture register(Channel channel) {
        return register(new DefaultChannelPromise(channel, this));
    }

    @Override
    @Deprecated
    public ChannelFuture register(ChannelPromise promise) {
        Objects.requireNonNull(promise, "promise");
        promise.channel().unsafe().register(this, promise);
        return promise;
    }

    @Override
    @Deprecated
    public ChannelFuture register(Channel channel, ChannelPromise promise) {
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(promise, "promise");
        channel.unsafe().register(this, promise);
        return promise;
    }

    @Override
    public String toString() {
        return "OwnedEventLoop[IOLoop '" + context.loopName() + "', " + transport() + "]";
    }

    // ------------------------------------------------------------------ helpers

    private RejectedExecutionException rejected() {
        return new RejectedExecutionException("the Netty event loop of IOLoop '" + context.loopName()
                + "' is shut down: its IOLoop was closed");
    }

    private String ownedMessage() {
        return "the Netty event loop of IOLoop '" + context.loopName() + "' is shut down by IOLoop.close(),"
                + " not directly";
    }

    private void refuseOnLoopThread(String method) {
        if (inEventLoop()) {
            throw new RejectedExecutionException("calling " + method + " on the loop thread would deadlock");
        }
    }
}
