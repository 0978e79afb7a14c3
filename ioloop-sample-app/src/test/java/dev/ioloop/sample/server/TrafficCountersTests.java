package dev.ioloop.sample.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * The traffic counters under their threading rule: one writer (the data loop) recording batches while readers on
 * other threads read them, as INFO and the meters do.
 */
class TrafficCountersTests {

    @Test
    void eachRecordAddsToItsOwnCounterAndResetZeroesThemAll() {
        TrafficCounters counters = new TrafficCounters();
        counters.recordBatch(3, 100, 20);
        counters.recordBatch(1, 7, 0);
        counters.recordProtocolError();
        assertThat(counters.commands()).isEqualTo(4);
        assertThat(counters.inputBytes()).isEqualTo(107);
        assertThat(counters.outputBytes()).isEqualTo(20);
        assertThat(counters.protocolErrors()).isEqualTo(1);
        counters.reset();
        assertThat(List.of(counters.commands(), counters.inputBytes(), counters.outputBytes(), counters.protocolErrors()))
                .containsOnly(0L);
    }

    @Test
    void readersOnOtherThreadsSeeEveryCounterGrowAndTheWritersTotalsAtTheEnd() throws Exception {
        int batches = 2_000_000;
        int readers = 4;
        TrafficCounters counters = new TrafficCounters();
        ExecutorService pool = Executors.newFixedThreadPool(readers);
        AtomicBoolean writing = new AtomicBoolean(true);
        CountDownLatch readersStarted = new CountDownLatch(readers);
        try {
            List<Future<Long>> reads = new ArrayList<>();
            for (int r = 0; r < readers; r++) {
                reads.add(pool.submit(() -> {
                    readersStarted.countDown();
                    long seen = 0;
                    long lastCommands = 0;
                    long lastInput = 0;
                    long lastOutput = 0;
                    while (writing.get()) {
                        long commands = counters.commands();
                        long input = counters.inputBytes();
                        long output = counters.outputBytes();
                        // one writer: each counter only grows, by the writer's steps (1, 3 and 5 per batch)
                        assertThat(commands).isGreaterThanOrEqualTo(lastCommands).isLessThanOrEqualTo(batches);
                        assertThat(input).isGreaterThanOrEqualTo(lastInput).isLessThanOrEqualTo(3L * batches);
                        assertThat(output).isGreaterThanOrEqualTo(lastOutput).isLessThanOrEqualTo(5L * batches);
                        assertThat(input % 3).isZero();
                        assertThat(output % 5).isZero();
                        lastCommands = commands;
                        lastInput = input;
                        lastOutput = output;
                        seen++;
                    }
                    return seen;
                }));
            }
            assertThat(readersStarted.await(1, TimeUnit.MINUTES)).isTrue();
            for (int i = 0; i < batches; i++) {
                counters.recordBatch(1, 3, 5);
            }
            writing.set(false);
            for (Future<Long> read : reads) {
                assertThat(read.get(1, TimeUnit.MINUTES)).isPositive();
            }
            // nothing lost: the totals are exact once the writer is done (the executor's join orders them here)
            assertThat(counters.commands()).isEqualTo(batches);
            assertThat(counters.inputBytes()).isEqualTo(3L * batches);
            assertThat(counters.outputBytes()).isEqualTo(5L * batches);
        } finally {
            pool.shutdownNow();
        }
    }
}
