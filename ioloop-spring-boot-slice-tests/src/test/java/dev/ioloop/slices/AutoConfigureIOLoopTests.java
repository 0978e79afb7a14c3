package dev.ioloop.slices;

import dev.ioloop.IOLoop;
import dev.ioloop.spring.boot.autoconfigure.IOLoopAutoConfiguration;
import dev.ioloop.test.autoconfigure.AutoConfigureIOLoop;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.json.JsonTest;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/** Any other slice gets the loops when it asks with {@code @AutoConfigureIOLoop}, and only then. */
class AutoConfigureIOLoopTests {

    @Nested
    @JsonTest
    @AutoConfigureIOLoop
    class JsonSliceThatAsks {
        @Autowired
        private ApplicationContext context;

        @Test
        void hasTheRunningMainLoop() {
            IOLoop loop = context.getBean(IOLoop.class);
            assertThat(loop.name()).isEqualTo(IOLoopAutoConfiguration.MAIN_LOOP_NAME);
            assertThat(loop.isRunning()).isTrue();
        }
    }

    @Nested
    @JsonTest
    class JsonSliceThatDoesNotAsk {
        @Autowired
        private ApplicationContext context;

        @Test
        void hasNoLoop() {
            assertThat(context.getBeanNamesForType(IOLoop.class)).isEmpty();
        }
    }

    @Test
    void withoutTheStarterTheContextFailsNamingTheMissingDependency() {
        new ApplicationContextRunner().withClassLoader(new FilteredClassLoader(IOLoopAutoConfiguration.class))
                .withUserConfiguration(AsksForLoops.class)
                .run(context -> assertThat(context).hasFailed().getFailure().rootCause()
                        .isInstanceOf(IllegalStateException.class)
                        .hasMessage("@AutoConfigureIOLoop on " + AsksForLoops.class.getName() + " imports the loops of"
                                + " ioloop-spring-boot-starter, which is not on the classpath: add the dependency"
                                + " dev.ioloop:ioloop-spring-boot-starter"));
    }

    @Configuration(proxyBeanMethods = false)
    @AutoConfigureIOLoop
    static class AsksForLoops {
    }
}
