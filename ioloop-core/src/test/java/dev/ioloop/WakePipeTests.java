package dev.ioloop;

import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import dev.ioloop.testing.LoopExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNoException;

/** The wake-up pipe on a real selector, driven as the selector backend drives it. */
class WakePipeTests {

    private static final long WAIT_MS = LoopExtension.WAIT.toMillis();

    private final Selector selector = openSelector();
    private final WakePipe pipe = newPipe(selector);

    private static Selector openSelector() {
        try {
            return Selector.open();
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    private static WakePipe newPipe(Selector selector) {
        try {
            return new WakePipe(selector);
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    @AfterEach
    void tearDown() throws Exception {
        pipe.close();
        selector.close();
    }

    /** One look at the selector as the backend takes it: drain, then select; how many keys the pipe claimed. */
    private int look(long timeoutMillis) throws Exception {
        pipe.drainIfReported();
        int[] claimed = new int[1];
        if (timeoutMillis < 0) {
            selector.selectNow(key -> claimed[0] += pipe.claim(key) ? 1 : 0);
        } else {
            selector.select(key -> claimed[0] += pipe.claim(key) ? 1 : 0, timeoutMillis);
        }
        return claimed[0];
    }

    @Test
    void aSignalWakesABlockedSelectAndIsClaimedAsThePipesKey() throws Exception {
        CompletableFuture<Integer> claimed = CompletableFuture.supplyAsync(() -> {
            try {
                return look(0); // blocks until woken
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });
        while (!claimed.isDone()) { // until the select is blocked, a signal is simply seen at once
            pipe.signal();
            Thread.sleep(1);
        }
        assertThat(claimed.get(WAIT_MS, TimeUnit.MILLISECONDS)).isEqualTo(1);
    }

    @Test
    void aSignalIsConsumedByTheNextDrainSoTheLookAfterItWaitsItsTimeout() throws Exception {
        for (int i = 0; i < 1_000; i++) {
            pipe.signal(); // more bytes than one read of the drain buffer takes
        }
        assertThat(look(-1)).isEqualTo(1);
        assertThat(look(-1)).as("level-triggered until drained: drained before this look").isZero();
        long start = System.nanoTime();
        assertThat(look(50)).isZero();
        assertThat(System.nanoTime() - start).as("a drained pipe does not end a select early")
                .isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(50));
    }

    @Test
    void aKeyOfAnotherChannelIsNotClaimed() throws Exception {
        java.nio.channels.Pipe other = java.nio.channels.Pipe.open();
        try {
            other.source().configureBlocking(false);
            SelectionKey key = other.source().register(selector, SelectionKey.OP_READ);
            assertThat(pipe.claim(key)).isFalse();
        } finally {
            other.sink().close();
            other.source().close();
        }
    }

    @Test
    void aWakerWithItsInterruptFlagSetNeitherClosesThePipeNorLosesItsInterrupt() throws Exception {
        Thread.currentThread().interrupt();
        try {
            pipe.signal();
            assertThat(Thread.currentThread().isInterrupted()).as("the waker's interrupt is left alone").isTrue();
        } finally {
            Thread.interrupted();
        }
        assertThat(look(-1)).isEqualTo(1);
        assertThat(look(-1)).isZero(); // drained
        // the pipe still works (a blocking channel would have been closed by the interrupt, and the
        // JDK's wake-up that then stands in for it is never claimed as the pipe's key)
        pipe.signal();
        assertThat(look(-1)).isEqualTo(1);
    }

    @Test
    void aSignalAfterCloseDoesNotThrow() throws Exception {
        pipe.close();
        assertThatNoException().isThrownBy(pipe::signal);
        selector.close();
        assertThatNoException().isThrownBy(pipe::signal);
    }
}
