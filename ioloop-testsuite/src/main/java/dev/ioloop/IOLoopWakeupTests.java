package dev.ioloop;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import dev.ioloop.testing.BackendSuite;
import dev.ioloop.test.IOLoopTest;
import dev.ioloop.test.Await;
import dev.ioloop.test.RunningLoop;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

@IOLoopTest(makeCurrent = false)
public abstract class IOLoopWakeupTests extends BackendSuite {

    @Test
    void callsFromAnotherThreadWhileTheLoopIsBusyNeverWakeTheSelector(RunningLoop running) throws Exception {
        IOLoop loop = running.loop();
        CountDownLatch busy = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        loop.addCallback(() -> {
            busy.countDown();
            await(release);
        });
        busy.await();
        long before = loop.backendWakeups();
        AtomicInteger ran = new AtomicInteger();
        for (int i = 0; i < 1000; i++) {
            loop.addCallback(ran::incrementAndGet);
            loop.callLater(0.0, ran::incrementAndGet);
        }
        CompletableFuture<Void> afterAll = new CompletableFuture<>();
        loop.callLater(0.0, () -> afterAll.complete(null)); // added last: fires after the others
        assertThat(loop.backendWakeups()).isEqualTo(before);
        release.countDown();
        running.await(afterAll);
        assertThat(ran).hasValue(2000);
    }

    @Test
    void manyCallsDuringOneBlockingSelectWakeItOnce(RunningLoop running) throws Exception {
        IOLoop loop = running.loop();
        running.drain();
        // drain() returns when its callback ran, not when the loop reached select: wait for that,
        // or the calls below may all land before it blocks and none needs a wake-up.
        LoopWaits.awaitWaiting(loop);
        long before = loop.backendWakeups();
        long iterationsBefore = loop.stats().iterations();
        AtomicInteger ran = new AtomicInteger();
        for (int i = 0; i < 1000; i++) {
            loop.addCallback(ran::incrementAndGet);
        }
        running.drain();
        assertThat(ran).hasValue(1000);
        long wakeups = loop.backendWakeups() - before;
        long iterations = loop.stats().iterations() - iterationsBefore;
        // the loop was blocked: the first call had to wake it
        assertThat(wakeups).isPositive();
        // each wake-up ends a distinct blocking select, and every select is followed by a new
        // iteration: a loop woken once per call would show far more wake-ups than iterations.
        // (How many selects the loop fits between the calls depends on the machine's load.)
        assertThat(wakeups).isLessThanOrEqualTo(iterations);
    }

    @Test
    void aLoopLeftIdleAfterOtherThreadsCallbacksUsesAlmostNoCpu(RunningLoop running) throws Exception {
        // After running other threads' callbacks the default backend's loop lingers for more before it
        // parks (ParkingLinger, at most 20 µs): measured from the moment its last callback ran, the
        // linger and the wait after it must cost next to no CPU. A loop that kept lingering would use
        // most of a core in this second (yield returns at once on a core nobody else wants); a parked
        // one uses next to none (the bound, a twentieth, leaves room for a loaded machine).
        IOLoop loop = running.loop();
        Thread loopThread = running.thread();
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        assertThat(threads.isThreadCpuTimeSupported()).as("thread CPU time is measurable here").isTrue();
        for (int i = 0; i < 1_000; i++) {
            loop.addCallback(() -> { });
        }
        running.drain();
        long cpuBefore = threads.getThreadCpuTime(loopThread.getId());
        long wallBefore = System.nanoTime();
        Thread.sleep(1_000); // the idle period measured, not a synchronisation
        long cpu = threads.getThreadCpuTime(loopThread.getId()) - cpuBefore;
        long wall = System.nanoTime() - wallBefore;
        assertThat(cpu).as("CPU nanoseconds of the idle loop thread in %d ns of wall time", wall)
                .isLessThan(wall / 20);
        LoopWaits.awaitWaiting(loop); // it waits in its backend
        long wakeupsBefore = loop.backendWakeups();
        running.drain(); // and a call wakes it
        assertThat(loop.backendWakeups() - wakeupsBefore).as("wake-ups of the idle loop").isPositive();
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(Await.timeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
