package dev.ioloop;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Pipe;
import java.nio.channels.SelectionKey;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import dev.ioloop.test.Await;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * The selector backend on its own, driven the way the loop drives it: one "loop thread" (a
 * single-thread executor) calls poll and await and receives the reports; the test thread plays the
 * other threads that register, update and cancel, and wakes the loop as the loop's gate would.
 */
class SelectorBackendTests {

    private static final long WAIT_MS = Await.timeout().toMillis();

    private final ExecutorService loopThread = Executors.newSingleThreadExecutor(task -> new Thread(task, "backend-loop"));
    private final Thread thread = submitUnchecked(Thread::currentThread);
    /** Loop thread only: "attachment events" or "attachment invalidated", in report order. */
    private final List<String> reports = new ArrayList<>();
    private final SelectorBackend backend = new SelectorBackend(new IOLoopBackend.Context() {
        @Override
        public String loopName() {
            return "direct";
        }

        @Override
        public LoopClock clock() {
            return LoopClock.system();
        }

        @Override
        public boolean inLoopThread() {
            return Thread.currentThread() == thread;
        }

        @Override
        public void ready(Object attachment, int events) {
            reports.add(attachment + " " + events);
        }

        @Override
        public void invalidated(Object attachment) {
            reports.add(attachment + " invalidated");
        }

        @Override
        public void runOnce() {
            throw new IllegalStateException("owning backend");
        }
    });
    private final List<AutoCloseable> toClose = new ArrayList<>();

    @AfterEach
    void tearDown() throws Exception {
        for (AutoCloseable closeable : toClose) {
            closeable.close();
        }
        onLoop(() -> {
            backend.close();
            return null;
        });
        loopThread.shutdownNow();
    }

