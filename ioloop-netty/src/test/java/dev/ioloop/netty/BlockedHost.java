package dev.ioloop.netty;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import dev.ioloop.IOLoop;
import io.netty.channel.EventLoop;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Test support: the watchdog of a loop attached to {@code host} reports a host task that blocks the
 * host's thread (what a blocking Reactor Netty request handler does), with that task's frame in the
 * thread's stack, though no iteration of the loop runs meanwhile.
 */
final class BlockedHost {

    private static final long WAIT_SECONDS = 30;

    private BlockedHost() {
    }

    /** Attaches a loop to {@code host}, blocks the host with a task of its own, and checks the reports. */
    static void assertABlockingHostTaskIsReported(EventLoop host) throws Exception {
        Thread hostThread = host.submit(Thread::currentThread).get(WAIT_SECONDS, TimeUnit.SECONDS);
        IOLoop loop = NettyBackend.attach(host);
        try {
            List<Thread> threads = new CopyOnWriteArrayList<>();
            List<StackTraceElement[]> stacks = new CopyOnWriteArrayList<>();
            CountDownLatch twoReports = new CountDownLatch(2);
            CountDownLatch started = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            host.execute(() -> {
                started.countDown();
                hostTaskThatBlocks(release);
            });
            // The watchdog starts once the host task runs: on a loaded machine a host thread that is only
            // slow to be scheduled is (rightly) reported too, as an episode of its own with another stack.
            assertThat(started.await(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
            loop.setBlockingSignalThreshold(Duration.ofMillis(40), thread -> {
                threads.add(thread);
                stacks.add(thread.getStackTrace());
                twoReports.countDown();
            });
            assertThat(twoReports.await(WAIT_SECONDS, TimeUnit.SECONDS)).as("reported, then again at twice the time")
                    .isTrue();
            assertThat(loop.stats().blockedForNanos()).isGreaterThanOrEqualTo(Duration.ofMillis(80).toNanos());
            List<StackTraceElement[]> whileBlocked = List.copyOf(stacks); // all taken inside the task
            release.countDown();
            CompletableFuture<Thread> after = new CompletableFuture<>();
            loop.addCallback(() -> after.complete(Thread.currentThread()));
            assertThat(after.get(WAIT_SECONDS, TimeUnit.SECONDS)).isSameAs(hostThread);
            loop.setBlockingSignalThreshold(null, null);
            assertThat(threads).containsOnly(hostThread);
            assertThat(whileBlocked).hasSizeGreaterThanOrEqualTo(2).allSatisfy(stack ->
                    assertThat(stack).anyMatch(frame -> frame.getMethodName().equals("hostTaskThatBlocks")));
            assertThat(loop.stats().blockedEvents()).isEqualTo(threads.size());
        } finally {
            loop.close();
        }
    }

    private static void hostTaskThatBlocks(CountDownLatch release) {
        try {
            release.await(WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
