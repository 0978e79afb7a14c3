package dev.ioloop;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.Pipe;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import dev.ioloop.test.Await;
import dev.ioloop.test.FakeClock;
import dev.ioloop.test.IOLoopTest;
import dev.ioloop.test.RunningLoop;
import dev.ioloop.testing.BackendSuite;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link IOLoop#iterationTime()} and how the loop reads its clock: one reading when a wait begins and
 * one when it ends, the latter also fixing the next step 2's due timeouts (asyncio's rule), without a
 * timeout ever waiting longer than one more iteration, and without another thread's callback ever
 * running in an iteration whose due timeouts were fixed before it was queued.
 */
@IOLoopTest(makeCurrent = false)
public abstract class IOLoopIterationTimeTests extends BackendSuite {

    private static RunningLoop onClock(LoopClock clock) {
        return RunningLoop.start(IOLoop.builder().name("iteration-time").clock(clock).makeCurrent(false).build());
    }

    /** A non-blocking pipe whose source a test registers with the loop; closes both ends. */
    private record OpenPipe(Pipe.SourceChannel source, Pipe.SinkChannel sink) implements AutoCloseable {

        static OpenPipe open() throws IOException {
            Pipe pipe = Pipe.open();
            pipe.source().configureBlocking(false);
            pipe.sink().configureBlocking(false);
            return new OpenPipe(pipe.source(), pipe.sink());
        }

        /** Makes the source readable: one byte. */
        void poke() throws IOException {
            sink.write(ByteBuffer.wrap(new byte[] {1}));
        }

        /** Reads what the source holds (a handler's first step, so that the readiness ends). */
        void drain() throws IOException {
            ByteBuffer bytes = ByteBuffer.allocate(64);
            while (source.read(bytes) > 0) {
                bytes.clear();
            }
        }

        @Override
        public void close() throws IOException {
            try (sink) {
                source.close();
            }
        }
    }

    @Test
    void onTheLoopThreadEveryCallOfOneIterationReturnsTheSameReading() throws Exception {
        FakeClock clock = new FakeClock();
        try (RunningLoop running = onClock(clock)) {
            IOLoop loop = running.loop();
            double before = clock.nanoTime() / 1e9;
            double[] seen = running.call(() -> {
                double first = loop.iterationTime();
                clock.advance(Duration.ofSeconds(1));
                return new double[] {first, loop.iterationTime(), loop.time()};
            });
            assertThat(seen[0]).as("the iteration's reading, taken after the callback was queued").isEqualTo(before);
            assertThat(seen[1]).as("the same reading later in the iteration").isEqualTo(seen[0]);
            assertThat(seen[2]).as("time() reads the clock").isEqualTo(before + 1);
        }
    }

    @Test
    void eachIterationTakesItsOwnReadingAlsoWhenItBeganWithoutWaiting() throws Exception {
        FakeClock clock = new FakeClock();
        try (RunningLoop running = onClock(clock)) {
            IOLoop loop = running.loop();
            CompletableFuture<double[]> seen = new CompletableFuture<>();
            running.run(() -> {
                double first = loop.iterationTime();
                clock.advance(Duration.ofSeconds(2));
                // queued by the loop thread: the next iteration only polls the backend, no wake-up reading
                loop.addCallback(() -> {
                    double second = loop.iterationTime();
                    clock.advance(Duration.ofSeconds(3));
                    seen.complete(new double[] {first, second, loop.iterationTime(), loop.time()});
                });
            });
            double[] values = running.await(seen);
            assertThat(values[1]).as("the next iteration's reading").isEqualTo(values[0] + 2);
            assertThat(values[2]).as("kept for the rest of that iteration").isEqualTo(values[1]);
            assertThat(values[3]).isEqualTo(values[0] + 5);
            clock.advance(Duration.ofSeconds(4));
            assertThat(running.call(loop::iterationTime)).as("a later iteration, woken from its wait")
                    .isEqualTo(values[0] + 9);
        }
    }

    @Test
    void offTheLoopThreadItIsTime() throws Exception {
        FakeClock clock = new FakeClock();
        try (RunningLoop running = onClock(clock)) {
            IOLoop loop = running.loop();
            running.call(loop::iterationTime); // the loop has run an iteration
            clock.advance(Duration.ofMillis(1500));
            assertThat(loop.iterationTime()).isEqualTo(loop.time()).isEqualTo(clock.nanoTime() / 1e9);
        }
        IOLoop stopped = IOLoop.builder().clock(clock).makeCurrent(false).build();
        try {
            assertThat(stopped.iterationTime()).as("a loop that never ran").isEqualTo(clock.nanoTime() / 1e9);
        } finally {
            stopped.close();
        }
    }

    @Test
    void anIOHandlerSeesTheReadingTakenWhenTheLoopWoke() throws Exception {
        FakeClock clock = new FakeClock();
        try (OpenPipe pipe = OpenPipe.open(); RunningLoop running = onClock(clock)) {
            IOLoop loop = running.loop();
            CompletableFuture<double[]> seen = new CompletableFuture<>();
            running.run(() -> loop.addHandler(pipe.source(), (channel, events) -> {
                pipe.drain();
                double woke = loop.iterationTime();
                clock.advance(Duration.ofSeconds(1));
                seen.complete(new double[] {woke, loop.iterationTime()});
            }, IOLoop.READ));
            running.drain();
            clock.advance(Duration.ofSeconds(10));
            double atWrite = clock.nanoTime() / 1e9;
            pipe.poke();
            double[] values = running.await(seen);
            assertThat(values[0]).isEqualTo(atWrite);
            assertThat(values[1]).isEqualTo(atWrite);
        }
    }

