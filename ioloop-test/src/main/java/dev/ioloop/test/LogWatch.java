package dev.ioloop.test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

import org.slf4j.event.Level;

/**
 * Routes every log record of the JVM to the open {@link ExpectLog}s and {@link LogCapture}s, and what none
 * of them expected, at WARN or above, to the tests running ({@link Scope}). Logging is global to the JVM,
 * so a record cannot be told apart by test: {@link IOLoopTest} holds a resource lock, so that JUnit's
 * parallel mode runs such tests one at a time. Safe from any thread.
 */
final class LogWatch {

    private static final class Holder {
        static final LogWatch INSTANCE = new LogWatch(LogBackend.detect());
    }

    private final LogBackend backend;
    private final List<LogListener> listeners = new CopyOnWriteArrayList<>();
    private final List<Scope> scopes = new CopyOnWriteArrayList<>();
    private final AtomicBoolean toldUnsupported = new AtomicBoolean();

    LogWatch(LogBackend backend) {
        this.backend = backend;
    }

    static LogWatch get() {
        return Holder.INSTANCE;
    }

    LogBackend backend() {
        return backend;
    }

    /**
     * Starts routing records to a listener.
     *
     * @throws UnsupportedOperationException if the SLF4J provider cannot be watched
     */
    void open(LogListener listener, String user) {
        if (!backend.supported()) {
            throw new UnsupportedOperationException(user + " cannot see log records: this test runtime logs through the "
                    + backend.describe() + ". Put one of those on the test classpath (Spring Boot's default, Logback,"
                    + " is one).");
        }
        backend.attach(this::dispatch);
        listeners.add(listener);
    }

    void close(LogListener listener) {
        listeners.remove(listener);
    }

    /** Starts collecting unexpected records for one test. */
    Scope openScope() {
        Scope scope = new Scope();
        if (backend.supported()) {
            backend.attach(this::dispatch);
        } else if (toldUnsupported.compareAndSet(false, true)) {
            // Once per JVM, on stderr: the logging we would report through is the thing we cannot see.
            System.err.println("ioloop-test: unexpected WARN/ERROR log output is not checked: the tests log through the "
                    + backend.describe() + ". Exceptions thrown by callbacks on a test's loop still fail the test.");
        }
        scopes.add(scope);
        return scope;
    }

    private void dispatch(CapturedLog record) {
        boolean expected = false;
        for (LogListener listener : listeners) {
            expected |= listener.offer(record);
        }
        for (Scope scope : scopes) {
            scope.record(record, expected);
        }
    }

    /** What one test logged that nobody expected, and the exceptions an expected record carried. */
    final class Scope implements AutoCloseable {
        // ordering: both guarded by this scope's monitor (written on logging threads, read on the test thread).
        private final List<CapturedLog> unexpected = new ArrayList<>();
        private final Set<Throwable> expectedThrowables = Collections.newSetFromMap(new IdentityHashMap<>());

        private synchronized void record(CapturedLog record, boolean expected) {
            if (expected) {
                if (record.throwable() != null) {
                    expectedThrowables.add(record.throwable());
                }
            } else if (record.isAtLeast(Level.WARN)) {
                unexpected.add(record);
            }
        }

        /** The WARN and ERROR records no listener expected, in logging order. */
        synchronized List<CapturedLog> unexpected() {
            return List.copyOf(unexpected);
        }

        /** Whether an expected record carried this very exception (a callback's exception the test expected). */
        synchronized boolean expected(Throwable error) {
            return expectedThrowables.contains(error);
        }

        @Override
        public void close() {
            scopes.remove(this);
        }
    }
}
