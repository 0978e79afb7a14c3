package dev.ioloop.spring.boot.metrics;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.ioloop.IOLoop;
import dev.ioloop.IOLoopThread;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The probe's sample ring under one producer and one consumer running flat out: every sample is either drained
 * exactly once, in order, or counted as dropped; none is lost, duplicated or torn.
 */
class LoopLagProbeStressTests {

    private static final int SAMPLES = 2_000_000;

    @Test
    void stopRacingTheProbeLeavesNoArmedDeadlineBehind() throws Exception {
        // A probe that fires on every iteration, stopped from another thread over and over: a stop() that lands while
        // the loop re-arms must still leave no deadline once it has been handled on the loop, or the stopped probe
        // reports an ever-growing lag.
        IOLoop loop = IOLoop.builder().name("stop-race").makeCurrent(false).build();
        IOLoopThread thread = IOLoopThread.start(loop, "stop-race-loop", false);
        try {
            LoopLagProbe probe = new LoopLagProbe(loop, Duration.ofNanos(1));
            for (int i = 0; i < 1_000; i++) {
                probe.start();
                long fired = probe.drain((lag) -> { });
                while (fired == 0) {
                    fired = probe.drain((lag) -> { });
                    Thread.onSpinWait();
                }
                probe.stop();
                CompletableFuture<Void> handled = new CompletableFuture<>();
                loop.addCallback(() -> handled.complete(null)); // queued behind the probe's own stop handling
                handled.get(30, TimeUnit.SECONDS);
                long last = probe.lastLagNanos();
                assertThat(probe.currentLagNanos()).as("lag of the stopped probe, round %d", i).isEqualTo(last);
            }
        }
        finally {
            loop.addCallback(loop::stop);
            thread.join(Duration.ofSeconds(30));
            loop.close();
        }
    }

    @Test
    void everySampleIsDrainedOnceInOrderOrCountedAsDropped() throws Exception {
        IOLoop loop = IOLoop.builder().name("stress").makeCurrent(false).build(); // never started: only its ring is used
        try {
            LoopLagProbe probe = new LoopLagProbe(loop, Duration.ofMillis(100));
            AtomicBoolean produced = new AtomicBoolean();
            AtomicBoolean outOfOrder = new AtomicBoolean();
            Thread producer = new Thread(() -> {
                for (long i = 1; i <= SAMPLES; i++) {
                    probe.offer(i);
                }
                produced.set(true);
            }, "stress-producer");
            // Written by the consumer only, read after join() (which orders them before the reads).
            long[] state = new long[3]; // received, last value, gaps (values skipped = dropped by the producer)
            Thread consumer = new Thread(() -> {
                boolean done = false;
                while (!done) {
                    done = produced.get(); // read before draining: a final drain follows the last offer
                    probe.drain((value) -> {
                        if (value <= state[1]) {
                            outOfOrder.set(true); // asserted on the test thread
                        }
                        state[2] += value - state[1] - 1;
                        state[1] = value;
                        state[0]++;
                    });
                }
            }, "stress-consumer");
            consumer.start();
            producer.start();
            producer.join();
            consumer.join();
            assertThat(outOfOrder).isFalse();
            assertThat(state[0] + probe.droppedSamples()).isEqualTo(SAMPLES);
            assertThat(state[2]).isEqualTo(probe.droppedSamples() - (SAMPLES - state[1]));
            assertThat(state[0]).isPositive();
        }
        finally {
            loop.close();
        }
    }
}
