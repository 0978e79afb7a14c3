package dev.ioloop.spring.boot.scheduling;

import io.micrometer.observation.Observation;

/**
 * The context of one run of a {@link PeriodicCallback @PeriodicCallback} method, observed as
 * {@code ioloop.periodic} (as Spring observes a {@code @Scheduled} run as {@code tasks.scheduled.execution}).
 * Created and completed on the callback's loop thread.
 */
public class PeriodicCallbackObservationContext extends Observation.Context {

    private final ScheduledPeriodicCallback callback;

    private boolean complete;

    /** @param callback the callback being run */
    public PeriodicCallbackObservationContext(ScheduledPeriodicCallback callback) {
        this.callback = callback;
    }

    /** @return the callback being run: its id, method, loop and schedule */
    public ScheduledPeriodicCallback getCallback() {
        return this.callback;
    }

    /** @return whether the run completed (returned, or its returned stage completed) without an error */
    public boolean isComplete() {
        return this.complete;
    }

    /** @param complete whether the run completed without an error */
    public void setComplete(boolean complete) {
        this.complete = complete;
    }
}
