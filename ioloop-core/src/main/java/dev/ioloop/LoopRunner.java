package dev.ioloop;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.channels.SelectableChannel;
import java.util.List;
import java.util.Objects;
import java.util.function.BooleanSupplier;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a loop's iterations, the same four steps on every backend: (1) the callbacks queued when the
 * iteration began, (2) the timeouts due when it began (fixed before step 1, as Tornado does, so a
 * timeout a step-1 callback adds waits for the next iteration), (3) wait in the backend (only look,
 * without blocking, if work is already queued), (4) call the handlers of the channels the backend
 * reported. Callbacks added during an iteration wait for the next one, so no callback can starve
 * I/O. Also the loop's error funnel.
 *
 * <p>Clock readings (each costs tens of nanoseconds; issue 12 measured four per iteration): a wait
 * reads the clock once when it begins (its timeout and the busy time) and once when it ends (the idle
 * time and the new stretch's start, {@link IterationStamps}); step 2 reuses that end reading as its
 * "now" when step 1 runs no other thread's callback (see {@link #runSteps1And2}), and reads the clock
 * only in iterations that began without a wait. A loop with a timeout pending thus reads the clock
 * twice per iteration that waits, as one without, instead of four times.
 *
 * <p>An owning backend's loop runs {@link #run()} inside {@code start()}; a driven backend's host
 * calls {@link #runDriven()} once per iteration, which ends the wait begun by the previous call.
 *
 * <p>Threading: {@link #offerCallback}, {@link #schedule}, {@link #removeTimeout}, {@link #requestStop},
 * {@link #wakeUp()}, {@link #inIteration()} and the read-only accessors are safe from any thread;
 * everything else is loop thread only.
 */
final class LoopRunner {

    private static final Logger logger = LoggerFactory.getLogger(IOLoop.class);
    private static final int ITERATIONS_PER_CALL = 256;
    /**
     * At most this many iterations per burst: a burst adds up the callbacks it ran once, at its end, so
     * that {@code stats()} sees them at least every this many iterations of an endless chain.
     */
    private static final int BURST_LIMIT = 1024;
    private static final VarHandle ITERATING;

    static {
        try {
            ITERATING = MethodHandles.lookup().findVarHandle(LoopRunner.class, "iterating", Thread.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final IOLoop loop;
    private final LoopClock clock;
    private final CallbackQueue callbacks = new CallbackQueue();
    private final TimeoutQueue timeouts = new TimeoutQueue();
    private final ReadyChannels ready = new ReadyChannels();
    private final LoopCounters counters = new LoopCounters();
    private final IterationStamps stamps;
    private final IOLoopBackend backend;
    private final boolean owning;
    /** The backend when it is the default one (asked whether it is idle without an interface call); else null. */
    private final @Nullable SelectorBackend selector;
    private final WakeupGate gate;
    private final HandlerTable handlers;
    /** Loop thread only: how a loop about to park first lingers for other threads' callbacks (default backend). */
    private final ParkingLinger linger = new ParkingLinger();
    /** What a lingering loop looks at: what its wait looks at after announcing it. */
    private final BooleanSupplier workArrivedWhileLingering;
    // ordering: the thread running iterations now (null between them). Written with volatile stores
    // (so that callbacks hop safely from one loop thread to the next: the lifecycle's atomic state
    // orders one thread's last iteration before the next's), read plainly by inIteration(): see there.
    private volatile @Nullable Thread iterating;
    // ordering: volatile, written by stop() on any thread, read at iteration boundaries and after the
    // gate's WAITING store (Dekker pairing with wakeUp(), see WakeupGate).
    private volatile boolean stopRequested;
    // No field here is written once per iteration: other threads read this object's fields on every
    // addCallback, and a line the loop thread keeps writing would make each of those reads a cache miss.
    // What an iteration runs is held in locals; the wait in progress lives in IterationStamps.

    LoopRunner(IOLoop loop, LoopClock clock, IOLoopBackend.Factory factory) {
        this.loop = loop;
        this.clock = clock;
        this.stamps = new IterationStamps(clock, counters);
        this.backend = Objects.requireNonNull(factory.create(new BackendContext(loop, this)),
                "the backend factory returned null");
        this.owning = backend.ownsThread();
        this.selector = backend instanceof SelectorBackend ? (SelectorBackend) backend : null;
        this.gate = new WakeupGate(backend);
        this.handlers = new HandlerTable(backend);
        // ordering: volatile reads (queue indexes, stop flag, channel count); used only to skip a wait
        // early, never instead of the gate's protocol (see lingerBeforeParking).
        this.workArrivedWhileLingering = () -> callbacks.hasShared() || stopRequested || !backendIdle();
    }

    // ------------------------------------------------------------------ running

    /** Owning backends, in {@code start()}: runs iterations on the calling thread until {@link #requestStop()}. */
    void run() {
        try {
            if (stopRequested) {
                return; // Tornado: a stop() before start() makes the next start() return at once
            }
            iterating = Thread.currentThread();
            stamps.begin(clock.nanoTime());
            try {
                while (runIterations()) {
                    // a method that returns now and then is compiled as a method, not only on-stack
                }
            } finally {
                counters.addBusyNanos(clock.nanoTime() - stamps.awakeSince());
                iterating = null;
            }
        } finally {
            stopRequested = false;
        }
    }

    /** Runs up to {@value #ITERATIONS_PER_CALL} iterations; false once a stop was requested. */
    private boolean runIterations() {
        for (int i = 0; i < ITERATIONS_PER_CALL; i++) {
            boolean ranOtherThreads = runSteps1And2();
            if (stopRequested) {
                return false;
            }
            if (burstPossible()) {
                runBurst();
                if (stopRequested) {
                    return false;
                }
            }
            waitForEvents(ranOtherThreads);
            dispatchEvents();
        }
        return true;
    }

    /**
     * Whether the next iterations could be a burst: only the loop thread's own callbacks wait, no
     * timeout is pending, and the backend has nothing to look at ({@link IOLoopBackend#idle()}; the
     * default backend is asked directly, without an interface call).
     */
    private boolean burstPossible() {
        return callbacks.localSize() > 0 && timeouts.isEmpty() && backendIdle();
    }

    private boolean backendIdle() {
        return selector != null ? selector.idle() : backend.idle();
    }

    /**
     * Iterations that are only their step 1, over the loop thread's own callbacks, back to back: with
     * no other thread's callback, no timeout pending and nothing registered, steps 3 and 4 of one
     * iteration and step 2 of the next have nothing to do. Another thread's callback, a stop or a
     * registration ends the burst through the gate (see WakeupGate), and so does a timeout a callback
     * schedules ({@link #schedule}); the end of the loop thread's callbacks or {@link #BURST_LIMIT}
     * ends it here. Each iteration still counts (the watchdog tells iterations apart by their number);
     * the callbacks run are added up from the queue once, at the end (B2 in BENCHMARKS.md: each check
     * left out of the per-iteration path is worth a nanosecond or two per callback).
     * Returns after the step 2 of its last iteration.
     */
    private void runBurst() {
        gate.enterBurst();
        // ordering: reads after the BURST store: work enqueued before it is seen here, work enqueued
        // after it ends the burst through the gate (WakeupGate's interleavings).
        if (!callbacks.hasShared() && !stopRequested && backendIdle()) {
            int takenBefore = callbacks.localTaken();
            int iterationsLeft = BURST_LIMIT;
            try {
                do {
                    int batch = callbacks.localSize(); // at least 1: checked before the burst and after each iteration
                    counters.incrementIterations(); // an unstamped iteration, as after a poll
                    do {
                        runCallback(callbacks.pollLocal());
                    } while (--batch > 0);
                } while (gate.inBurst() && callbacks.localSize() > 0 && --iterationsLeft > 0
                        && (selector != null || backend.idle())); // other backends' own work skips the gate
            } finally { // also when a VirtualMachineError leaves the burst
                counters.addCallbacksRun(callbacks.localTaken() - takenBefore);
            }
        }
        gate.leaveBurst();
    }

    /** Driven backends, on the host thread: ends the previous wait, then runs one iteration and begins the next wait. */
    void runDriven() {
        iterating = Thread.currentThread();
        try {
            if (stamps.waitPending()) {
                endWait();
            } else {
                stamps.begin(clock.nanoTime()); // the first iteration
            }
            dispatchEvents();
            runSteps1And2();
            waitForEvents(false); // a driven backend's host decides how it waits: no linger
        } finally {
            iterating = null;
            if (!stamps.waitPending()) { // a VirtualMachineError left the iteration early: keep the loop going
                beginWait(); // its reading: the stamps only
                backend.poll();
            }
        }
    }

    /**
     * Fixes what this iteration runs (the callbacks queued and the timeouts due now), then runs step 1
     * and step 2. Returns whether step 1 found callbacks of other threads queued.
     *
     * <p>Which "now" fixes the due timeouts: the iteration's time ({@link IterationStamps#iterationNanos}),
     * that is the reading taken when the loop woke from its wait (before step 4's handlers ran), unless
     * step 1 runs another thread's callback; an iteration that began without waiting reads the clock here,
     * as before. This is asyncio's rule (Tornado's loop since 5.0: {@code _run_once} takes {@code end_time}
     * right after {@code select} and runs the I/O handlers and the timers due by it in one batch). What it
     * changes: a timeout that falls due while step 4's handlers run (or that a handler schedules for now)
     * is not due at that reading; it runs one iteration later, never later than that: step 3 computes its
     * wait from a fresh reading (below), finds it due and only polls the backend, and that poll's end
     * reading, taken after the timeout fell due, fixes the next step 2. Another thread's callback
     * forces a fresh reading so that, as before, every callback of step 1 was queued before the reading
     * that fixed its iteration's timeouts: a thread that moves a fake clock and then queues a callback
     * (FakeTimeLoop#settle) sees the timeouts due by then run no later than the iteration after it.
     */
    private boolean runSteps1And2() {
        int localBatch = callbacks.localSize();
        int sharedBatch = callbacks.sharedSize(); // one read of the producers' index (a contended line)
        int dueBatch = timeouts.isEmpty() ? 0 : timeouts.pollAllDue(dueCutoff(sharedBatch));
        counters.addCallbacksRun(runCallbacks(localBatch, sharedBatch) + runDueTimeouts(dueBatch));
        return sharedBatch > 0;
    }

    /** The "now" that fixes step 2's due timeouts: see {@link #runSteps1And2}. */
    private long dueCutoff(int sharedBatch) {
        if (sharedBatch == 0) {
            return stamps.iterationNanos(); // the wake-up's reading, or one taken now and kept for the iteration
        }
        // ordering: read after sharedSize()'s volatile read of the producers' index, so every callback of the
        // batch was enqueued before this reading (happens-before through the queue's release/acquire).
        long now = clock.nanoTime();
        stamps.recordIterationTime(now);
        return now;
    }

    /** Step 1: runs the callbacks queued when the iteration began: the loop thread's, then the others'. */
    private int runCallbacks(int localBatch, int sharedBatch) {
        int ran = localBatch;
        for (int i = localBatch; i > 0; i--) {
            runCallback(callbacks.pollLocal());
        }
        if (sharedBatch == 0) {
            return ran;
        }
        for (int i = 0; i < sharedBatch; i++) {
            Runnable callback = callbacks.pollShared();
            if (callback == null) {
                break; // its producer is mid-offer: it and those after it run next iteration
            }
            ran++;
            runCallback(callback);
        }
        return ran;
    }

    /** Step 2: runs the timeouts due when the iteration began, in deadline order. */
    private int runDueTimeouts(int dueBatch) {
        if (dueBatch == 0) {
            return 0;
        }
        int ran = 0;
        for (int i = 0; i < dueBatch; i++) {
            Runnable callback = timeouts.takeDue(i).markFired();
            if (callback != null) { // null: removed by an earlier callback of this iteration
                ran++;
                runCallback(callback);
            }
        }
        return ran;
    }

    /**
     * Step 3: waits in the backend until the next timeout, a ready channel or a wake-up. When work is
     * already queued it only polls: an owning loop then reads no clock and stamps nothing (the same
     * busy stretch goes on), which keeps a chain of callbacks cheap. A loop that would park right after
     * running other threads' callbacks first lingers for more ({@link #lingerBeforeParking()}).
     *
     * <p>The wait's timeout comes from the reading {@link #beginWait()} takes for the busy time (one
     * reading, not two). A timeout that fell due since the iteration's reading gives a timeout of 0: the
     * loop only polls, and as that wait was begun (announced, stamped) it ends with {@link #endWait()},
     * whose reading then fixes the next step 2, so the due timeout runs in the next iteration.
     */
    private void waitForEvents(boolean ranOtherThreads) {
        boolean queued = callbacks.hasQueued() || (ranOtherThreads && lingerBeforeParking());
        if (queued && owning) {
            backend.poll();
            counters.incrementIterations(); // an unstamped iteration: see IterationStamps
            return;
        }
        long now = beginWait();
        long timeout = queued ? 0 : nanosUntilNextTimeout(now);
        // ordering: reads after the gate's WAITING store (see WakeupGate).
        if (timeout == 0 || callbacks.hasShared() || stopRequested) {
            backend.poll();
        } else {
            backend.await(timeout);
        }
        if (owning) { // a driven backend returned at once; its host's next runDriven() ends the wait
            endWait();
        }
    }

    /**
     * Loop thread only, after an iteration that ran other threads' callbacks and found none queued:
     * when the loop would park (the default backend with nothing registered), lingers for more
     * ({@link ParkingLinger}: yields, looking every 8 µs, up to 20 µs, adaptive; never past the next timeout)
     * and returns true if some arrived (or a stop, or a registration); false at once on any other
     * backend or when the loop would select.
     *
     * <p>Lost wake-ups: the linger only adds looks before the gate's protocol, never instead of it.
     * It announces nothing (the gate stays AWAKE, so a waker does nothing, as during any busy
     * iteration, and the loop's looks are plain volatile reads that may miss a callback being added);
     * when it gives up, the caller goes through {@link #beginWait()} (the WAITING store, a full fence)
     * and the same re-checks after it as without the linger, so a callback whose producer read AWAKE
     * was enqueued (a full-fence XADD) before that read and is seen by the re-check (WakeupGate's
     * interleavings). Work the linger sees is handled by a poll and the next iteration, as work
     * queued before the wait.
     */
    private boolean lingerBeforeParking() {
        SelectorBackend parking = selector;
        if (parking == null || !parking.idle()) { // ordering: volatile reads of the channel count
            return false;
        }
        long untilNextTimeout = timeouts.isEmpty() ? IOLoopBackend.FOREVER : nanosUntilNextTimeout(clock.nanoTime());
        return untilNextTimeout > 0 && linger.linger(workArrivedWhileLingering, untilNextTimeout);
    }

    /** How long until the earliest timeout at clock reading {@code now}: 0 if due, FOREVER if none. */
    private long nanosUntilNextTimeout(long now) {
        return timeouts.isEmpty() ? IOLoopBackend.FOREVER : Math.max(0, timeouts.earliestDeadline() - now);
    }

    /** Announces the wait and stamps it; returns the clock reading it took (after the announcement). */
    private long beginWait() {
        callbacks.shrinkLocal();
        clearInterrupt(); // before the gate: once another thread sees the loop waiting, the flag is clear
        gate.prepareToWait();
        // ordering: the reading follows the gate's WAITING store (a full fence), as it always did: a stats()
        // reader that saw the loop awake read its own clock before this reading, so the busy time it reports
        // never runs ahead of the stretch the loop adds here (IterationStamps#busyNanos).
        long now = clock.nanoTime();
        stamps.waitBegan(now);
        counters.addBusyNanos(now - stamps.awakeSince());
        return now;
    }

    private void endWait() {
        long now = clock.nanoTime();
        counters.addIdleNanos(now - stamps.waitEnded());
        stamps.begin(now);
        gate.markAwake();
        clearInterrupt();
    }

    /**
     * An interrupt left on the loop thread would make every later wait return at once (the loop would
     * spin at 100% CPU); interrupting the loop thread is never a way to stop it. Cleared before the
     * loop blocks and after it wakes, as Netty does around its select; an iteration that does not
     * block leaves it (a callback may see one that an earlier callback set).
     */
    private void clearInterrupt() {
        if (Thread.interrupted()) {
            logger.debug("IOLoop '{}' cleared an interrupt of its thread", loop.name());
        }
    }

    /** Step 4: calls each reported channel's handler once with its events; ERROR for a channel closed under us. */
    private void dispatchEvents() {
        int count = ready.count();
        if (count == 0) {
            return;
        }
        int ran = 0;
        for (int i = 0; i < count; i++) {
            Object attachment = ready.attachment(i);
            int events = ready.events(i);
            if (attachment instanceof IOLoopBackend.ReadySource source) { // a backend's own socket (io_uring)
                ran++;
                try {
                    source.ready(events);
                } catch (Throwable t) {
                    callbackFailed(source, t);
                }
                continue;
            }
            HandlerTable.Entry entry = (HandlerTable.Entry) attachment;
            if (events == ReadyChannels.INVALIDATED || !entry.channel.isOpen()) {
                if (handlers.claimInvalidated(entry)) {
                    ran++;
                    callHandler(entry, IOLoop.ERROR);
                }
            } else if (!entry.isRemoved()) { // removed by an earlier handler of this batch, or another thread
                ran++;
                callHandler(entry, events);
            }
        }
        ready.consume(count);
        counters.addCallbacksRun(ran);
    }

    private void callHandler(HandlerTable.Entry entry, int events) {
        try {
            entry.handler.handle(entry.channel, events);
        } catch (Throwable t) {
            callbackFailed(entry.handler, t);
        }
    }

    private void runCallback(Runnable callback) {
        try {
            callback.run();
        } catch (Throwable t) {
            callbackFailed(callback, t);
        }
    }

    /** Loop thread only: the error funnel; reports an exception and rethrows VM errors after reporting them. */
    void callbackFailed(Object callback, Throwable error) {
        counters.incrementCallbackErrors();
        try {
            loop.handleCallbackException(callback, error);
        } catch (Throwable t) {
            logger.error("handleCallbackException of IOLoop '{}' threw", loop.name(), t);
        }
        if (error instanceof VirtualMachineError && !(error instanceof StackOverflowError)) {
            throw (VirtualMachineError) error;
        }
    }

    // ------------------------------------------------------------------ from any thread

    /**
     * Queues a callback for the next iteration.
     *
     * @return false, queueing nothing, if the loop is closed
     */
    boolean offerCallback(Runnable callback) {
        if (inIteration()) {
            callbacks.addLocal(callback); // the loop is awake: no atomic, no wake-up
            return true;
        }
        if (loop.isClosed()) {
            return false;
        }
        callbacks.addShared(callback);
        gate.wakeUpIfWaiting();
        return true;
    }

    /** Schedules a callback at a deadline in the clock's nanoseconds. */
    Timeout schedule(long deadlineNanos, Runnable callback) {
        Timeout timeout = new Timeout(loop, deadlineNanos, callback);
        if (inIteration()) {
            timeouts.add(timeout);
            gate.endBurst(); // a burst runs only while no timeout is pending
        } else {
            offerCallback(() -> {
                if (!timeout.isCancelled()) {
                    timeouts.add(timeout);
                }
            });
        }
        return timeout;
    }

    /** Removes a timeout the caller claimed for cancellation. */
    void removeTimeout(Timeout timeout) {
        if (inIteration()) {
            timeouts.remove(timeout);
            timeout.forgetCallback();
        } else {
            offerCallback(() -> {
                timeouts.remove(timeout);
                timeout.forgetCallback();
            });
        }
    }

    void requestStop() {
        stopRequested = true;
        // ordering: volatile store of stopRequested, then the gate read (Dekker pairing with prepareToWait).
        gate.wakeUpIfWaiting();
    }

    /** For an owner that saw start() return: forgets a stop() that arrived after the loop had returned. */
    void discardStopRequest() {
        stopRequested = false;
    }

    /** Wakes the loop if it waits, after the caller changed something it must see (a registration, a close). */
    void wakeUp() {
        gate.wakeUpIfWaiting();
    }

    /**
     * The loop clock's reading as of the current iteration when called by the thread running it (the
     * same value for every call in one iteration, see {@link IterationStamps#iterationNanos}); a fresh
     * reading from any other thread.
     */
    long iterationNanos() {
        return inIteration() ? stamps.iterationNanos() : clock.nanoTime();
    }

    /** Whether the calling thread runs this loop's iteration now. */
    boolean inIteration() {
        // ordering: a plain read is enough to compare with the calling thread, and it lets the JIT keep
        // the loop's fields in registers across it (a volatile read is an acquire: every callback a
        // chain adds would reload the queue). The loop thread reads its own last write. Any other
        // thread T sees null, another thread, or its own last write; T's own writes of itself are
        // each followed in program order by T's write of null when its run ended (run()/runDriven()'s
        // finally), so happens-before consistency never lets T read itself unless it iterates now.
        return ITERATING.get(this) == Thread.currentThread();
    }

    /** Loop thread (or the closing thread once nothing runs): drops every handler, callback and timeout. */
    List<SelectableChannel> release() {
        List<SelectableChannel> channels = handlers.clear();
        for (Timeout timeout : timeouts.drain()) {
            timeout.markCancelled();
            timeout.forgetCallback();
        }
        callbacks.clear();
        ready.consume(ready.count());
        return channels;
    }

    // ------------------------------------------------------------------ accessors

    /** Loop thread only: where the backend's reports wait for step 4. */
    ReadyChannels ready() {
        return ready;
    }

    LoopClock clock() {
        return clock;
    }

    IOLoopBackend backend() {
        return backend;
    }

    HandlerTable handlers() {
        return handlers;
    }

    LoopCounters counters() {
        return counters;
    }

    long wakeups() {
        return gate.wakeups();
    }

    /** What the loop thread is doing now, or null if it waits or does not run. Safe from any thread. */
    @Nullable IterationProbe probe(@Nullable Thread running) {
        return stamps.probe(running, gate);
    }

    /**
     * A snapshot of the counters. Safe from any thread.
     *
     * @param blockedWhileWaiting how long the thread has been unresponsive while the loop waits (a
     *     backend that shares its thread: see Heartbeat), reported when no iteration runs
     */
    LoopStats stats(@Nullable Thread running, long blockedWhileWaiting) {
        long now = clock.nanoTime();
        IterationProbe probe = stamps.probe(running, gate);
        long busy = stamps.busyNanos(now, probe != null, gate);
        return new LoopStats(loop.name(), callbacks.size(), timeouts.size(), handlers.size(), counters.callbacksRun(),
                counters.callbackErrors(), counters.iterations(), busy, counters.idleNanos(),
                counters.blockedEvents(), probe == null ? blockedWhileWaiting : probe.blockedNanos(), backend.name());
    }
}
