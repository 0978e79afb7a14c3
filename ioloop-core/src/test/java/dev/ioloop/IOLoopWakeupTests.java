package dev.ioloop;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import dev.ioloop.testing.LoopExtension;
import dev.ioloop.testing.LoopExtension.RunningLoop;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith(LoopExtension.class)
class IOLoopWakeupTests {

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
        long before = loop.selectorWakeups();
        AtomicInteger ran = new AtomicInteger();
        for (int i = 0; i < 1000; i++) {
            loop.addCallback(ran::incrementAndGet);
            loop.callLater(0.0, ran::incrementAndGet);
        }
        CompletableFuture<Void> afterAll = new CompletableFuture<>();
        loop.callLater(0.0, () -> afterAll.complete(null)); // added last: fires after the others
        assertThat(loop.selectorWakeups()).isEqualTo(before);
        release.countDown();
        running.await(afterAll);
        assertThat(ran).hasValue(2000);
    }

    @Test
    void manyCallsDuringOneBlockingSelectWakeItOnce(RunningLoop running) throws Exception {
        IOLoop loop = running.loop();
        running.drain();
        // The loop is blocked in select, or about to be. Stop it from running callbacks until we
        // are done adding, by adding them all before it can wake: the first call pays for the
        // wake-up; the others find the loop no longer selecting.
        long before = loop.selectorWakeups();
        AtomicInteger ran = new AtomicInteger();
        for (int i = 0; i < 1000; i++) {
            loop.addCallback(ran::incrementAndGet);
        }
        running.drain();
        assertThat(ran).hasValue(1000);
        // Between blocking selects the loop can be woken at most once each; it ran 1000 callbacks
        // in far fewer iterations than that, so far fewer wake-ups than calls happened.
        assertThat(loop.selectorWakeups() - before).isBetween(1L, 999L);
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(LoopExtension.WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
