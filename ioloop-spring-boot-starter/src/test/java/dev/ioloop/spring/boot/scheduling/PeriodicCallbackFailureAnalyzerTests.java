package dev.ioloop.spring.boot.scheduling;

import dev.ioloop.spring.boot.autoconfigure.IOLoopAutoConfiguration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;

@ExtendWith(OutputCaptureExtension.class)
class PeriodicCallbackFailureAnalyzerTests {

    @Test
    void startupFailureReportNamesAnnotationAttributeMethodAndValue(CapturedOutput output) {
        SpringApplication application = new SpringApplication(InvalidApplication.class);
        application.setWebApplicationType(WebApplicationType.NONE);
        application.setDefaultProperties(java.util.Map.of("ioloop.group.threads", "1"));
        assertThatException().isThrownBy(application::run);
        String method = InvalidJobs.class.getName() + ".tick()";
        assertThat(output).contains("APPLICATION FAILED TO START")
            .contains("Description:")
            .contains("Method '" + method + "' is annotated with @PeriodicCallback, but its attribute 'period' "
                    + "must be positive (was '-5s').")
            .contains("Action:")
            .contains("Set attribute 'period' of @PeriodicCallback on " + method
                    + " to a positive Duration such as \"500ms\", \"10s\" or \"PT1M\".");
    }

    @Configuration(proxyBeanMethods = false)
    @Import(IOLoopAutoConfiguration.class)
    static class InvalidApplication {

        @Bean
        InvalidJobs invalidJobs() {
            return new InvalidJobs();
        }
    }

    static class InvalidJobs {

        @PeriodicCallback(period = "-5s")
        void tick() {
        }
    }
}
