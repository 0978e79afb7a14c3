package dev.ioloop.benchmarks.loop;

import java.util.concurrent.Future;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The JDK's answer: a {@link ScheduledThreadPoolExecutor} with one thread. Remove-on-cancel is on,
 * as the loops remove (or compact) cancelled timers too; without it the queue would grow without
 * bound in the schedule + cancel benchmark.
 */
final class JdkLoopUnderTest implements LoopUnderTest {

    private final ScheduledThreadPoolExecutor executor;

    JdkLoopUnderTest() {
        executor = new ScheduledThreadPoolExecutor(1, runnable -> {
            Thread thread = new Thread(runnable, "jdk-loop");
            thread.setDaemon(true);
            return thread;
        });
        executor.setRemoveOnCancelPolicy(true);
        executor.prestartAllCoreThreads();
    }

    @Override
    public void execute(Runnable task) {
        executor.execute(task);
    }

    @Override
    public Runnable chainLink(Chain chain) {
        ScheduledThreadPoolExecutor pool = executor;
        return new Runnable() {
            @Override
            public void run() {
                if (chain.linkRan()) {
                    pool.execute(this);
                }
            }
        };
    }

    @Override
    public Object schedule(Runnable task, long delayNanos) {
        return executor.schedule(task, delayNanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public void cancel(Object handle) {
        ((Future<?>) handle).cancel(false);
    }

    @Override
    public void close() {
        executor.shutdownNow();
        try {
            executor.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
