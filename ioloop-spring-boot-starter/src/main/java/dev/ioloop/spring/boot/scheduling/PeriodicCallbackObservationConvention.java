package dev.ioloop.spring.boot.scheduling;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;

/**
 * Names and tags the observation of a {@link PeriodicCallback @PeriodicCallback} run. Define a bean of this type to
 * replace {@link DefaultPeriodicCallbackObservationConvention}.
 */
public interface PeriodicCallbackObservationConvention extends ObservationConvention<PeriodicCallbackObservationContext> {

    @Override
    default boolean supportsContext(Observation.Context context) {
        return context instanceof PeriodicCallbackObservationContext;
    }
}
