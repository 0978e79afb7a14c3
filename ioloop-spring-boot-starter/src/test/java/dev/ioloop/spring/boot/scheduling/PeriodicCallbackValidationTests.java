package dev.ioloop.spring.boot.scheduling;

import dev.ioloop.spring.boot.autoconfigure.IOLoopAutoConfiguration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.stream.Stream;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

class PeriodicCallbackValidationTests {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(IOLoopAutoConfiguration.class))
        .withPropertyValues("ioloop.group.enabled=true", "ioloop.group.threads=2");

    static Stream<Arguments> invalidMethods() {
        String prefix = "Invalid @PeriodicCallback method '" + PeriodicCallbackValidationTests.class.getName() + "$";
        return Stream.of(
                Arguments.of(WithParameter.class, "tick", null, prefix
                        + "WithParameter.tick()': the method must have no parameters (was 'void "
                        + PeriodicCallbackValidationTests.class.getName() + "$WithParameter.tick(java.lang.String)')"),
                Arguments.of(ZeroPeriod.class, "tick", "period",
                        prefix + "ZeroPeriod.tick()': attribute 'period' must be positive (was '0s')"),
                Arguments.of(NotADuration.class, "tick", "period",
                        prefix + "NotADuration.tick()': attribute 'period' is not a Duration (was 'soon')"),
                Arguments.of(JitterTooLarge.class, "tick", "jitter",
                        prefix + "JitterTooLarge.tick()': attribute 'jitter' must be a number from 0 to 1 (was '2')"),
                Arguments.of(JitterNotANumber.class, "tick", "jitter",
                        prefix + "JitterNotANumber.tick()': attribute 'jitter' must be a number from 0 to 1 (was 'some')"),
                Arguments.of(NegativeDelay.class, "tick", "initialDelay",
                        prefix + "NegativeDelay.tick()': attribute 'initialDelay' must not be negative (was '-1s')"),
                Arguments.of(UnknownLoop.class, "tick", "loop",
                        prefix + "UnknownLoop.tick()': attribute 'loop' names no loop of this application (was 'nope')"),
                Arguments.of(UnresolvedPlaceholder.class, "tick", "period", prefix
                        + "UnresolvedPlaceholder.tick()': attribute 'period' has a placeholder that cannot be resolved "
                        + "(was '${missing.period}')"));
    }

    @ParameterizedTest
    @MethodSource("invalidMethods")
    void invalidMethodFailsStartupNamingAnnotationAttributeMethodAndValue(Class<?> type, String method,
            String attribute, String message) {
        this.runner.withBean(type).run((context) -> {
            assertThat(context).hasFailed();
            Throwable cause = context.getStartupFailure();
            while (!(cause instanceof InvalidPeriodicCallbackException)) {
                cause = cause.getCause();
            }
            InvalidPeriodicCallbackException invalid = (InvalidPeriodicCallbackException) cause;
            assertThat(invalid).hasMessage(message);
            assertThat(invalid.getAttribute()).isEqualTo(attribute);
            assertThat(invalid.getMethod()).endsWith("." + method + "()");
        });
    }

    @org.junit.jupiter.api.Test
    void groupLoopWithoutTheGroupFailsStartupSayingHowToEnableIt() {
        new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(IOLoopAutoConfiguration.class))
            .withBean(GroupLoop.class)
            .run((context) -> {
                assertThat(context).hasFailed();
                assertThat(context.getStartupFailure()).rootCause()
                    .isInstanceOf(InvalidPeriodicCallbackException.class)
                    .hasMessageEndingWith("attribute 'loop' names no loop of this application (was 'group')")
                    .satisfies((ex) -> assertThat(((InvalidPeriodicCallbackException) ex).getAction())
                        .contains("to one of [main]")
                        .contains("ioloop.group.enabled=true"));
            });
    }

    static class GroupLoop {

        @PeriodicCallback(period = "1s", loop = "group")
        void tick() {
        }
    }

    static class WithParameter {

        @PeriodicCallback(period = "1s")
        void tick(String name) {
        }
    }

    static class ZeroPeriod {

        @PeriodicCallback(period = "0s")
        void tick() {
        }
    }

    static class NotADuration {

        @PeriodicCallback(period = "soon")
        void tick() {
        }
    }

    static class JitterTooLarge {

        @PeriodicCallback(period = "1s", jitter = "2")
        void tick() {
        }
    }

    static class JitterNotANumber {

        @PeriodicCallback(period = "1s", jitter = "some")
        void tick() {
        }
    }

    static class NegativeDelay {

        @PeriodicCallback(period = "1s", initialDelay = "-1s")
        void tick() {
        }
    }

    static class UnknownLoop {

        @PeriodicCallback(period = "1s", loop = "nope")
        void tick() {
        }
    }

    static class UnresolvedPlaceholder {

        @PeriodicCallback(period = "${missing.period}")
        void tick() {
        }
    }
}
