package dev.ioloop.sample.server;

import dev.ioloop.spring.boot.lifecycle.IOLoopLifecycle;
import org.springframework.context.SmartLifecycle;

/**
 * Starts the Redis server once its loop runs and closes it before the loop stops: phase {@link #PHASE}, just above
 * the loops' phase ({@code DEFAULT_PHASE - 4096}), so it starts after them and stops before them, and before the
 * web server starts accepting requests.
 *
 * <p>Called by the application context's thread.
 */
public final class RedisServerLifecycle implements SmartLifecycle {

    /** One above the ioloop starter's loop phase. */
    public static final int PHASE = IOLoopLifecycle.PHASE + 1;

    private final RedisServer server;
    private volatile boolean running; // ordering: written by start()/stop(), read by isRunning() on any thread

    /** Manages {@code server}. */
    public RedisServerLifecycle(RedisServer server) {
        this.server = server;
    }

    @Override
    public void start() {
        server.start();
        running = true;
    }

    @Override
    public void stop() {
        server.close();
        running = false;
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return PHASE;
    }

    @Override
    public boolean isPauseable() {
        return false;
    }
}
