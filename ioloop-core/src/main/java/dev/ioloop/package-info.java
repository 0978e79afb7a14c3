/**
 * The I/O loop: {@link dev.ioloop.IOLoop} (Tornado's {@code tornado.ioloop.IOLoop}),
 * {@link dev.ioloop.PeriodicCallback}, {@link dev.ioloop.IOLoopGroup}, {@link dev.ioloop.IOLoopThread}
 * and their collaborators.
 *
 * <p>Architecture: {@code IOLoop} is a facade over package-private collaborators. {@code LoopLifecycle}
 * (idle, running, closed; start, stop, close), {@code LoopRunner} (the iteration: run ready callbacks,
 * run due timeouts, wait, dispatch; scheduling; the error funnel), {@code CallbackQueue} (a
 * loop-thread-only ring beside a lock-free MPSC queue), {@code TimeoutQueue}, {@code HandlerTable},
 * {@code WakeupGate} (wake the loop only when it waits), {@code IterationStamps} and
 * {@code BlockedLoopWatchdog} (blocked-loop detection), {@code ExecutorBridge} ({@code runInExecutor},
 * scheduled-executor views) and {@code LoopRegistry} (current loop, instance, configured backend).
 *
 * <p>The seam: what waits is an {@link dev.ioloop.IOLoopBackend}, chosen with
 * {@link dev.ioloop.IOLoop#configure} or {@link dev.ioloop.IOLoop.Builder#backend} (Tornado's
 * {@code Configurable}). The default, package-private {@code SelectorBackend} keeps
 * {@code java.nio.channels.Selector} and {@code SelectionKey} to itself, and parks the thread while no
 * channel is registered. A backend either owns the thread ({@code start()} drives it) or is driven by a
 * host event loop through {@link dev.ioloop.IOLoopBackend.Context#runOnce()}; the type's javadoc says
 * what each member promises and how Netty 4.2's {@code ManualIoEventLoop} and a running Netty
 * {@code EventLoop} map onto it. Callbacks, timeouts, counters, watchdog stamps and the error funnel
 * belong to the loop in every backend.
 *
 * <p>Threading: the public scheduling and handler methods are safe from any thread; callbacks,
 * timeouts and handlers run on the loop thread. Package-private collaborators state their own
 * rule ("loop thread only" or "safe from any thread") on each class, and every memory-ordering
 * decision is marked {@code // ordering:} where it is made.
 */
@NullMarked
package dev.ioloop;

import org.jspecify.annotations.NullMarked;
