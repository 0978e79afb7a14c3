package dev.ioloop;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import dev.ioloop.test.FakeClock;
import dev.ioloop.test.Await;
import dev.ioloop.test.RunningLoop;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A loop on a {@link FakeClock}, running on its own thread, for tests of time logic without
 * sleeping. {@link #settle()} waits until the loop has run every timeout due at the clock's current
 * reading. Safe from any thread; close it at the end of the test.
 */
final class FakeTimeLoop implements AutoCloseable {

    final FakeClock clock;
    final IOLoop loop;
    final RunningLoop running;

    private FakeTimeLoop(FakeClock clock, IOLoop loop) {
        this.clock = clock;
        this.loop = loop;
        this.running = RunningLoop.start(loop);
    }

    /** A fake-time loop named {@code name}. */
    static FakeTimeLoop start(String name) {
        FakeClock clock = new FakeClock();
        return new FakeTimeLoop(clock, IOLoop.builder().name(name).clock(clock).makeCurrent(false).build());
    }

    /** A fake-time loop built by the caller (e.g. a subclass) on {@code clock}. */
    static FakeTimeLoop start(FakeClock clock, IOLoop loop) {
        return new FakeTimeLoop(clock, loop);
    }

    /** The clock's reading in nanoseconds. */
    long now() {
        return clock.nanoTime();
    }

    /** Moves the clock forward and waits until every timeout due by then has run. */
    void advance(Duration duration) throws Exception {
        clock.advance(duration);
        settle();
    }

    /** Moves the clock to {@code nanos} (forward only) and waits until every timeout due by then has run. */
    void advanceTo(long nanos) throws Exception {
        long delta = nanos - clock.nanoTime();
        if (delta < 0) {
            throw new IllegalArgumentException("'nanos' is in the past by " + -delta + " ns");
        }
        clock.advanceNanos(delta);
        settle();
    }

    /**
     * Waits until the loop has run every timeout due at the clock's current reading, without depending
     * on the clock (a callback may step it backwards): a callback queued now runs in an iteration whose
     * due timeouts were fixed after this call began; the next iteration runs the due timeouts that
     * other threads scheduled before this call (they reach the heap through a callback); the callback
     * of the iteration after that reports.
     */
    void settle() throws Exception {
        CompletableFuture<Void> done = new CompletableFuture<>();
        loop.addCallback(() -> loop.addCallback(() -> loop.addCallback(() -> done.complete(null))));
        running.await(done);
    }

    @Override
    public void close() throws InterruptedException {
        running.close(); // stops the loop, waits for its thread, closes it with its channels
    }

    /** Waits for a stage at most {@link Await#timeout()}. */
    static <T> T await(CompletableFuture<T> future) throws Exception {
        return future.get(Await.timeout().toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * Asserts that the next entry of {@code runs} (a list the scheduled task appends its run time to)
     * appears exactly at {@code at}: not one nanosecond before, and at it.
     */
    void expectRunAt(List<Long> runs, long at) throws Exception {
        int before = runs.size();
        advanceTo(at - 1);
        assertThat(runs).as("runs before %d ns", at).hasSize(before);
        advanceTo(at);
        assertThat(runs).as("runs at %d ns", at).hasSize(before + 1);
        assertThat(runs.get(before)).isEqualTo(at);
    }
}
