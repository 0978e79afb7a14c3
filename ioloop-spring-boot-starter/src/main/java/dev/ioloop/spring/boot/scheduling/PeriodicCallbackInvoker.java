package dev.ioloop.spring.boot.scheduling;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.UndeclaredThrowableException;
import java.time.Duration;
import java.util.concurrent.CompletionStage;

import org.jspecify.annotations.Nullable;

import org.springframework.scheduling.config.FixedRateTask;

/**
 * Calls one {@link PeriodicCallback @PeriodicCallback} method through Spring's {@link FixedRateTask}, whose runnable
 * records each run's outcome, so that {@code /actuator/scheduledtasks} shows the last execution and its result as
 * for a {@code @Scheduled} method. A method declared to return a {@link CompletionStage} has its outcome recorded
 * when that stage completes (then the recorded time is the completion's).
 *
 * <p>Threading: {@link #invoke()} and {@link #recordCompletion} on the loop thread only; {@link #task()} from any
 * thread (Spring reads the outcome it keeps).
 */
final class PeriodicCallbackInvoker {

    /** Something to run inside the task's outcome tracking. */
    private interface Action {
        void run() throws Throwable;
    }

    private final Object bean;

    private final Method method;

    private final boolean returnsStage;

    private final FixedRateTask task;

    // Loop thread only: what the task's runnable runs next, and what it threw.
    private @Nullable Action action;

    private @Nullable Throwable failure;

    /**
     * @param bean the bean
     * @param method the method to call (accessible), no parameters
     * @param target the method as {@code com.acme.Jobs.tick}, as Spring names a {@code @Scheduled} method
     * @param period the period, shown as the task's interval
     * @param firstDelay the delay before the first run, shown as the task's initial delay
     */
    PeriodicCallbackInvoker(Object bean, Method method, String target, Duration period, Duration firstDelay) {
        this.bean = bean;
        this.method = method;
        this.returnsStage = CompletionStage.class.isAssignableFrom(method.getReturnType());
        this.task = new FixedRateTask(new Runnable() {

            @Override
            public void run() {
                runAction();
            }

            @Override
            public String toString() {
                return target;
            }
        }, period, firstDelay);
    }

    /** @return the task Spring describes: interval, initial delay and last execution */
    FixedRateTask task() {
        return this.task;
    }

    /**
     * Calls the method.
     * @return the stage it returned, to be passed to {@link #recordCompletion} when it completes; null when the run
     *     is over (its outcome is recorded)
     * @throws Throwable what the method threw (its outcome is recorded)
     */
    @Nullable CompletionStage<?> invoke() throws Throwable {
        if (!this.returnsStage) {
            track(this::callMethod);
            return null;
        }
        Object result;
        try {
            result = callMethod();
        }
        catch (Throwable ex) {
            recordCompletion(ex);
            throw ex;
        }
        if (result instanceof CompletionStage<?> stage) {
            return stage;
        }
        recordCompletion(null); // returned null instead of a stage: the run is over
        return null;
    }

    /**
     * Records the outcome of a run whose returned stage completed.
     * @param failure the stage's failure, or null
     */
    void recordCompletion(@Nullable Throwable failure) {
        try {
            track(() -> {
                if (failure != null) {
                    throw failure;
                }
            });
        }
        catch (Throwable ex) {
            // Recorded: the caller handles the failure it passed in.
        }
    }

    private @Nullable Object callMethod() throws Throwable {
        try {
            return this.method.invoke(this.bean);
        }
        catch (InvocationTargetException ex) {
            throw ex.getTargetException();
        }
    }

    /** Runs {@code action} through the task's runnable (which records the outcome) and rethrows its failure. */
    private void track(Action action) throws Throwable {
        this.action = action;
        try {
            this.task.getRunnable().run();
        }
        catch (RuntimeException | Error ex) {
            // The tracking runnable rethrows what runAction() threw (a checked failure wrapped): throw the original.
            Throwable original = this.failure;
            throw (original != null) ? original : ex;
        }
        finally {
            this.action = null;
            this.failure = null;
        }
    }

    /** The task's own runnable: a checked failure leaves it wrapped, as Spring's ScheduledMethodRunnable does. */
    private void runAction() {
        Action current = this.action;
        if (current == null) {
            return;
        }
        try {
            current.run();
        }
        catch (RuntimeException | Error ex) {
            this.failure = ex;
            throw ex;
        }
        catch (Throwable ex) {
            this.failure = ex;
            throw new UndeclaredThrowableException(ex);
        }
    }
}
