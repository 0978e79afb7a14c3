package dev.ioloop.spring.boot.scheduling;

import java.util.List;
import java.util.function.Consumer;

/**
 * Something that knows the scheduled {@link PeriodicCallback @PeriodicCallback} methods (the post-processor), for
 * the endpoint and the metrics. Safe from any thread.
 */
public interface PeriodicCallbackHolder {

    /** @return every scheduled callback, in registration order (a snapshot) */
    List<ScheduledPeriodicCallback> getPeriodicCallbacks();

    /**
     * Calls {@code listener} for every callback registered from now on (beans created after startup, such as lazy
     * ones), on the thread that creates the bean.
     * @param listener called once per new callback
     */
    void onRegistration(Consumer<ScheduledPeriodicCallback> listener);
}