    @Test
    void aTimeoutThatFallsDueWhileHandlersRunRunsInTheNextIterationWithoutWaitingForIt() throws Exception {
        // The wake-up's reading fixes the next step 2, so a timeout that falls due during step 4 is not due
        // at it; the wait of step 3 must then take a fresh reading and not block (here: an hour).
        FakeClock clock = new FakeClock();
        try (OpenPipe pipe = OpenPipe.open(); RunningLoop running = onClock(clock)) {
            IOLoop loop = running.loop();
            List<String> order = new CopyOnWriteArrayList<>();
            CompletableFuture<List<String>> done = new CompletableFuture<>();
            running.run(() -> {
                loop.callLater(3600.0, () -> {
                    order.add("timeout");
                    done.complete(order);
                });
                loop.addHandler(pipe.source(), (channel, events) -> {
                    pipe.drain();
                    order.add("handler");
                    clock.advance(Duration.ofHours(1));
                    loop.addCallback(() -> order.add("callback"));
                }, IOLoop.READ);
            });
            running.drain();
            pipe.poke();
            assertThat(running.await(done)).containsExactly("handler", "callback", "timeout");
        }
    }

    @Test
    void anotherThreadsCallbackRunsInAnIterationWhoseDueTimeoutsWereFixedAfterItWasQueued() throws Exception {
        // The loop wakes (its reading: before the clock moves), a handler holds it in step 4 while this thread
        // moves the clock past a deadline and queues a callback; that callback runs in the step 1 that follows.
        // Step 2 must then see the timeout due (a fresh reading), as a thread that queued a callback after moving
        // the clock expects (FakeTimeLoop#settle): "cb1", "timeout", then cb1's own callback.
        FakeClock clock = new FakeClock();
        CountDownLatch inHandler = new CountDownLatch(1);
        CountDownLatch queued = new CountDownLatch(1);
        try (OpenPipe pipe = OpenPipe.open(); RunningLoop running = onClock(clock)) {
            IOLoop loop = running.loop();
            List<String> order = new CopyOnWriteArrayList<>();
            CompletableFuture<List<String>> done = new CompletableFuture<>();
            running.run(() -> {
                loop.callLater(60.0, () -> order.add("timeout"));
                loop.addHandler(pipe.source(), (channel, events) -> {
                    pipe.drain();
                    inHandler.countDown();
                    try {
                        queued.await(Await.timeout().toMillis(), TimeUnit.MILLISECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }, IOLoop.READ);
            });
            running.drain();
            pipe.poke();
            assertThat(inHandler.await(Await.timeout().toMillis(), TimeUnit.MILLISECONDS)).isTrue();
            clock.advance(Duration.ofSeconds(60));
            loop.addCallback(() -> {
                order.add("cb1");
                loop.addCallback(() -> done.complete(List.copyOf(order)));
            });
            queued.countDown();
            assertThat(running.await(done)).containsExactly("cb1", "timeout");
        }
    }

    @Test
    void aLoopWithATimeoutPendingReadsTheClockTwicePerWaitOnItsThread() throws Exception {
        // Issue 12: each reading costs tens of nanoseconds; one iteration that waits used to take four (the due
        // timeouts, the wait's timeout, the wait's start and end). The loop thread's readings are counted while
        // I/O events wake it, one at a time, with an hour-long timeout pending; nothing else queues work. Only the
        // loop's own readings count: a backend may read the clock for its own timers (Netty's scheduled tasks do).
        CountingClock clock = new CountingClock();
        int events = 200;
        try (OpenPipe pipe = OpenPipe.open(); RunningLoop running = onClock(clock)) {
            IOLoop loop = running.loop();
            clock.countOn(running.call(Thread::currentThread));
            AtomicLong handled = new AtomicLong();
            CompletableFuture<?>[] each = new CompletableFuture<?>[events + 1];
            for (int i = 0; i <= events; i++) {
                each[i] = new CompletableFuture<Void>();
            }
            running.run(() -> {
                loop.callLater(3600.0, () -> { });
                loop.addHandler(pipe.source(), (channel, ready) -> {
                    pipe.drain();
                    each[(int) handled.getAndIncrement()].complete(null);
                }, IOLoop.READ);
            });
            pipe.poke();
            running.await(each[0]);
            long readingsBefore = clock.readings();
            for (int i = 1; i <= events; i++) {
                pipe.poke();
                running.await(each[i]);
            }
            long readings = clock.readings() - readingsBefore;
            // 2 per event; a handful more if an event arrives while the loop is between a poll and its wait
            assertThat(readings).as("clock readings on the loop thread for %d events", events)
                    .isBetween((long) events, 2L * events + 20);
        }
    }

    /** The system clock, counting the readings one thread takes from ioloop-core's own classes. */
    private static final class CountingClock implements LoopClock {

        private static final StackWalker WALKER = StackWalker.getInstance(StackWalker.Option.RETAIN_CLASS_REFERENCE);

        private final AtomicLong readings = new AtomicLong();
        private volatile @Nullable Thread counted;

        void countOn(Thread thread) {
            counted = thread;
        }

        long readings() {
            return readings.get();
        }

        @Override
        public long nanoTime() {
            if (Thread.currentThread() == counted && calledByTheLoop()) {
                readings.incrementAndGet();
            }
            return System.nanoTime();
        }

        /** Whether the caller of {@link #nanoTime()} is ioloop-core's loop rather than a backend's own code. */
        private static boolean calledByTheLoop() {
            return WALKER.walk(frames -> frames.skip(2).findFirst()
                    .map(f -> f.getDeclaringClass().getPackageName().equals("dev.ioloop"))
                    .orElse(false));
        }
    }
}
