package dev.ioloop.spring.boot.scheduling;

import java.util.concurrent.CancellationException;
import java.util.concurrent.Delayed;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A {@link ScheduledFuture} view of a periodic callback, for Spring's {@code ScheduledTask}: its delay is the time
 * until the next expected run (what {@code /actuator/scheduledtasks} shows as the next execution), and cancelling it
 * cancels the callback. A periodic callback has no result: {@link #get()} throws. Safe from any thread.
 */
final class PeriodicCallbackFuture implements ScheduledFuture<Void> {

    private final ScheduledPeriodicCallback callback;

    PeriodicCallbackFuture(ScheduledPeriodicCallback callback) {
        this.callback = callback;
    }

    @Override
    public long getDelay(TimeUnit unit) {
        return unit.convert(this.callback.nextRunEpochMillis() - System.currentTimeMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public int compareTo(Delayed other) {
        return Long.compare(getDelay(TimeUnit.NANOSECONDS), other.getDelay(TimeUnit.NANOSECONDS));
    }

    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
        boolean wasCancelled = this.callback.isCancelled();
        this.callback.cancel();
        return !wasCancelled;
    }

    @Override
    public boolean isCancelled() {
        return this.callback.isCancelled();
    }

    @Override
    public boolean isDone() {
        return this.callback.isCancelled();
    }

    @Override
    public Void get() {
        throw noResult();
    }

    @Override
    public Void get(long timeout, TimeUnit unit) {
        throw noResult();
    }

    private RuntimeException noResult() {
        if (this.callback.isCancelled()) {
            return new CancellationException("@PeriodicCallback " + this.callback.getId() + " was cancelled");
        }
        return new UnsupportedOperationException("@PeriodicCallback " + this.callback.getId()
                + " runs until cancelled and has no result to wait for");
    }
}
