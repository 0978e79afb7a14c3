package dev.ioloop.spring.boot.scheduling;

import io.micrometer.common.KeyValue;
import io.micrometer.common.KeyValues;

/**
 * The default convention: observation {@value #NAME} (so a timer {@code ioloop.periodic} and a long task timer
 * {@code ioloop.periodic.active} with Micrometer's meter handler), contextual name {@code periodic bean#method}, and
 * low-cardinality key values {@code name} (the loop's name, as on every ioloop meter), {@code callback}
 * ({@code bean#method}), {@code outcome} ({@code SUCCESS}, {@code ERROR}, or {@code UNKNOWN} while running) and
 * {@code exception} (the failure's simple class name, or {@code none}).
 */
public class DefaultPeriodicCallbackObservationConvention implements PeriodicCallbackObservationConvention {

    /** The observation's name. */
    public static final String NAME = "ioloop.periodic";

    private static final KeyValue EXCEPTION_NONE = KeyValue.of("exception", "none");

    @Override
    public String getName() {
        return NAME;
    }

    @Override
    public String getContextualName(PeriodicCallbackObservationContext context) {
        return "periodic " + context.getCallback().getId();
    }

    @Override
    public KeyValues getLowCardinalityKeyValues(PeriodicCallbackObservationContext context) {
        ScheduledPeriodicCallback callback = context.getCallback();
        return KeyValues.of(KeyValue.of("name", callback.getLoopName()), KeyValue.of("callback", callback.getId()),
                outcome(context), exception(context));
    }

    private static KeyValue outcome(PeriodicCallbackObservationContext context) {
        if (context.getError() != null) {
            return KeyValue.of("outcome", "ERROR");
        }
        return KeyValue.of("outcome", context.isComplete() ? "SUCCESS" : "UNKNOWN");
    }

    private static KeyValue exception(PeriodicCallbackObservationContext context) {
        Throwable error = context.getError();
        if (error == null) {
            return EXCEPTION_NONE;
        }
        String simpleName = error.getClass().getSimpleName();
        return KeyValue.of("exception", simpleName.isEmpty() ? error.getClass().getName() : simpleName);
    }
}
