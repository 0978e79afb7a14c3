package dev.ioloop.spring.boot.autoconfigure;

import dev.ioloop.IOLoop;
import dev.ioloop.spring.boot.scheduling.DisabledPeriodicCallbackReporter;
import dev.ioloop.spring.boot.scheduling.PeriodicCallback;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;

/** With {@code ioloop.enabled=false}, {@code @PeriodicCallback} methods do not run, and startup says so once. */
@ExtendWith(OutputCaptureExtension.class)
class IOLoopDisabledAutoConfigurationTests {

    private static final String WARNING = "ioloop.enabled=false: ";

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(IOLoopAutoConfiguration.class, IOLoopDisabledAutoConfiguration.class));

    @Test
    void warnsOnceNamingEveryPeriodicCallbackMethodThatWillNotRun(CapturedOutput output) {
        this.runner.withPropertyValues("ioloop.enabled=false")
            .withBean("jobs", Jobs.class)
            .withBean("moreJobs", MoreJobs.class)
            .run((context) -> {
                assertThat(context).hasNotFailed().doesNotHaveBean(IOLoop.class);
                assertThat(output.toString()).containsOnlyOnce(WARNING);
                assertThat(output).contains("ioloop.enabled=false: 3 @PeriodicCallback method(s) will not run, as "
                        + "there is no loop: [" + Jobs.class.getName() + ".first(), " + Jobs.class.getName()
                        + ".second(), " + MoreJobs.class.getName() + ".third()]")
                    .contains("Remove ioloop.enabled=false (or set it to true) to run them.");
                assertThat(context.getBean(Jobs.class).runs).isZero();
                // A bean created after startup is not reported again: once is the promise.
                context.getBeanFactory().createBean(MoreJobs.class);
                assertThat(output.toString()).containsOnlyOnce(WARNING);
            });
    }

    @Test
    void saysNothingWithoutPeriodicCallbacks(CapturedOutput output) {
        this.runner.withPropertyValues("ioloop.enabled=false")
            .run((context) -> {
                assertThat(context).hasSingleBean(DisabledPeriodicCallbackReporter.class);
                assertThat(output).doesNotContain(WARNING);
            });
    }

    @Test
    void absentWhileTheLoopsAreEnabled(CapturedOutput output) {
        this.runner.withBean("jobs", Jobs.class)
            .run((context) -> {
                assertThat(context).doesNotHaveBean(DisabledPeriodicCallbackReporter.class);
                assertThat(output).doesNotContain(WARNING);
            });
    }

    static class Jobs {

        int runs;

        @PeriodicCallback(period = "10ms")
        void first() {
            this.runs++;
        }

        @PeriodicCallback(period = "10ms")
        void second() {
            this.runs++;
        }
    }

    static class MoreJobs {

        @PeriodicCallback(period = "1s")
        void third() {
        }
    }
}
