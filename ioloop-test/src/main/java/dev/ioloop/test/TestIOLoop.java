package dev.ioloop.test;

import java.util.ArrayList;
import java.util.List;

import dev.ioloop.IOLoop;

/**
 * The loop {@link IOLoopExtension} gives a test: an {@link IOLoop} that also keeps every exception its
 * callbacks throw, so that the test fails for one even when no logging backend shows it (Tornado's
 * {@code AsyncTestCase} fails on an uncaught exception in a callback). Callbacks run on the loop thread;
 * the list is read from the test thread.
 */
final class TestIOLoop extends IOLoop {

    // ordering: guarded by its own monitor (written on the loop thread, read on the test thread).
    private final List<CallbackError> errors = new ArrayList<>();

    TestIOLoop(IOLoop.Builder builder) {
        super(builder);
    }

    @Override
    protected void handleCallbackException(Object callback, Throwable error) {
        super.handleCallbackException(callback, error); // logs it, as every loop does
        synchronized (errors) {
            errors.add(new CallbackError(name(), String.valueOf(callback), error));
        }
    }

    List<CallbackError> callbackErrors() {
        synchronized (errors) {
            return List.copyOf(errors);
        }
    }

    /**
     * An exception a callback threw on a test's loop.
     *
     * @param loopName the loop's name
     * @param callback the callback's {@code toString()}
     * @param error what it threw
     */
    record CallbackError(String loopName, String callback, Throwable error) {

        String describe() {
            return "a callback on IOLoop '" + loopName + "' threw " + error + " (callback: " + callback + ")";
        }

        /** The error as a throwable for a failure report: its message says which loop and callback. */
        Throwable asThrowable() {
            return new CallbackFailure(describe(), error);
        }
    }

    /** Wraps a callback's exception with where it came from; the exception itself is the cause. */
    static final class CallbackFailure extends AssertionError {
        private static final long serialVersionUID = 1L;

        CallbackFailure(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
