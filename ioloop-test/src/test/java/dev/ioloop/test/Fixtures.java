package dev.ioloop.test;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.Optional;

import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Event;
import org.junit.platform.testkit.engine.Events;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

/**
 * Runs test classes written to pass or fail (fixtures) in JUnit's {@link EngineTestKit}, as Tornado tests
 * {@code tornado.testing} with test cases that must fail. Fixtures are marked {@link Fixture}: they are
 * skipped when the build or an IDE finds them, and run only here.
 */
final class Fixtures {

    private static final String ENABLED = "dev.ioloop.test.fixtures";

    private Fixtures() {
    }

    /** Runs one fixture class and returns the events of its tests. */
    static Events run(Class<?> fixture) {
        return EngineTestKit.engine("junit-jupiter")
                .configurationParameter(ENABLED, "true")
                .selectors(selectClass(fixture))
                .execute()
                .testEvents();
    }

    /** The failure of the only failed test. */
    static Throwable onlyFailure(Events events) {
        Events failed = events.failed();
        if (failed.count() != 1) {
            throw new AssertionError("expected one failed test, got " + failed.count() + ": " + events.list());
        }
        Event event = failed.list().get(0);
        return event.getPayload(org.junit.platform.engine.TestExecutionResult.class).orElseThrow().getThrowable()
                .orElseThrow();
    }

    /** Marks a fixture class: it runs only inside {@link Fixtures#run}. */
    @Target(ElementType.TYPE)
    @Retention(RetentionPolicy.RUNTIME)
    @ExtendWith(OnlyInTestKit.class)
    @interface Fixture {
    }

    /** Disables fixtures outside the test kit. */
    static final class OnlyInTestKit implements ExecutionCondition {
        @Override
        public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
            Optional<Boolean> enabled = context.getConfigurationParameter(ENABLED, Boolean::valueOf);
            return enabled.orElse(false) ? ConditionEvaluationResult.enabled("run by Fixtures")
                    : ConditionEvaluationResult.disabled("a fixture: run by Fixtures.run only");
        }
    }
}