    private <T> T submitUnchecked(Callable<T> task) {
        try {
            return loopThread.submit(task).get(WAIT_MS, TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private <T> T onLoop(Callable<T> task) throws Exception {
        return loopThread.submit(task).get(WAIT_MS, TimeUnit.MILLISECONDS);
    }

    /** Polls on the loop thread and returns (and forgets) the reports. */
    private List<String> poll() throws Exception {
        return onLoop(() -> {
            backend.poll();
            return drainReports();
        });
    }

    /** Starts a wait on the loop thread; get() returns its reports once it returned. */
    private Future<List<String>> startAwait(long timeoutNanos) {
        return loopThread.submit(() -> {
            backend.await(timeoutNanos);
            return drainReports();
        });
    }

    private List<String> drainReports() {
        List<String> copy = new ArrayList<>(reports);
        reports.clear();
        return copy;
    }

    /** Waits until the loop thread is blocked: parked (WAITING on the backend) or selecting (RUNNABLE in epoll). */
    private void awaitBlocked(boolean parked) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(WAIT_MS);
        while (!(parked ? thread.getState() == Thread.State.WAITING && LockSupport.getBlocker(thread) == backend
                : isInSelect())) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the loop thread never blocked " + (parked ? "parked" : "in select")
                        + " (" + thread.getState() + ")");
            }
            Thread.yield();
        }
    }

    private boolean isInSelect() {
        for (StackTraceElement frame : thread.getStackTrace()) {
            if (frame.getMethodName().equals("doSelect")) {
                return true;
            }
        }
        return false;
    }

    private Pipe pipe(boolean withData) throws IOException {
        Pipe pipe = Pipe.open();
        pipe.source().configureBlocking(false);
        if (withData) {
            pipe.sink().write(ByteBuffer.wrap(new byte[] {1}));
        }
        toClose.add(pipe.sink());
        toClose.add(pipe.source());
        return pipe;
    }

    @Test
    void withNothingRegisteredTheLoopThreadParksAndAChannelAddedFromAnotherThreadIsSelectedNext() throws Exception {
        Future<List<String>> wait = startAwait(IOLoopBackend.FOREVER);
        awaitBlocked(true);
        Pipe ready = pipe(true);
        backend.register(ready.source(), IOLoop.READ, "ready"); // another thread, as addHandler does
        backend.wakeup(); // what the loop's gate does after a registration from another thread
        assertThat(wait.get(WAIT_MS, TimeUnit.MILLISECONDS)).isEmpty();
        // the next wait selects (a channel is registered) and sees it at once
        assertThat(startAwait(IOLoopBackend.FOREVER).get(WAIT_MS, TimeUnit.MILLISECONDS)).containsExactly("ready 1");
    }

    @Test
    void aChannelRegisteredFromAnotherThreadDuringABlockingSelectIsReportedAfterTheWakeUp() throws Exception {
        Pipe idle = pipe(false);
        backend.register(idle.source(), IOLoop.READ, "idle");
        Future<List<String>> wait = startAwait(IOLoopBackend.FOREVER);
        awaitBlocked(false);
        Pipe ready = pipe(true);
        backend.register(ready.source(), IOLoop.READ, "ready");
        backend.wakeup();
        List<String> first = wait.get(WAIT_MS, TimeUnit.MILLISECONDS);
        List<String> seen = new ArrayList<>(first);
        if (seen.isEmpty()) { // java.nio applies a registration made during a select at the next one
            seen.addAll(startAwait(IOLoopBackend.FOREVER).get(WAIT_MS, TimeUnit.MILLISECONDS));
        }
        assertThat(seen).containsExactly("ready 1");
    }

    @Test
    void aWakeUpBeforeTheWaitIsNeverLostInEitherMode() throws Exception {
        backend.wakeup();
        assertThat(startAwait(IOLoopBackend.FOREVER).get(WAIT_MS, TimeUnit.MILLISECONDS)).isEmpty(); // parked mode
        backend.register(pipe(false).source(), IOLoop.READ, "idle");
        backend.wakeup();
        assertThat(startAwait(IOLoopBackend.FOREVER).get(WAIT_MS, TimeUnit.MILLISECONDS)).isEmpty(); // select mode
    }

    @Test
    void anInterestChangeFromAnotherThreadTakesEffectAtTheNextWait() throws Exception {
        Pipe ready = pipe(true);
        IOLoopBackend.ChannelKey key = backend.register(ready.source(), IOLoop.NONE, "quiet");
        assertThat(poll()).isEmpty();
        Future<List<String>> wait = startAwait(IOLoopBackend.FOREVER);
        awaitBlocked(false);
        backend.update(key, IOLoop.READ);
        backend.wakeup();
        List<String> seen = new ArrayList<>(wait.get(WAIT_MS, TimeUnit.MILLISECONDS));
        if (seen.isEmpty()) {
            seen.addAll(poll());
        }
        assertThat(seen).containsExactly("quiet 1");
        backend.update(key, IOLoop.NONE);
        assertThat(poll()).isEmpty();
    }

    @Test
    void aCancelFromAnotherThreadStopsReportsAndTheNextWaitReleasesAClosedChannel() throws Exception {
        try (ServerSocketChannel listener = ServerSocketChannel.open()) {
            listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            SocketChannel far = SocketChannel.open(listener.getLocalAddress());
            toClose.add(far);
            SocketChannel near = listener.accept();
            near.configureBlocking(false);
            far.write(ByteBuffer.wrap(new byte[] {1}));
            IOLoopBackend.ChannelKey key = backend.register(near, IOLoop.READ, "near");
            assertThat(poll()).containsExactly("near 1");
            backend.cancel(key);
            backend.cancel(key); // idempotent
            near.close(); // a registered channel's descriptor closes when the selector drops its key
            assertThat(backend.liveChannels()).isZero();
            // nothing registered any more, but a key awaits its flush: this wait selects once more
            assertThat(startAwait(TimeUnit.MILLISECONDS.toNanos(1)).get(WAIT_MS, TimeUnit.MILLISECONDS)).isEmpty();
            // the selector dropped the key, which releases the closed channel's descriptor
            assertThat(near.isRegistered()).as("still registered with the selector").isFalse();
            // and now the loop parks: nothing left to select on
            Future<List<String>> parked = startAwait(IOLoopBackend.FOREVER);
            awaitBlocked(true);
            backend.wakeup();
            assertThat(parked.get(WAIT_MS, TimeUnit.MILLISECONDS)).isEmpty();
        }
    }

    @Test
    void aChannelAddedAgainFromAnotherThreadBeforeItsOldKeyWasFlushedIsRegisteredByTheLoopThread() throws Exception {
        Pipe ready = pipe(true);
        IOLoopBackend.ChannelKey first = backend.register(ready.source(), IOLoop.READ, "first");
        backend.cancel(first);
        // the old key awaits deregistration: java.nio refuses a new registration until a select runs
        SelectorBackend.ChannelRegistration second =
                (SelectorBackend.ChannelRegistration) backend.register(ready.source(), IOLoop.NONE, "second");
        assertThat(second.key()).as("deferred to the loop thread").isNull();
        backend.update(second, IOLoop.READ); // kept until the deferred registration completes
        assertThat(poll()).containsExactly("second 1");
        assertThat(second.key()).isNotNull();
        assertThat(second.key().interestOps()).isEqualTo(SelectionKey.OP_READ);
    }

    @Test
    void aDeferredRegistrationWhoseChannelClosedMeanwhileIsReportedInvalidated() throws Exception {
        Pipe pipe = pipe(true);
        backend.cancel(backend.register(pipe.source(), IOLoop.READ, "old"));
        IOLoopBackend.ChannelKey deferred = backend.register(pipe.source(), IOLoop.READ, "deferred");
        assertThat(((SelectorBackend.ChannelRegistration) deferred).key()).isNull();
        pipe.source().close();
        assertThat(poll()).containsExactly("deferred invalidated");
        assertThat(poll()).isEmpty();
        assertThat(backend.liveChannels()).isZero();
    }

    @Test
    void aChannelClosedUnderTheBackendIsReportedInvalidatedOnce() throws Exception {
        Pipe idle = pipe(false);
        backend.register(idle.source(), IOLoop.READ, "closed-under");
        backend.register(pipe(false).source(), IOLoop.READ, "other");
        assertThat(poll()).isEmpty();
        idle.source().close(); // no cancel: the selector drops the key at its next select
        Future<List<String>> wait = startAwait(IOLoopBackend.FOREVER);
        awaitBlocked(false);
        backend.wakeup();
        List<String> seen = new ArrayList<>(wait.get(WAIT_MS, TimeUnit.MILLISECONDS));
        seen.addAll(poll());
        assertThat(seen).containsExactly("closed-under invalidated");
        assertThat(poll()).isEmpty();
        assertThat(backend.liveChannels()).isEqualTo(1);
    }

    @Test
    void writeOnAConnectingChannelWaitsForTheConnectThenForWritability() throws Exception {
        try (ServerSocketChannel listener = ServerSocketChannel.open()) {
            listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            SocketChannel client = SocketChannel.open();
            toClose.add(client);
            client.configureBlocking(false);
            client.connect(listener.getLocalAddress());
            SelectorBackend.ChannelRegistration key =
                    (SelectorBackend.ChannelRegistration) backend.register(client, IOLoop.WRITE, "client");
            if (client.isConnectionPending()) {
                assertThat(key.key().interestOps()).isEqualTo(SelectionKey.OP_CONNECT);
                List<String> seen = new ArrayList<>();
                while (seen.isEmpty()) {
                    seen.addAll(startAwait(IOLoopBackend.FOREVER).get(WAIT_MS, TimeUnit.MILLISECONDS));
                }
                assertThat(seen).containsExactly("client 4"); // the connect's completion, as WRITE
                onLoop(client::finishConnect); // what the handler does
            }
            assertThat(poll()).containsExactly("client 4"); // switched to OP_WRITE before this wait: writable
            assertThat(key.key().interestOps()).isEqualTo(SelectionKey.OP_WRITE);
            toClose.add(listener.accept());
        }
    }

    @Test
    void eventsAChannelDoesNotSupportAreRejectedNamingThem() throws Exception {
        try (ServerSocketChannel listener = ServerSocketChannel.open()) {
            listener.configureBlocking(false);
            assertThatIllegalArgumentException().isThrownBy(() -> backend.register(listener, IOLoop.WRITE, "x"))
                    .withMessageContaining("ServerSocketChannelImpl does not support WRITE events");
            assertThat(backend.liveChannels()).isZero();
            assertThat(NioInterest.interestOps(listener, IOLoop.READ)).isEqualTo(SelectionKey.OP_ACCEPT);
        }
        Pipe pipe = pipe(false);
        assertThatIllegalArgumentException().isThrownBy(() -> backend.register(pipe.sink(), IOLoop.READ, "x"))
                .withMessageContaining("does not support READ events");
    }
}
