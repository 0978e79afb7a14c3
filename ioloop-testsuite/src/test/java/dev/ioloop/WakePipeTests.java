package dev.ioloop;

import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import dev.ioloop.test.Await;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNoException;

/** The wake-up pipe on a real selector, driven as the selector backend drives it. */
class WakePipeTests {

    private static final long WAIT_MS = Await.timeout().toMillis();

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
    void aSignalWakesASelectWhetherItLandsBeforeOrDuringTheSelectTwoThousandTimesInARow() throws Exception {
        // As the backend drives it: the selecting thread drains, then announces its wait (the backend's
        // waitMode), then selects with no timeout; a waker signals only after it saw the announcement,
        // racing with the select. Landing before the select or during it, the signal must end that
        // select: a lost one hangs the round (fails after WAIT).
        ExecutorService selecting = Executors.newSingleThreadExecutor();
        try {
            for (int round = 0; round < 2_000; round++) {
                CountDownLatch announced = new CountDownLatch(1);
                Future<Integer> claimed = selecting.submit(() -> {
                    pipe.drainIfReported();
                    announced.countDown(); // ordering: the latch orders the drain before the waker's signal
                    int[] count = new int[1];
                    selector.select(key -> count[0] += pipe.claim(key) ? 1 : 0, 0);
                    return count[0];
                });
                assertThat(announced.await(WAIT_MS, TimeUnit.MILLISECONDS)).isTrue();
                if (round % 2 == 0) {
                    Thread.yield(); // now and then let the select block first
                }
                pipe.signal();
                assertThat(claimed.get(WAIT_MS, TimeUnit.MILLISECONDS)).as("round %d", round).isEqualTo(1);
            }
        } finally {
            selecting.shutdownNow();
        }
    }

    @Test
    void signalsIntoAFullPipeNeitherBlockNorThrowAndOneDrainEmptiesIt() throws Exception {
        for (int i = 0; i < 100_000; i++) { // more bytes than a Linux pipe holds (64 KiB)
            pipe.signal();
        }
        assertThat(look(-1)).isEqualTo(1);
        long start = System.nanoTime();
        assertThat(look(20)).as("drained to the last byte").isZero();
        assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(20));
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
