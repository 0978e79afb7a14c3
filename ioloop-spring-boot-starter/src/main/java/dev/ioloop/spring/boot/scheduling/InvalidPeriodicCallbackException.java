package dev.ioloop.spring.boot.scheduling;

import org.jspecify.annotations.Nullable;

/**
 * Thrown at startup for a {@link PeriodicCallback @PeriodicCallback} method that cannot be scheduled; its message
 * names the annotation, the attribute, the method and the value, and
 * {@link PeriodicCallbackFailureAnalyzer} turns it into a startup failure report.
 */
public class InvalidPeriodicCallbackException extends IllegalStateException {

    private static final long serialVersionUID = 1L;

    private final String method;

    private final @Nullable String attribute;

    private final @Nullable String value;

    private final String problem;

    private final String action;

    /**
     * Creates the exception.
     * @param method the method, as {@code com.acme.Jobs.tick()}
     * @param attribute the invalid attribute, or null when the method itself is invalid
     * @param value the attribute's value as written (or the offending signature), or null
     * @param problem the rule that was broken, as {@code "must be positive"}
     * @param action what to do about it, one sentence
     * @param cause the parsing failure, or null
     */
    public InvalidPeriodicCallbackException(String method, @Nullable String attribute, @Nullable String value,
            String problem, String action, @Nullable Throwable cause) {
        super(message(method, attribute, value, problem), cause);
        this.method = method;
        this.attribute = attribute;
        this.value = value;
        this.problem = problem;
        this.action = action;
    }

    private static String message(String method, @Nullable String attribute, @Nullable String value, String problem) {
        StringBuilder message = new StringBuilder("Invalid @PeriodicCallback method '").append(method).append("': ");
        message.append((attribute != null) ? "attribute '" + attribute + "' " : "the method ").append(problem);
        if (value != null) {
            message.append(" (was '").append(value).append("')");
        }
        return message.toString();
    }

    /** @return the method, as {@code com.acme.Jobs.tick()} */
    public String getMethod() {
        return this.method;
    }

    /** @return the invalid attribute, or null when the method itself is invalid */
    public @Nullable String getAttribute() {
        return this.attribute;
    }

    /** @return the value as written, or null */
    public @Nullable String getValue() {
        return this.value;
    }

    /** @return the rule that was broken */
    public String getProblem() {
        return this.problem;
    }

    /** @return what to do about it */
    public String getAction() {
        return this.action;
    }
}
