package dev.ioloop.iostream;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.slf4j.event.Level;
import org.junit.jupiter.api.Test;

import dev.ioloop.testing.BackendSuite;
import dev.ioloop.test.CapturedLog;
import dev.ioloop.test.IOLoopTest;
import dev.ioloop.test.LogCapture;

/**
 * Stages chained on stream futures from several threads while the loop completes those futures:
 * every stage whose function throws and which nothing handles is reported exactly once, and no
 * handled stage is reported, whichever side of the race each chaining call lands on (before the
 * completion, after it, or during it), and however late its handler comes while the stage is
 * still referenced (here: after every unhandled one was reported).
 */
@IOLoopTest(makeCurrent = false)
public abstract class StreamFutureStressTests extends BackendSuite {

    private static final int ROUNDS = 200;
    private static final int ROOTS = 8;
    private static final int THREADS = 4;
    private static final int STAGES_PER_THREAD = 39;

    @Test
    void everyUnhandledFailureIsReportedOnceAndNoHandledOneIs() throws Exception {
        try (LoopThread loop = new LoopThread("stream-future-stress"); SocketPair pair = SocketPair.open();
             LogCapture logs = LogCapture.start()) {
            IOStream stream = loop.call(() -> new IOStream(pair.near(), loop.loop()));
            Set<String> expected = ConcurrentHashMap.newKeySet();
            List<CompletableFuture<Integer>> late = new CopyOnWriteArrayList<>();
            AtomicInteger handledAtOnce = new AtomicInteger();
            AtomicInteger handledRan = new AtomicInteger();
            AtomicInteger ids = new AtomicInteger();
            for (int round = 0; round < ROUNDS; round++) {
                List<StreamFuture<Integer>> roots = new ArrayList<>();
                for (int i = 0; i < ROOTS; i++) {
                    roots.add(new StreamFuture<>(stream));
                }
                CyclicBarrier start = new CyclicBarrier(THREADS + 1);
                CountDownLatch done = new CountDownLatch(THREADS);
                for (int t = 0; t < THREADS; t++) {
                    int seed = t;
                    Thread chainer = new Thread(() -> {
                        try {
                            start.await(30, TimeUnit.SECONDS);
                            for (int s = 0; s < STAGES_PER_THREAD; s++) {
                                StreamFuture<Integer> root = roots.get((seed + s) % ROOTS);
                                String id = "stage-failure-" + ids.incrementAndGet();
                                switch (s % 3) {
                                    case 0 -> {
                                        expected.add(id);
                                        root.thenApply(v -> {
                                            throw new IllegalStateException(id);
                                        });
                                    }
                                    case 1 -> {
                                        handledAtOnce.incrementAndGet();
                                        root.thenApply(v -> {
                                            throw new IllegalStateException("handled " + id);
                                        }).exceptionally(e -> {
                                            handledRan.incrementAndGet();
                                            return 0;
                                        });
                                    }
                                    default -> late.add(root.thenApply(v -> {
                                        throw new IllegalStateException("handled late " + id);
                                    }));
                                }
                            }
                        } catch (Exception e) {
                            throw new AssertionError(e);
                        } finally {
                            done.countDown();
                        }
                    });
                    chainer.start();
                }
                // the loop completes the roots while the threads chain on them
                loop.loop().addCallback(() -> {
                    try {
                        start.await(30, TimeUnit.SECONDS);
                    } catch (Exception e) {
                        throw new AssertionError(e);
                    }
                    for (StreamFuture<Integer> root : roots) {
                        root.complete(1);
                        Thread.yield();
                    }
                });
                assertThat(done.await(30, TimeUnit.SECONDS)).isTrue();
            }
            // A stage chained off the loop thread is judged once it is unreachable: collect until
            // every unhandled one was reported (the late ones are still referenced, so not judged).
            LoopThread.awaitCollecting("every unhandled failure reported", () -> reported(logs).size() >= expected.size());
            for (CompletableFuture<Integer> stage : late) {
                stage.exceptionally(e -> {
                    handledRan.incrementAndGet();
                    return 0;
                });
            }
            int lateCount = late.size();
            late.clear();
            // the late ones become unreachable now: their checks run and find them handled
            LoopThread.awaitCollecting("every armed check ran", StreamFuture::collectionChecksIdle);
            loop.run(() -> { }); // a report a check queued would have run by now
            List<String> reports = reported(logs);
            assertThat(reports).hasSize(expected.size()).doesNotHaveDuplicates();
            assertThat(Set.copyOf(reports)).isEqualTo(expected);
            assertThat(expected.size() + handledAtOnce.get() + lateCount).isEqualTo(ROUNDS * THREADS * STAGES_PER_THREAD);
            assertThat(handledRan.get()).isEqualTo(handledAtOnce.get() + lateCount);
            assertThat(logs.count(e -> e.level() == Level.ERROR && e.throwable() != null
                    && String.valueOf(e.throwable().getMessage()).startsWith("handled "))).isZero();
        }
    }

    /** The stage ids of the ERROR reports so far. */
    private static List<String> reported(LogCapture logs) {
        List<String> ids = new ArrayList<>();
        for (CapturedLog e : logs.records()) {
            if (e.level() == Level.ERROR && e.throwable() != null
                    && e.throwable().getMessage() != null
                    && e.throwable().getMessage().startsWith("stage-failure-")) {
                ids.add(e.throwable().getMessage());
            }
        }
        return ids;
    }
}
