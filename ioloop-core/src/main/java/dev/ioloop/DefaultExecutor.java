package dev.ioloop;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Creates a loop's default executor for {@link IOLoop#runInExecutor}: at most
 * {@code min(32, processors + 4)} daemon threads (Python's ThreadPoolExecutor default, which
 * Tornado uses), named {@code <loop>-executor-<n>}, that end after 60 s idle.
 */
final class DefaultExecutor {

    static final int MAX_THREADS = Math.min(32, Runtime.getRuntime().availableProcessors() + 4);

    private DefaultExecutor() {
    }

    static ExecutorService create(String loopName) {
        ThreadPoolExecutor executor = new ThreadPoolExecutor(MAX_THREADS, MAX_THREADS, 60, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), new NamedDaemonThreads(loopName + "-executor-"));
        executor.allowCoreThreadTimeOut(true);
        return executor;
    }

    private static final class NamedDaemonThreads implements ThreadFactory {
        private final String prefix;
        private final AtomicInteger count = new AtomicInteger();

        NamedDaemonThreads(String prefix) {
            this.prefix = prefix;
        }

        @Override
        public Thread newThread(Runnable task) {
            // ordering: atomic increment so that concurrent thread creation never repeats a name.
            Thread thread = new Thread(task, prefix + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        }
    }
}
