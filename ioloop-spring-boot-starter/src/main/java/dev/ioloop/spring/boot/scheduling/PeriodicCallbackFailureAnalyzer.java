package dev.ioloop.spring.boot.scheduling;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Reports an {@link InvalidPeriodicCallbackException} as a startup failure: the description names the annotation,
 * the attribute, the method and the value; the action says how to fix it. Registered in
 * {@code META-INF/spring.factories}.
 */
class PeriodicCallbackFailureAnalyzer extends AbstractFailureAnalyzer<InvalidPeriodicCallbackException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, InvalidPeriodicCallbackException cause) {
        StringBuilder description = new StringBuilder("Method '").append(cause.getMethod())
            .append("' is annotated with @PeriodicCallback, but ");
        if (cause.getAttribute() != null) {
            description.append("its attribute '").append(cause.getAttribute()).append("' ");
        }
        else {
            description.append("the method ");
        }
        description.append(cause.getProblem());
        if (cause.getValue() != null) {
            description.append(" (was '").append(cause.getValue()).append("')");
        }
        description.append('.');
        return new FailureAnalysis(description.toString(), cause.getAction(), cause);
    }
}
