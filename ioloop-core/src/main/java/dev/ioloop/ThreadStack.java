package dev.ioloop;

/**
 * Carries another thread's stack trace into a log record (the loop thread's, as the watchdog saw it).
 */
final class ThreadStack extends Throwable {

    private static final long serialVersionUID = 1L;

    ThreadStack(Thread thread) {
        super("stack of thread " + thread.getName() + " (" + thread.getState() + ")", null, false, true);
        setStackTrace(thread.getStackTrace());
    }
}
