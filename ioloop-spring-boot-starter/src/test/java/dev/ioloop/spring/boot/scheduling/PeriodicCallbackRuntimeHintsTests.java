package dev.ioloop.spring.boot.scheduling;

import dev.ioloop.spring.boot.autoconfigure.IOLoopAutoConfiguration;
import dev.ioloop.spring.boot.autoconfigure.endpoint.IOLoopEndpointAutoConfiguration;
import dev.ioloop.spring.boot.endpoint.IOLoopEndpoint;
import org.junit.jupiter.api.Test;

import org.springframework.aot.generate.ClassNameGenerator;
import org.springframework.aot.generate.DefaultGenerationContext;
import org.springframework.aot.generate.InMemoryGeneratedFiles;
import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.predicate.RuntimeHintsPredicates;
import org.springframework.boot.actuate.autoconfigure.endpoint.EndpointAutoConfiguration;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.test.util.TestPropertyValues;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.aot.ApplicationContextAotGenerator;
import org.springframework.javapoet.ClassName;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Spring's ahead-of-time processing (what {@code spring-boot:process-aot} runs, and what a native image needs) of an
 * application with the starter: a {@code @PeriodicCallback} method gets a reflection hint to invoke it, as a
 * {@code @Scheduled} one does, and the {@code ioloop} endpoint's descriptors can be serialised.
 */
class PeriodicCallbackRuntimeHintsTests {

    @Test
    void periodicCallbackMethodsAndEndpointDescriptorsGetReflectionHints() throws Exception {
        RuntimeHints hints = processAheadOfTime(App.class);
        assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(Jobs.class, "tick")).accepts(hints);
        assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(Jobs.class, "notPeriodic")).rejects(hints);
        assertThat(RuntimeHintsPredicates.reflection().onType(IOLoopEndpoint.LoopsDescriptor.class)).accepts(hints);
        assertThat(RuntimeHintsPredicates.reflection().onType(IOLoopEndpoint.PeriodicCallbackDescriptor.class))
            .accepts(hints);
    }

    private static RuntimeHints processAheadOfTime(Class<?> configuration) {
        try (AnnotationConfigApplicationContext context = new AnnotationConfigApplicationContext()) {
            TestPropertyValues.of("management.endpoints.web.exposure.include=ioloop").applyTo(context);
            context.register(configuration);
            DefaultGenerationContext generation = new DefaultGenerationContext(
                    new ClassNameGenerator(ClassName.get(configuration)), new InMemoryGeneratedFiles());
            new ApplicationContextAotGenerator().processAheadOfTime(context, generation);
            return generation.getRuntimeHints();
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ImportAutoConfiguration({ IOLoopAutoConfiguration.class, EndpointAutoConfiguration.class,
            IOLoopEndpointAutoConfiguration.class })
    static class App {

        @Bean
        Jobs jobs() {
            return new Jobs();
        }
    }

    static class Jobs {

        @PeriodicCallback(period = "1s")
        void tick() {
        }

        void notPeriodic() {
        }
    }
}
