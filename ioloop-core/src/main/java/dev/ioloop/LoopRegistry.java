package dev.ioloop;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.jspecify.annotations.Nullable;

/**
 * The process-wide state behind {@link IOLoop}'s static methods: each thread's current loop, the
 * global instance, the configured backend, and the counter behind generated names.
 *
 * <p>Safe from any thread.
 */
final class LoopRegistry {

    static final ThreadLocal<IOLoop> CURRENT = new ThreadLocal<>();
    // ordering: the global instance is published and replaced with atomic operations so that
    // concurrent instance() calls agree on one loop.
    static final AtomicReference<@Nullable IOLoop> INSTANCE = new AtomicReference<>();
    // ordering: volatile reference; a loop reads it once, when it is built, and keeps that backend.
    static final AtomicReference<IOLoopBackend.@Nullable Factory> CONFIGURED = new AtomicReference<>();
    // ordering: atomic increment, so that loops created concurrently never share a generated name.
    private static final AtomicInteger UNNAMED = new AtomicInteger();

    private LoopRegistry() {
    }

    static String generatedName() {
        return "loop-" + UNNAMED.incrementAndGet();
    }

    /** The factory {@code IOLoop.configure} set, or the selector backend's. */
    static IOLoopBackend.Factory configuredBackend() {
        IOLoopBackend.Factory factory = CONFIGURED.get();
        return factory != null ? factory : IOLoopBackend.selector();
    }
}
