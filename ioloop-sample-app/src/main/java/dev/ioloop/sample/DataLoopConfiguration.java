package dev.ioloop.sample;

import dev.ioloop.IOLoop;
import dev.ioloop.sample.server.RedisServer;
import java.time.Duration;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The data loop and the server cron while the ioloop starter is not yet on this branch: one {@link IOLoop} on
 * thread {@code ioloop-main}, run by a {@link SmartLifecycle} in the phase the starter uses, and the cron as a
 * core {@link dev.ioloop.PeriodicCallback}.
 */
@Configuration(proxyBeanMethods = false)
class DataLoopConfiguration {

    /** The phase of the loop: before the web server starts, after it stops (as the starter's). */
    static final int LOOP_PHASE = SmartLifecycle.DEFAULT_PHASE - 4096;

    @Bean(destroyMethod = "")
    IOLoop ioloop() {
        return IOLoop.builder().name("main").build();
    }

    @Bean
    SmartLifecycle dataLoopLifecycle(IOLoop ioloop, RedisServer server) {
        return new DataLoopLifecycle(ioloop, server);
    }

    /** Runs the loop on its own thread; starts the cron once the loop runs. */
    static final class DataLoopLifecycle implements SmartLifecycle {
        private final IOLoop loop;
        private final RedisServer server;
        private volatile Thread thread; // ordering: written in start()/stop() by the context's thread, read by isRunning()

        DataLoopLifecycle(IOLoop loop, RedisServer server) {
            this.loop = loop;
            this.server = server;
        }

        @Override
        public void start() {
            Thread t = new Thread(loop::start, "ioloop-main");
            t.start();
            thread = t;
            java.util.concurrent.CompletableFuture.runAsync(() -> { }, loop).join(); // returns once the loop runs
            server.startCron();
        }

        @Override
        public void stop() {
            Thread t = thread;
            if (t == null) {
                return;
            }
            loop.stop();
            try {
                t.join(Duration.ofSeconds(30).toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (!t.isAlive()) {
                loop.close();
            }
            thread = null;
        }

        @Override
        public boolean isRunning() {
            return thread != null;
        }

        @Override
        public int getPhase() {
            return LOOP_PHASE;
        }

        @Override
        public boolean isPauseable() {
            return false;
        }
    }
}
